"""What goes into a digest: trending and saved-search sections, each paper once, in order."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from paperfeed.digests.compose import compose_digest
from paperfeed.papers.models import Paper
from paperfeed.search.indexing import index_papers
from tests.conftest import import_day
from tests.digest_support import SLOT, subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def papers():
    with time_machine.travel(SLOT, tick=False):
        import_day()
        yield


def titles(section) -> list[str]:
    return [item.paper.title for item in section.items]


def test_the_trending_section_has_the_top_n_of_the_sites_ranking(papers):
    hot = list(Paper.objects.order_by("arxiv_id")[:3])
    for upvotes, paper in zip((90, 50, 20), hot, strict=True):
        Paper.objects.filter(pk=paper.pk).update(upvotes=upvotes)
    [section] = compose_digest(subscriber(categories=[], trending_count=2), SLOT)
    assert section.title == "Trending"
    assert titles(section) == [hot[0].title, hot[1].title]


def test_the_trending_section_holds_only_papers_new_in_the_digests_window(papers):
    """A store whose newest papers are months old has no trending papers to offer a digest due today."""
    Paper.objects.filter(pk=Paper.objects.order_by("arxiv_id")[0].pk).update(upvotes=90)
    months_later = SLOT + dt.timedelta(days=120)
    with time_machine.travel(months_later, tick=False):
        subscription = subscriber(categories=[], trending_count=3, next_digest_at=months_later)
        assert compose_digest(subscription, months_later) == []  # the window holds none of them
    assert len(compose_digest(subscription, SLOT)[0].items) == 3


def test_a_saved_search_brings_the_papers_it_finds_and_a_paper_comes_once(papers, settings):
    index_papers(embed=False)
    paper = Paper.objects.get(arxiv_id=Paper.objects.order_by("arxiv_id").values_list("arxiv_id", flat=True)[5])
    query = f'"{paper.title}"'
    follows_it = paper.categories[0]
    sections = compose_digest(subscriber(categories=[follows_it], saved_searches=[query]), SLOT)
    found = [item.paper for section in sections for item in section.items]
    assert paper in found
    assert len(found) == len(set(found)), "a paper appears in one section only"
    alone = compose_digest(subscriber("bob@example.org", categories=[], saved_searches=[query]), SLOT)
    assert [s.title for s in alone] == [f"Saved search: {query}"]
    assert paper in [item.paper for item in alone[0].items]
