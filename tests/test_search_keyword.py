"""Keyword search (BM25 in tantivy) through paperfeed.search.service.search(mode="keyword")."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone

from paperfeed.papers.models import Paper
from paperfeed.papers.store import upsert_records
from paperfeed.search.indexing import index_papers
from paperfeed.search.query import QueryError
from paperfeed.search.service import SearchError, search
from tests.conftest import import_day
from tests.search_support import record

# Every test has a data directory of its own (tests/conftest.py), so no other test's index is seen.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("data_dir")]


@pytest.fixture
def two_days():
    import_day("2026-03-02")
    import_day("2026-03-03")
    index_papers(embed=False)


def ids(results):
    return [hit.arxiv_id for hit in results.hits]


def test_searching_before_any_index_says_to_build_one():
    with pytest.raises(SearchError, match="paperfeed index"):
        search("anything", mode="keyword")


def test_a_papers_own_title_finds_it_first(two_days):
    for paper in Paper.objects.order_by("arxiv_id")[:25]:
        assert ids(search(paper.title, mode="keyword", limit=3))[0] == paper.arxiv_id, paper.title


def test_hits_are_best_first_and_carry_title_and_score(two_days):
    results = search("reinforcement learning", mode="keyword", limit=10)
    scores = [hit.score for hit in results.hits]
    assert len(scores) == 10 and scores == sorted(scores, reverse=True)
    assert results.total >= 10
    assert all(hit.title == Paper.objects.get(arxiv_id=hit.arxiv_id).title for hit in results.hits)


def test_offset_pages_through_the_same_ranking(two_days):
    first = ids(search("language models", mode="keyword", limit=10))
    assert ids(search("language models", mode="keyword", limit=5, offset=5)) == first[5:]


def test_title_words_weigh_more_than_abstract_words(two_days):
    hits = search("benchmark", mode="keyword", limit=5).hits
    assert "benchmark" in hits[0].title.lower()


def test_a_phrase_must_appear_as_a_phrase(two_days):
    hits = search('"language models"', mode="keyword", limit=50).hits
    assert hits
    for hit in hits:
        paper = Paper.objects.get(arxiv_id=hit.arxiv_id)
        assert re.search(r"language[\s-]+model", f"{paper.title} {paper.abstract}", re.IGNORECASE)


def test_an_excluded_word_removes_every_paper_with_it(two_days):
    everything = search("learning", mode="keyword", limit=500)
    without = search("learning -graph", mode="keyword", limit=500)
    assert 0 < without.total < everything.total
    for hit in without.hits:
        paper = Paper.objects.get(arxiv_id=hit.arxiv_id)
        assert not re.search(r"\bgraphs?\b", f"{paper.title} {paper.abstract}", re.IGNORECASE)


def test_author_finds_the_papers_of_that_author_only(two_days):
    paper = Paper.objects.order_by("arxiv_id").first()
    surname = paper.authors[0].split()[-1]
    results = search(f"author:{surname}", mode="keyword", limit=50)
    assert paper.arxiv_id in ids(results)
    for hit in results.hits:
        authors = " ".join(Paper.objects.get(arxiv_id=hit.arxiv_id).authors).lower()
        assert surname.lower() in authors


def test_category_filter_keeps_papers_listed_in_that_category(two_days):
    expected = {p.arxiv_id for p in Paper.objects.all() if "cs.CL" in p.categories}
    results = search("cat:cs.CL", mode="keyword", limit=1000)
    assert set(ids(results)) == expected and results.total == len(expected)


def test_date_filters_use_the_announcement_day(two_days):
    day = Paper.objects.order_by("announced_on").first().announced_on
    expected = set(Paper.objects.filter(announced_on=day).values_list("arxiv_id", flat=True))
    assert set(ids(search(f"date:{day}", mode="keyword", limit=1000))) == expected
    assert set(ids(search(f"date:{day}..{day}", mode="keyword", limit=1000))) == expected
    assert not search(f"date:..{day - dt.timedelta(days=1)}", mode="keyword").hits
    assert search("year:2026", mode="keyword").total == Paper.objects.count()


def test_filters_alone_list_newest_first(two_days):
    days = [Paper.objects.get(arxiv_id=a).announced_on for a in ids(search("has:code", mode="keyword", limit=1000))]
    assert days and days == sorted(days, reverse=True)


def test_has_code_keeps_papers_with_code_links(two_days):
    expected = set(Paper.objects.filter(has_code=True).values_list("arxiv_id", flat=True))
    assert expected
    assert set(ids(search("has:code", mode="keyword", limit=1000))) == expected
    assert not expected & set(ids(search("-has:code", mode="keyword", limit=1000)))


def test_words_and_filters_combine(two_days):
    for hit in search("model cat:cs.CV has:code", mode="keyword", limit=100).hits:
        paper = Paper.objects.get(arxiv_id=hit.arxiv_id)
        assert "cs.CV" in paper.categories and paper.has_code


def test_snippets_mark_matched_words_and_escape_the_text():
    upsert_records(
        [
            record(
                "2603.99001", "Escaping test", abstract="We inject <script>alert(1)</script> & study diffusion models."
            )
        ],
        "test",
    )
    index_papers(embed=False)
    snippet = search("diffusion", mode="keyword").hits[0].snippet
    assert "<script>" not in snippet and "&lt;script&gt;" in snippet and "&amp;" in snippet
    assert "<mark>diffusion</mark>" in snippet


def test_a_bad_filter_is_a_query_error(two_days):
    with pytest.raises(QueryError):
        search("date:2026-99-99", mode="keyword")


def test_a_query_of_stop_words_only_finds_nothing(two_days):
    assert search("the of and", mode="keyword").hits == []


def test_new_and_changed_papers_are_indexed_incrementally():
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        import_day("2026-03-02")
    with time_machine.travel(start + dt.timedelta(hours=1), tick=False):
        index_papers(embed=False)
    with time_machine.travel(start + dt.timedelta(hours=2), tick=False):
        upsert_records([record("2603.99002", "Quokka locomotion on sand", abstract="Quokkas hop.")], "test")
        assert not search("quokka", mode="keyword").hits
        report = index_papers(embed=False)
    assert not report.rebuilt and report.keyword_written == 1
    assert ids(search("quokka", mode="keyword")) == ["2603.99002"]


def test_a_changed_title_replaces_the_old_one():
    upsert_records([record("2603.99003", "Wombat burrows", version=1)], "test")
    index_papers(embed=False)
    upsert_records([record("2603.99003", "Echidna spines", version=2)], "test")
    index_papers(embed=False)
    assert not search("wombat", mode="keyword").hits
    assert [(h.arxiv_id, h.title) for h in search("echidna", mode="keyword").hits] == [("2603.99003", "Echidna spines")]


def test_a_hidden_paper_leaves_the_index():
    upsert_records([record("2603.99004", "Platypus venom")], "test")
    index_papers(embed=False)
    Paper.objects.filter(arxiv_id="2603.99004").update(is_hidden=True, changed_at=timezone.now())
    index_papers(embed=False)
    assert not search("platypus", mode="keyword").hits
