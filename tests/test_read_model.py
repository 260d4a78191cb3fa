"""The read model in paperfeed/papers/: what a reader may see, a paper's day, and whose votes count.

Each test here names a rule that lived in several places before and broke in one of them.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.utils import timezone

from paperfeed.accounts.library import save_paper
from paperfeed.digests.compose import compose_digest
from paperfeed.feed.submissions import SubmitRefused, handle_one_request, submit_paper
from paperfeed.papers.admin import set_hidden
from paperfeed.papers.models import Paper, Submission, Vote, paper_day
from paperfeed.papers.visible import PAPER_DAY, latest_day, on_days, visible_papers
from paperfeed.papers.votes import vote_count, with_votes
from paperfeed.recs.service import recommend
from paperfeed.search.indexing import embed_pending, index_papers
from tests.conftest import call
from tests.digest_support import SLOT, subscriber
from tests.personas import add_paper, make_user, signed_in
from tests.search_support import embedder

pytestmark = pytest.mark.django_db


# A paper's day ---------------------------------------------------------------------------


def test_a_papers_day_is_its_announcement_else_the_utc_day_of_its_first_version():
    late_evening = dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    assert paper_day(dt.date(2026, 3, 3), late_evening) == dt.date(2026, 3, 3)
    assert paper_day(None, late_evening) == dt.date(2026, 3, 2)  # 04:30 UTC on the 2nd
    assert paper_day(None, None) is None
    featured = dt.datetime(2026, 2, 20, 1, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    assert paper_day(None, None, featured) == dt.date(2026, 2, 19)  # known only from Hugging Face
    assert paper_day(None, late_evening, featured) == dt.date(2026, 3, 2)  # a first version comes first


def test_a_paper_known_only_from_hugging_face_is_on_the_day_it_was_featured(client: Client):
    """The HF February 2026 records carry no arXiv dates: their HF day lists them, everywhere alike."""
    listed = add_paper(title="Listed paper", announced_on=dt.date(2026, 2, 18))
    featured = add_paper(
        title="Featured paper",
        announced_on=None,
        published=None,
        hf_submitted_at=dt.datetime(2026, 2, 20, tzinfo=dt.UTC),
    )
    days = dict(Paper.objects.annotate(d=PAPER_DAY).values_list("pk", "d"))
    assert days[featured.pk] == featured.day == dt.date(2026, 2, 20)
    assert set(Paper.objects.filter(on_days(dt.date(2026, 2, 20), dt.date(2026, 2, 20)))) == {featured}
    assert set(Paper.objects.filter(on_days(None, dt.date(2026, 2, 19)))) == {listed}
    assert latest_day() == dt.date(2026, 2, 20)
    page = client.get("/day/2026-02-20/").content.decode()
    assert "Featured paper" in page and 'href="/day/2026-02-18/"' in page  # and the day before it
    assert "Featured paper" in client.get("/month/2026-02/").content.decode()


def test_the_query_expression_and_the_property_agree():
    announced = add_paper(announced_on=dt.date(2026, 3, 3))
    unannounced = add_paper(announced_on=None, published=dt.datetime(2026, 2, 27, 23, 0, tzinfo=dt.UTC))
    days = dict(Paper.objects.annotate(d=PAPER_DAY).values_list("pk", "d"))
    assert days[announced.pk] == announced.day == dt.date(2026, 3, 3)
    assert days[unannounced.pk] == unannounced.day == dt.date(2026, 2, 27)
    assert set(Paper.objects.filter(on_days(dt.date(2026, 2, 27), dt.date(2026, 2, 27)))) == {unannounced}
    assert set(Paper.objects.filter(on_days(dt.date(2026, 3, 1), None))) == {announced}


def test_a_paper_never_announced_is_listed_on_the_day_of_its_first_version(client: Client):
    add_paper(title="Announced", announced_on=dt.date(2026, 3, 2))
    add_paper(title="Only published", announced_on=None, published=dt.datetime(2026, 3, 4, 9, 0, tzinfo=dt.UTC))
    assert latest_day() == dt.date(2026, 3, 4)
    page = client.get("/day/2026-03-04/").content.decode()
    assert "Only published" in page and "Announced" not in page
    assert 'href="/day/2026-03-02/"' in page  # the previous day with papers


# Who may see what -------------------------------------------------------------------------


def ban(user: User) -> None:
    from paperfeed.accounts.admin import ban as ban_accounts

    assert ban_accounts(User.objects.filter(pk=user.pk)) == 1


def test_a_banned_accounts_votes_stop_counting_everywhere(client: Client):
    paper = add_paper(upvotes=3)
    voters = [make_user(f"voter{n}") for n in range(2)]
    for voter in voters:
        Vote.objects.create(user=voter, paper=paper, created_at=timezone.now())
    assert vote_count(paper) == 5
    ban(voters[0])
    assert vote_count(paper) == 4
    assert with_votes(Paper.objects.filter(pk=paper.pk)).get().total_votes == 4
    api = client.get("/api/trending?window=month").json()
    assert [(p["paper"]["id"], p["votes"]) for p in api["papers"]] == [(paper.arxiv_id, 1)]


def fetch_recent(arxiv_id: str) -> Paper:
    return add_paper(arxiv_id, title="Brought in by a submission", published=timezone.now(), announced_on=None)


def test_a_paper_only_a_banned_account_brought_in_is_seen_by_nobody(client: Client):
    spammer = make_user("spammer")
    submit_paper(spammer, "2611.00001")
    handle_one_request(fetch_recent)
    submission = Submission.objects.get()
    assert submission.fetched
    listed = add_paper(title="Harvested", published=timezone.now(), announced_on=timezone.now().date())
    submit_paper(spammer, listed.arxiv_id)
    assert set(visible_papers()) == {submission.paper, listed}
    assert client.get("/paper/2611.00001/").status_code == 200  # now in the anonymous page cache
    assert "2611.00001" in client.get("/submitted/").content.decode()
    ban(spammer)
    assert set(visible_papers()) == {listed}, "a paper the store had before the submission stays"
    assert client.get("/paper/2611.00001/").status_code == 404
    assert client.get("/api/papers/2611.00001").status_code == 404
    assert "2611.00001" not in client.get("/submitted/").content.decode()


def test_a_hidden_paper_is_in_no_digest_section(settings):
    settings.DATA_DIR = settings.DATA_DIR / "hidden-digest"
    with time_machine.travel(SLOT, tick=False):
        kept = add_paper(title="Kept sparse attention", categories=["cs.LG"], upvotes=5)
        hidden = add_paper(title="Hidden sparse attention", categories=["cs.LG"], upvotes=50)
        index_papers(embed=False)
        set_hidden(Paper.objects.filter(pk=hidden.pk), True)
        index_papers(embed=False)
        sub = subscriber(
            categories=["cs.LG"], include_keywords=["sparse"], saved_searches=["sparse attention"], trending_count=5
        )
        sections = compose_digest(sub, SLOT)
    found = {item.paper for section in sections for item in section.items}
    assert kept in found and hidden not in found
    assert {s.title for s in sections} >= {"New in what you follow"}


def test_a_hidden_paper_is_never_recommended():
    alice = make_user("alice")
    day = dt.date(2026, 3, 2)
    liked = add_paper(title="Keyword spotting on microcontrollers", abstract="Small models spot wake words.")
    twins = [
        add_paper(title=f"Keyword spotting with tiny networks {n}", abstract="Small models spot wake words.")
        for n in range(3)
    ]
    Paper.objects.update(announced_on=day)
    embed_pending(embedder())
    save_paper(alice, liked)
    assert twins[0] in {r.paper for r in recommend(alice, limit=10)}
    set_hidden(Paper.objects.filter(pk=twins[0].pk), True)
    assert twins[0] not in {r.paper for r in recommend(alice, limit=10)}
    window = Paper.objects.filter(announced_on=day)
    assert twins[0] not in {r.paper for r in recommend(alice, limit=10, candidates=window)}


# Digest keywords: whole words, keyword search's analyzer -----------------------------------


def test_excluding_a_word_leaves_longer_words_that_contain_it(settings):
    with time_machine.travel(SLOT, tick=False):
        training = add_paper(title="Training regimes for sparse models", categories=["cs.LG"])
        rainy = add_paper(title="Rain removal from street images", categories=["cs.LG"])
        plural = add_paper(title="Models of heavy rains", categories=["cs.LG"])
        sections = compose_digest(subscriber(categories=["cs.LG"], exclude_keywords=["rain"]), SLOT)
    found = {item.paper for section in sections for item in section.items}
    assert training in found
    assert rainy not in found and plural not in found, "the stemmed word is excluded, plural included"


def test_an_include_keyword_matches_whole_words_and_phrases_in_order():
    with time_machine.travel(SLOT, tick=False):
        train = add_paper(title="How we trained the models", categories=["cs.CV"])
        brain = add_paper(title="Brain signals decoded", categories=["cs.CV"])
        phrase = add_paper(title="Graph neural networks at scale", categories=["cs.CV"])
        apart = add_paper(title="Neural fields on a graph", categories=["cs.CV"])
        sections = compose_digest(subscriber(categories=[], include_keywords=["train", "graph neural"]), SLOT)
    found = {item.paper for section in sections for item in section.items}
    assert found == {train, phrase}
    assert brain not in found and apart not in found


def test_the_exclusion_also_applies_to_trending_with_whole_words():
    with time_machine.travel(SLOT, tick=False):
        training = add_paper(title="Training regimes", categories=["cs.CV"], upvotes=9)
        rain = add_paper(title="Rain streaks", categories=["cs.CV"], upvotes=8)
        sections = compose_digest(subscriber(categories=[], trending_count=5, exclude_keywords=["rain"]), SLOT)
    [trending] = sections
    assert [item.paper for item in trending.items] == [training]
    assert rain not in [item.paper for item in trending.items]


# Search: negation, the mode that ran, unknown categories -----------------------------------


@pytest.fixture
def indexed(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    papers = {
        "lecun": add_paper(title="Energy models", authors=["Yann LeCun"], categories=["cs.LG"]),
        "hinton": add_paper(title="Energy capsules", authors=["Geoffrey Hinton"], categories=["cs.CV"]),
        "old": add_paper(
            title="Energy of old", authors=["Ada Lovelace"], categories=["cs.LG"], announced_on=dt.date(2025, 6, 1)
        ),
    }
    index_papers(embed=False)
    return papers


def found_ids(query: str, mode: str = "keyword") -> set[str]:
    from paperfeed.search.service import search

    return {hit.arxiv_id for hit in search(query, mode=mode).hits}


def test_every_operator_honours_a_minus(indexed):
    ids = {name: paper.arxiv_id for name, paper in indexed.items()}
    assert found_ids("energy -author:lecun") == {ids["hinton"], ids["old"]}
    assert found_ids("energy -cat:cs.CV") == {ids["lecun"], ids["old"]}
    assert found_ids("energy -year:2025") == {ids["lecun"], ids["hinton"]}
    assert found_ids("energy -date:2026-03-02") == {ids["old"]}
    assert found_ids("energy author:lecun") == {ids["lecun"]}


def test_negation_works_in_semantic_mode_too(indexed):
    embed_pending(embedder())
    index_papers(embed=False)
    ids = {name: paper.arxiv_id for name, paper in indexed.items()}
    assert found_ids("energy -cat:cs.CV", "semantic") == {ids["lecun"], ids["old"]}
    assert found_ids("energy -year:2025", "semantic") == {ids["lecun"], ids["hinton"]}
    assert found_ids("energy -author:lecun", "semantic") == {ids["hinton"], ids["old"]}


def test_an_unknown_category_is_an_error_on_the_page_the_api_the_cli_and_the_feeds(indexed, client: Client):
    page = client.get("/search/", {"q": "energy cat:cs.XYZ"})
    assert page.status_code == 400 and "cat:cs.XYZ: no paper is listed in this category" in page.content.decode()
    form = client.get("/search/", {"q": "energy", "category": "cs.XYZ"})
    assert form.status_code == 400 and "cat:cs.XYZ" in form.content.decode()
    api = client.get("/api/papers/search", {"q": "energy -cat:cs.XYZ"})
    assert api.status_code == 400 and "cat:cs.XYZ" in api.json()["detail"]
    status, _, err = call("search", "energy cat:cs.XYZ")
    assert status == 1 and "cat:cs.XYZ" in err
    feed = client.get("/feeds/search.atom", {"q": "energy cat:cs.XYZ"})
    assert feed.status_code == 400 and "cat:cs.XYZ" in feed.content.decode()
    assert client.get("/feeds/category/cs.XYZ.atom").status_code == 404
    assert client.get("/feeds/category/cs.LG.atom").status_code == 200


def test_the_search_api_reports_the_mode_that_ran(indexed, client: Client):
    answer = client.get("/api/search", {"q": "energy", "mode": "semantic"}).json()
    assert answer["mode"] == "keyword" and answer["papersWithoutVectors"] == 3


def test_the_clis_semantic_note_says_unembedded_papers_were_not_searched(indexed):
    Paper.objects.filter(pk=indexed["old"].pk).update(title="Energy of old times")  # pending again
    embed_pending(embedder())
    index_papers(embed=False)
    add_paper(title="Energy without a vector")
    index_papers(embed=False)
    _, semantic, _ = call("search", "energy", "--mode", "semantic")
    assert "1 papers have no vectors yet and were not searched" in semantic
    _, hybrid, _ = call("search", "energy")
    assert "1 papers have no vectors yet and were searched by keyword only" in hybrid


def test_the_form_passes_its_filters_as_values_not_as_query_text(indexed, client: Client):
    page = client.get("/search/", {"q": "energy", "category": "cs.CV"}).content.decode()
    assert "Energy capsules" in page and "Energy models" not in page
    quoted = client.get("/search/", {"q": '"cat:cs.CV"', "category": "cs.LG"})
    assert quoted.status_code == 200  # the form's value is never parsed out of the text


# Small things ----------------------------------------------------------------------------


def test_the_tag_box_of_a_paper_not_in_the_library_is_empty(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    paper = add_paper()
    page = signed_in(make_user("alice")).get(f"/paper/{paper.arxiv_id}/").content.decode()
    assert 'name="tags" value=""' in page and "None" not in page.split('name="tags"')[1].split(">")[0]


def test_a_month_old_paper_from_a_daily_listing_cannot_be_submitted():
    old = add_paper(announced_on=timezone.now().date() - dt.timedelta(days=40), published=None)
    assert old.published is None and old.created_at > timezone.now() - dt.timedelta(minutes=1)
    with pytest.raises(SubmitRefused, match="only papers from the last 30 days"):
        submit_paper(make_user("alice"), old.arxiv_id)
    assert not Submission.objects.exists()


def test_the_page_cache_lives_in_the_database_for_every_web_process(client: Client):
    add_paper(title="Cached for everyone")
    client.get("/")
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM paperfeed_cache")
        (rows,) = cursor.fetchone()
    assert rows >= 1
    assert type(caches["default"]).__name__ == "DatabaseCache"


def test_a_query_embedding_never_changes_torchs_process_wide_thread_count(monkeypatch, settings):
    import torch

    from paperfeed.search.embedding import load_embedder

    model = load_embedder(settings.EMBEDDING_MODEL, "cpu")
    before = torch.get_num_threads()

    def refuse(threads: int) -> None:
        raise AssertionError(f"torch.set_num_threads({threads}) called while embedding a query")

    monkeypatch.setattr(torch, "set_num_threads", refuse)
    assert model.embed_query("graph neural networks").shape == (model.dimensions,)
    assert torch.get_num_threads() == before


def test_errors_are_types_not_message_text():
    from paperfeed.search import errors

    assert issubclass(errors.IndexMissing, errors.SearchError)
    assert issubclass(errors.QueryError, errors.SearchError)
    assert json.dumps(str(errors.IndexMissing()))  # carries its message


def test_dates_outside_what_the_indexes_hold_are_a_query_error_everywhere(indexed, client: Client):
    for query in ("-date:9999-12-31", "date:2300", "year:1000", "date:1600.."):
        page = client.get("/search/", {"q": f"energy {query}"})
        assert page.status_code == 400 and "dates from 1900 to 2199 only" in page.content.decode(), query
        assert client.get("/api/papers/search", {"q": f"energy {query}"}).status_code == 400
        assert client.get("/feeds/search.atom", {"q": f"energy {query}"}).status_code == 400
    form = client.get("/search/", {"q": "energy", "date_from": "9999-12-31"})
    assert form.status_code == 400 and "9999-12-31" in form.content.decode()
    status, _, err = call("search", "energy date:9999")
    assert status == 1 and "dates from 1900 to 2199 only" in err
    assert client.get("/search/", {"q": "energy date:2026..2025"}).status_code == 400


def test_the_search_feed_applies_the_pages_filters_and_refuses_control_characters(indexed, client: Client):
    import feedparser

    feed = feedparser.parse(client.get("/feeds/search.atom", {"q": "energy", "category": "cs.CV"}).content)
    assert [entry.title for entry in feed.entries] == ["Energy capsules"]
    lower = feedparser.parse(client.get("/feeds/search.atom", {"q": "energy", "category": "CS.cv"}).content)
    assert [entry.title for entry in lower.entries] == ["Energy capsules"], "the form reads categories as cat: does"
    assert client.get("/feeds/search.atom", {"q": "energy", "category": "cs.XYZ"}).status_code == 400
    for hostile in ("x\x00y", "\x01\x02\x1f"):
        answer = client.get("/feeds/search.atom", {"q": hostile})
        assert answer.status_code == 400 and b"characters" in answer.content  # null or control: both refused


def test_a_hidden_paper_cannot_be_turned_down_or_found_through_recommendations(client: Client):
    from paperfeed.accounts.tokens import create_token

    alice = make_user("alice")
    paper = add_paper(title="Hidden later")
    set_hidden(Paper.objects.filter(pk=paper.pk), True)
    _, token = create_token(alice, "laptop")
    answer = client.post(f"/api/recommendations/not-for-me/{paper.arxiv_id}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert answer.status_code == 404
    assert signed_in(alice).post(f"/recommendations/not-for-me/{paper.arxiv_id}/").status_code == 404


def test_a_paper_never_announced_reaches_the_matching_section_of_its_days_digest():
    with time_machine.travel(SLOT, tick=False):
        only_published = add_paper(title="Published only", announced_on=None, published=SLOT - dt.timedelta(hours=5))
        sections = compose_digest(subscriber(categories=["cs.LG"]), SLOT)
    assert only_published in {item.paper for section in sections for item in section.items}


def test_a_paper_harvested_while_its_submission_waited_is_not_counted_as_brought_in_by_it():
    alice = make_user("alice")
    submit_paper(alice, "2611.00009")
    harvested = add_paper("2611.00009", title="Harvested meanwhile", published=timezone.now(), announced_on=None)
    handle_one_request(lambda arxiv_id: pytest.fail("the store had it: no fetch"))
    submission = Submission.objects.get()
    assert submission.paper == harvested and submission.fetched is False


def test_a_paper_hidden_while_its_submission_waited_is_refused():
    alice = make_user("alice")
    submit_paper(alice, "2611.00010")
    hidden = add_paper("2611.00010", published=timezone.now(), announced_on=None)
    set_hidden(Paper.objects.filter(pk=hidden.pk), True)
    done = handle_one_request(lambda arxiv_id: pytest.fail("the store had it: no fetch"))
    assert done is not None and done.state == "failed" and not Submission.objects.exists()


def test_a_control_character_in_an_old_stored_title_leaves_the_feeds_up(client: Client):
    paper = add_paper(title="Fine title")
    Paper.objects.filter(pk=paper.pk).update(title="Bell \x07 title")  # stored before the store's edge cleaned it
    answer = client.get("/feeds/daily.atom")
    assert answer.status_code == 200 and b"Bell  title" in answer.content


def test_a_paper_hidden_after_composing_is_left_out_of_the_email():
    from paperfeed.digests.contents import listed_papers

    paper = add_paper()
    set_hidden(Paper.objects.filter(pk=paper.pk), True)
    assert listed_papers([paper.pk]) == {}
