"""paperfeed similar ID [--limit N] [--json], and paperfeed.search.service.similar."""

from __future__ import annotations

import json

import pytest

from paperfeed.search.indexing import index_papers
from paperfeed.search.service import SearchError, similar
from tests.conftest import call, import_day

# Every test has a data directory of its own (tests/conftest.py), so no other test's index is seen.
pytestmark = pytest.mark.usefixtures("data_dir")


def test_similar_papers_share_the_subject_and_leave_the_paper_out(scifact):
    # Two abstracts cited by the same claim are about the same thing: each should find the other.
    pairs = [sorted(docs) for docs in scifact.relevant.values() if len(docs) > 1]
    assert pairs
    for first, second in pairs:
        hits = [hit.arxiv_id for hit in similar(first, limit=10).hits]
        assert first not in hits and second in hits


def test_similar_hits_are_best_first(scifact):
    scores = [hit.score for hit in similar(scifact.records[0].arxiv_id, limit=10).hits]
    assert len(scores) == 10 and scores == sorted(scores, reverse=True)


def test_a_paper_without_a_vector_yet_still_gets_similar_papers(db):
    import_day()
    index_papers(embed=False)
    status, out, _ = call("similar", "2602.24024", "--limit", "5", "--json")
    hits = json.loads(out)
    assert status == 0 and len(hits) == 5 and "2602.24024" not in {h["id"] for h in hits}


def test_an_unknown_paper_is_an_error(db):
    import_day()
    index_papers(embed=False)
    with pytest.raises(SearchError, match="no paper"):
        similar("2601.00000")
    status, _, err = call("similar", "2601.00000")
    assert status == 1 and "no paper" in err
