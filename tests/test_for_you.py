"""The "For you" page, its API and its thumbs: windows, reasons, thumbs up/down, the cached model, onboarding.

Real papers of three topics with real vectors (tests/recs_support.py).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from paperfeed.accounts.library import save_paper
from paperfeed.accounts.models import LibraryEntry
from paperfeed.accounts.tokens import create_token
from paperfeed.papers.models import Paper, Vote
from paperfeed.recs import model, service
from paperfeed.recs.models import ThumbsDown
from paperfeed.recs.service import recommend
from paperfeed.search.indexing import index_papers
from tests import recs_support
from tests.personas import make_user, signed_in
from tests.recs_support import DAY, topic_of

corpus = recs_support.corpus  # the fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice() -> User:
    return make_user("alice")


def page(client: Client, url: str = "/for-you/") -> str:
    answer = client.get(url)
    assert answer.status_code == 200, answer
    return answer.content.decode()


def test_the_page_ranks_the_windows_papers_by_the_library_and_gives_each_its_reason(corpus, alice):
    spotting = corpus["Keyword_Spotting"]
    save_paper(alice, spotting[0])
    text = page(signed_in(alice))
    first = recommend(alice, limit=1)[0]
    assert topic_of(corpus, first.paper) == "Keyword_Spotting"
    assert text.index(first.paper.arxiv_id) < min(text.index(p.arxiv_id) for p in corpus["Imitation_Learning"])
    assert f"Because you saved “{spotting[0].title}”" in text
    assert first.words and f"Words in common: {', '.join(first.words)}" in text


def test_a_window_keeps_only_its_days_and_a_bad_one_is_a_400(corpus, alice):
    older = corpus["Keyword_Spotting"][5:]
    Paper.objects.filter(pk__in=[p.pk for p in older]).update(announced_on=DAY - dt.timedelta(days=10))
    save_paper(alice, corpus["Keyword_Spotting"][0])
    client = signed_in(alice)
    week, month = page(client, "/for-you/?window=week"), page(client, "/for-you/?window=month")
    assert all(p.arxiv_id not in week and p.arxiv_id in month for p in older)
    answer = client.get("/for-you/?window=year")
    assert answer.status_code == 400 and "window must be one of day, week, month" in answer.content.decode()


def test_the_old_address_redirects_to_for_you_with_its_query(alice):
    answer = signed_in(alice).get("/recommendations/?window=day")
    assert (answer.status_code, answer["Location"]) == (301, "/for-you/?window=day")


def test_a_thumbs_up_saves_the_paper_and_changes_the_next_ranking_at_once(corpus, alice):
    save_paper(alice, corpus["Keyword_Spotting"][0])
    before = recommend(alice, limit=5)
    liked = corpus["Medical_Image_Segmentation"][0]
    client = signed_in(alice)
    answer = client.post(f"/for-you/relevant/{liked.arxiv_id}/", {"next": "/for-you/?window=month"})
    assert (answer.status_code, answer["Location"]) == (302, "/for-you/?window=month")
    assert LibraryEntry.objects.filter(user=alice, paper=liked).exists()
    after = recommend(alice, limit=5)
    assert liked not in [r.paper for r in after]
    assert "Medical_Image_Segmentation" not in {topic_of(corpus, r.paper) for r in before}
    assert any(r.because == liked and topic_of(corpus, r.paper) == "Medical_Image_Segmentation" for r in after)


def test_a_thumbs_up_takes_back_a_thumbs_down(corpus, alice):
    paper = corpus["Imitation_Learning"][0]
    service.turn_down(alice, paper)
    service.thumbs_up(alice, paper)
    assert not ThumbsDown.objects.filter(user=alice, paper=paper).exists()
    assert service.library_of(alice).positives == [paper.pk]


def test_a_thumbs_down_on_the_page_goes_back_and_the_paper_is_gone(corpus, alice):
    save_paper(alice, corpus["Keyword_Spotting"][0])
    first = recommend(alice, limit=1)[0].paper
    answer = signed_in(alice).post(f"/for-you/not-for-me/{first.arxiv_id}/", {"next": "https://evil.example/"})
    assert (answer.status_code, answer["Location"]) == (302, "/for-you/")  # an outside address is never followed
    assert first not in [r.paper for r in recommend(alice, limit=50)]


def test_thumbs_are_rate_limited_like_votes(corpus, alice, settings):
    settings.VOTES_PER_MINUTE = 1
    client = signed_in(alice)
    assert client.post(f"/for-you/relevant/{corpus['Keyword_Spotting'][0].arxiv_id}/").status_code == 302
    answer = client.post(f"/for-you/not-for-me/{corpus['Keyword_Spotting'][1].arxiv_id}/")
    assert answer.status_code == 429 and "at most 1 per minute" in answer.content.decode()
    assert not ThumbsDown.objects.filter(user=alice).exists()


def test_the_model_is_cached_until_the_library_votes_or_thumbs_change(corpus, alice, monkeypatch):
    fits = []
    real_fit = model.fit
    monkeypatch.setattr(model, "fit", lambda *args: fits.append(1) or real_fit(*args))
    for paper in corpus["Imitation_Learning"][:5]:
        save_paper(alice, paper)
    first = recommend(alice, limit=5)
    assert recommend(alice, limit=5) == first and len(fits) == 1  # no change: the cached model
    steps = [
        lambda: save_paper(alice, corpus["Imitation_Learning"][5]),
        lambda: Vote.objects.create(user=alice, paper=corpus["Imitation_Learning"][6], created_at=timezone.now()),
        lambda: service.turn_down(alice, corpus["Keyword_Spotting"][0]),
        lambda: LibraryEntry.objects.filter(user=alice, paper=corpus["Imitation_Learning"][5]).delete(),
    ]
    for count, change in enumerate(steps, start=2):
        change()
        recommend(alice, limit=5)
        recommend(alice, limit=5)
        assert len(fits) == count
    service.reset(alice)
    for paper in corpus["Medical_Image_Segmentation"][:5]:
        save_paper(alice, paper)
    assert topic_of(corpus, recommend(alice, limit=1)[0].paper) == "Medical_Image_Segmentation"
    assert len(fits) == len(steps) + 2


def test_the_api_gives_the_window_reasons_and_words_and_takes_thumbs(corpus, alice):
    save_paper(alice, corpus["Imitation_Learning"][0])
    _, secret = create_token(alice, "recs")
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    body = client.get("/api/recommendations?window=day&limit=3").json()
    expected = recommend(alice, limit=3, candidates=service.recent_papers("day"))
    assert [(item["id"], item["words"]) for item in body] == [(r.paper.arxiv_id, list(r.words)) for r in expected]
    assert client.get("/api/recommendations?window=year").status_code == 400
    liked = corpus["Imitation_Learning"][1]
    assert client.post(f"/api/recommendations/relevant/{liked.arxiv_id}").status_code == 204
    assert liked.pk in service.library_of(alice).saved
    assert client.post("/api/recommendations/relevant/2601.99999").status_code == 404


def test_an_empty_library_is_sent_to_onboarding_with_the_newest_days_papers(corpus, alice):
    client = signed_in(alice)
    answer = client.get("/for-you/")
    assert (answer.status_code, answer["Location"]) == (302, "/for-you/start/")
    text = page(client, "/for-you/start/")
    assert "0 of 5 relevant · 0 of 3 not for me" in text
    assert all(p.arxiv_id in text for p in corpus["Keyword_Spotting"])
    liked, disliked = corpus["Keyword_Spotting"][0], corpus["Imitation_Learning"][0]
    client.post(f"/for-you/relevant/{liked.arxiv_id}/", {"next": "/for-you/start/"})
    client.post(f"/for-you/not-for-me/{disliked.arxiv_id}/", {"next": "/for-you/start/"})
    text = page(client, "/for-you/start/")
    assert "1 of 5 relevant · 1 of 3 not for me" in text and "See your feed" in text
    assert liked.arxiv_id not in text and disliked.arxiv_id not in text  # marked: not offered again
    assert "Because you saved" in page(client, "/for-you/")  # personal from the first save


def test_onboarding_searches_and_says_when_search_cannot_run(corpus, alice, data_dir):
    client = signed_in(alice)
    assert "not built yet" in page(client, "/for-you/start/?q=keyword+spotting")
    index_papers(embed=False)
    text = page(client, "/for-you/start/?q=keyword+spotting")
    assert "Papers for “keyword spotting”" in text
    offered = re.findall(r'<article id="([^"]+)"', text)
    assert {arxiv_id for arxiv_id in offered[:5]} <= {p.arxiv_id for p in corpus["Keyword_Spotting"]}


def test_a_hidden_paper_cannot_be_marked_relevant(corpus, alice):
    hidden = corpus["Keyword_Spotting"][0]
    Paper.objects.filter(pk=hidden.pk).update(is_hidden=True)
    assert signed_in(alice).post(f"/for-you/relevant/{hidden.arxiv_id}/").status_code == 404
    assert not LibraryEntry.objects.filter(user=alice).exists()
    assert hidden.arxiv_id not in page(signed_in(alice), "/for-you/start/")
