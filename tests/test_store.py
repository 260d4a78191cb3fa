"""The store's merge rules (paperfeed/papers/store.py ``upsert_records``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from paperfeed.papers import store
from paperfeed.papers.models import Paper, PaperAuthor, PaperCategory, Sighting
from paperfeed.papers.records import PaperRecord, make_record
from paperfeed.papers.store import upsert_records
from tests.conftest import store_snapshot

pytestmark = pytest.mark.django_db

MARCH_1 = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)


def paper_record(**fields: Any) -> PaperRecord:
    """A valid record with keyword defaults; any field can be overridden."""
    values: dict[str, Any] = {
        "raw_id": "2603.00001",
        "title": "Sparse attention for long documents",
        "abstract": "We study sparse attention.",
        "authors": ["Alice Martin", "Bob Chen"],
        "categories": ["cs.CL", "cs.LG"],
        "published": MARCH_1,
    }
    values.update(fields)
    return make_record(values.pop("raw_id"), values.pop("title"), **values)


def stored(arxiv_id: str = "2603.00001") -> Paper:
    return Paper.objects.get(arxiv_id=arxiv_id)


def author_rows(arxiv_id: str = "2603.00001") -> list[tuple[int, str, str]]:
    rows = PaperAuthor.objects.filter(paper__arxiv_id=arxiv_id).order_by("position")
    return list(rows.values_list("position", "name", "name_key"))


def category_rows(arxiv_id: str = "2603.00001") -> list[tuple[str, bool]]:
    rows = PaperCategory.objects.filter(paper__arxiv_id=arxiv_id).order_by("-is_primary", "category")
    return list(rows.values_list("category", "is_primary"))


def test_a_new_record_is_added_with_author_and_category_rows_in_order() -> None:
    result = upsert_records([paper_record(authors=["Balázs Szegedy", "Bob Chen"])], source="test")
    assert (result.added, result.updated, result.unchanged) == (1, 0, 0)
    assert result.changed_paper_ids == [stored().pk]
    assert author_rows() == [(0, "Balázs Szegedy", "balazs szegedy"), (1, "Bob Chen", "bob chen")]
    assert category_rows() == [("cs.CL", True), ("cs.LG", False)]
    assert stored().primary_category == "cs.CL"


def test_the_same_records_twice_change_nothing() -> None:
    records = [paper_record(), paper_record(raw_id="2603.00002", title="Another paper", version=2)]
    upsert_records(records, source="test")
    before = store_snapshot()
    with time_machine.travel(MARCH_1 + dt.timedelta(days=30)):
        result = upsert_records(
            [paper_record(), paper_record(raw_id="2603.00002", title="Another paper", version=2)], source="test"
        )
    assert (result.added, result.updated, result.unchanged, result.changed_paper_ids) == (0, 0, 2, [])
    assert store_snapshot() == before


def test_a_newer_version_replaces_content_and_rewrites_author_and_category_rows() -> None:
    upsert_records([paper_record(version=1, comment="10 pages")], source="test")
    newer = paper_record(
        version=2,
        title="Sparse attention for very long documents",
        authors=["Bob Chen", "Carol Diaz", "Alice Martin"],
        categories=["cs.LG", "stat.ML"],
        abstract="We study sparse attention at scale.",
        published=MARCH_1 + dt.timedelta(days=9),  # a later "published" never replaces the first one
    )
    result = upsert_records([newer], source="test")
    assert (result.added, result.updated, result.changed_paper_ids) == (0, 1, [stored().pk])
    paper = stored()
    assert (paper.version, paper.title, paper.abstract) == (2, newer.title, newer.abstract)
    assert paper.comment == "10 pages"  # the newer version carries none: the old one stays
    assert paper.published == MARCH_1
    assert paper.primary_category == "cs.LG"
    assert author_rows() == [
        (0, "Bob Chen", "bob chen"),
        (1, "Carol Diaz", "carol diaz"),
        (2, "Alice Martin", "alice martin"),
    ]
    assert category_rows() == [("cs.LG", True), ("stat.ML", False)]


def test_an_older_version_only_fills_blanks() -> None:
    upsert_records([paper_record(version=3, abstract="")], source="test")
    older = paper_record(version=1, title="An early title", abstract="The early abstract.", doi="10.1/x", authors=["X"])
    result = upsert_records([older], source="test")
    assert result.updated == 1
    paper = stored()
    assert (paper.version, paper.title, paper.authors) == (
        3,
        "Sparse attention for long documents",
        ["Alice Martin", "Bob Chen"],
    )
    assert (paper.abstract, paper.doi) == ("The early abstract.", "10.1/x")
    assert [name for _, name, _ in author_rows()] == ["Alice Martin", "Bob Chen"]


def test_the_earliest_dates_and_the_highest_counts_are_kept() -> None:
    day = dt.date(2026, 3, 6)
    upsert_records([paper_record(announced_on=day, upvotes=10, github_stars=50, num_comments=2)], source="test")
    upsert_records(
        [
            paper_record(
                announced_on=day + dt.timedelta(days=1),
                upvotes=7,
                github_stars=80,
                published=MARCH_1 + dt.timedelta(days=1),
            ),
            paper_record(announced_on=day - dt.timedelta(days=3), upvotes=12, github_stars=60, num_comments=1),
        ],
        source="test",
    )
    paper = stored()
    assert (paper.announced_on, paper.published) == (day - dt.timedelta(days=3), MARCH_1)
    assert (paper.upvotes, paper.github_stars, paper.num_comments) == (12, 80, 2)


def test_code_links_are_found_in_the_text_merged_and_flag_the_paper() -> None:
    upsert_records([paper_record(abstract="Code is available at: https: //github.com/alice/sparse.")], source="test")
    assert (stored().code_links, stored().has_code) == (["https://github.com/alice/sparse"], True)
    upsert_records(
        [paper_record(code_links=["https://github.com/Alice/Sparse", "https://gitlab.com/bob/mirror"])], source="hf"
    )
    assert stored().code_links == ["https://github.com/alice/sparse", "https://gitlab.com/bob/mirror"]
    upsert_records([paper_record(raw_id="2603.00002", abstract="No code here.")], source="test")
    assert stored("2603.00002").has_code is False


def test_a_project_page_named_in_the_comment_is_stored() -> None:
    upsert_records([paper_record(comment="Project page: https://alice.github.io/sparse/")], source="test")
    assert stored().project_page == "https://alice.github.io/sparse/"
    assert stored().code_links == []


def test_sightings_record_each_source_once_with_its_first_time() -> None:
    upsert_records([paper_record()], source="file:kaggle", seen_at=MARCH_1)
    upsert_records([paper_record()], source="file:kaggle", seen_at=MARCH_1 + dt.timedelta(days=2))
    upsert_records([paper_record()], source="oai", seen_at=MARCH_1 + dt.timedelta(days=1))
    sightings = Sighting.objects.filter(paper=stored()).order_by("source").values_list("source", "first_seen_at")
    assert list(sightings) == [("file:kaggle", MARCH_1), ("oai", MARCH_1 + dt.timedelta(days=1))]


def test_the_same_id_twice_in_one_batch_is_one_paper() -> None:
    result = upsert_records(
        [paper_record(version=1, comment=""), paper_record(version=2, authors=["Dana Roe"], comment="v2 notes")],
        source="test",
    )
    assert (result.added, result.updated) == (1, 1)
    assert Paper.objects.count() == 1
    assert (stored().version, stored().authors, stored().comment) == (2, ["Dana Roe"], "v2 notes")
    assert author_rows() == [(0, "Dana Roe", "dana roe")]


def test_a_repeated_category_is_one_category_row() -> None:
    upsert_records([paper_record(categories=["cs.CV", "cs.AI", "cs.CV"])], source="test")
    assert category_rows() == [("cs.CV", True), ("cs.AI", False)]


def test_an_unchanged_paper_keeps_its_changed_at() -> None:
    with time_machine.travel(MARCH_1, tick=False):
        upsert_records([paper_record()], source="test")
    with time_machine.travel(MARCH_1 + dt.timedelta(days=1), tick=False):
        upsert_records([paper_record()], source="test")
        assert stored().changed_at == MARCH_1
        upsert_records([paper_record(version=5)], source="test")
    assert stored().changed_at == MARCH_1 + dt.timedelta(days=1)


def test_an_insert_race_lost_to_another_writer_is_retried_on_either_database(monkeypatch) -> None:
    """The papers' plain-row insert (COPY on PostgreSQL) raises Django's IntegrityError on a
    duplicate arXiv id, so ``upsert_records`` looks again instead of failing the import."""
    real, conflicts = store._insert_papers, []

    def racing(papers: list[Paper]) -> None:
        if not conflicts:  # the first attempt: another writer inserted the same id after we looked
            conflicts.append(Paper.objects.create(arxiv_id=papers[0].arxiv_id, title="theirs", changed_at=MARCH_1))
        real(papers)

    monkeypatch.setattr(store, "_insert_papers", racing)
    result = upsert_records([paper_record()], source="test")
    assert len(conflicts) == 1 and result.added == 1  # their row went with the rolled-back attempt
    assert stored().title == "Sparse attention for long documents" and author_rows()[0][1] == "Alice Martin"
