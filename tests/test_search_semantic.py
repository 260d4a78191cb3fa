"""Semantic search: vectors of the packaged MiniLM, computed in batches, searched with filters."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from django.utils import timezone

from paperfeed.papers.models import Paper
from paperfeed.papers.store import upsert_records
from paperfeed.search.embedding import EmbeddingModelError, check_weights, model_id, packaged_model_dir
from paperfeed.search.indexing import embed_next_batch, index_papers, pending_papers
from paperfeed.search.models import PaperVector
from paperfeed.search.service import search
from tests.search_support import add_scifact, embedder, record, scifact_subset

# Every test has a data directory of its own (tests/conftest.py), so no other test's index is seen.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("data_dir")]


def ids(results):
    return [hit.arxiv_id for hit in results.hits]


def test_scifact_claims_find_their_cited_abstract_in_the_top_ten(scifact):
    found = sum(
        bool(set(ids(search(text, mode="semantic", limit=10))) & scifact.relevant[q])
        for q, text in scifact.queries.items()
    )
    assert found >= 0.8 * len(scifact.queries)


def test_semantic_hits_are_ranked_by_cosine_similarity(scifact):
    results = search("vitamin D and bone fractures", mode="semantic", limit=20)
    scores = [hit.score for hit in results.hits]
    assert results.mode == "semantic" and len(scores) == 20
    assert scores == sorted(scores, reverse=True) and all(-1 <= s <= 1.0001 for s in scores)


def test_every_mode_filter_applies_to_semantic_search(scifact):
    papers = {p.arxiv_id: p for p in Paper.objects.all()}
    results = search("cancer cat:q-bio.QM date:2026-03-02..2026-03-03 has:code", mode="semantic", limit=100)
    expected = {a for a, p in papers.items() if "q-bio.QM" in p.categories and p.has_code and p.announced_on.day >= 2}
    assert results.hits and set(ids(results)) == expected and results.total == len(expected)


def test_excluded_words_and_phrases_hold_in_semantic_search(scifact):
    for hit in search("cells -cell", mode="semantic", limit=50).hits:
        paper = Paper.objects.get(arxiv_id=hit.arxiv_id)
        assert " cell " not in f" {paper.title} {paper.abstract} ".lower().replace(".", " ").replace(",", " ")


def test_papers_without_vectors_are_counted_and_keyword_searchable_at_once(scifact):
    upsert_records([record("2603.99010", "Axolotl regeneration"), record("2603.99011", "Axolotl limbs")], "test")
    index_papers(embed=False)
    results = search("axolotl", mode="semantic")
    assert results.papers_without_vectors == 2
    assert not {"2603.99010", "2603.99011"} & set(ids(results))
    assert set(ids(search("axolotl", mode="keyword"))) == {"2603.99010", "2603.99011"}


def test_vectors_of_another_model_are_never_mixed_in(scifact, settings):
    settings.EMBEDDING_MODEL = "some/other-model"
    results = search("cancer", mode="semantic")
    assert results.mode == "keyword"
    assert results.papers_without_vectors == Paper.objects.count()
    assert pending_papers(model_id("some/other-model")).count() == Paper.objects.count()


def test_embedding_goes_in_batches_and_resumes_where_it_stopped():
    add_scifact(scifact_subset())
    before = pending_papers(embedder().model_id).count()
    assert embed_next_batch(embedder(), 4) == 4
    assert pending_papers(embedder().model_id).count() == before - 4
    vector = PaperVector.objects.first()
    assert np.frombuffer(bytes(vector.vector), dtype="<f4").shape == (384,)
    assert vector.model_id == model_id("")


def test_a_paper_whose_text_did_not_change_is_not_embedded_again():
    add_scifact(scifact_subset())
    embed_next_batch(embedder(), 2)
    first = PaperVector.objects.order_by("pk").first()
    Paper.objects.filter(pk=first.pk).update(changed_at=timezone.now() + dt.timedelta(seconds=1))
    assert pending_papers(embedder().model_id).filter(pk=first.pk).exists()
    embed_next_batch(embedder(), 50)
    again = PaperVector.objects.get(pk=first.pk)
    assert again.computed_at == first.computed_at and bytes(again.vector) == bytes(first.vector)
    assert not pending_papers(embedder().model_id).filter(pk=first.pk).exists()


def test_the_packaged_weights_are_checked_before_use(tmp_path: Path):
    assert check_weights(packaged_model_dir())
    (tmp_path / "model.safetensors").write_bytes(b"not the weights")
    with pytest.raises(EmbeddingModelError, match="sha256"):
        check_weights(tmp_path)
