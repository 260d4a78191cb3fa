"""Property: real records from the shared data with hostile fields (huge, control characters,
markup, far dates, negative numbers) go through the import path. Whatever a record holds, the
import never raises, the store stays consistent (every paper whole, its author and category rows
matching), and the paper's page, its day's page and the Atom feeds holding it answer 200."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperfeed.lib.xmltext import xml_safe
from paperfeed.papers.importing import import_file
from paperfeed.papers.models import Paper, PaperAuthor, PaperCategory
from tests.conftest import DAILY_DIR, read_lines

pytestmark = pytest.mark.django_db

PROPERTY = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
REAL = [json.loads(line) for line in read_lines(DAILY_DIR / "2026-03-02.jsonl.gz")[:20]]

hostile_text = st.one_of(
    st.text(st.characters(codec="utf-8", categories=["Cc", "Cs", "Co", "Cn", "Zs", "Ll"]), max_size=40),
    st.sampled_from(['<img src=x onerror="alert(1)">', "</summary><x>", "]]>", "&#0;", "\x07\x1b[2J\ufffe\uffff"]),
    st.integers(0, 30_000).map(lambda n: "a" * n),
)
far_date = st.sampled_from(["9999-12-31", "0001-01-01", "1985-12-31", "2999-01-01", "1986-01-01", "2026-03-03"])
negative = st.integers(-(2**63), -1)


@st.composite
def hostile_records(draw: st.DrawFn) -> dict[str, object]:
    """A real daily-listing record turned canonical, with some fields replaced by hostile ones."""
    real = draw(st.sampled_from(REAL))
    record: dict[str, object] = {
        "id": real["id"],
        "title": real["title"],
        "abstract": real["summary"],
        "authors": real["authors"],
        "categories": real["categories"],
        "announced_on": "2026-03-02",
    }
    fields = draw(
        st.sets(st.sampled_from(["title", "abstract", "comment", "authors", "categories", "doi", "dates", "counts"]))
    )
    for name in fields & {"title", "abstract", "comment", "doi"}:
        record[name] = str(record.get(name, "")) + draw(hostile_text)
    if "authors" in fields:
        record["authors"] = draw(st.lists(hostile_text, max_size=5)) + [str(a) for a in real["authors"]]  # type: ignore[attr-defined]
    if "categories" in fields:
        record["categories"] = [*draw(st.lists(hostile_text.filter(str.strip), max_size=3)), "cs.LG"]
    if "dates" in fields:
        record["announced_on"] = draw(far_date)
        record["published"] = draw(far_date) + "T12:00:00Z"
    if "counts" in fields:
        record[draw(st.sampled_from(["upvotes", "github_stars", "num_comments", "version"]))] = draw(negative)
    return record


def assert_store_consistent() -> None:
    for paper in Paper.objects.all():
        assert paper.arxiv_id and paper.title.strip()
        for text in (paper.title, paper.abstract, paper.comment, *paper.authors, *paper.categories):
            assert xml_safe(text) == text, f"{paper.arxiv_id} stores a character XML cannot carry"
        assert list(PaperAuthor.objects.filter(paper=paper).order_by("position").values_list("name", flat=True)) == [
            name[:500] for name in paper.authors
        ]
        assert set(PaperCategory.objects.filter(paper=paper).values_list("category", flat=True)) == set(
            paper.categories
        )


def assert_pages_answer(client: Client, paper: Paper) -> None:
    day = paper.day
    paths = [f"/paper/{paper.arxiv_id}/", "/", "/feeds/daily.atom", "/feeds/trending.atom"]
    paths += [f"/day/{day}/"] if day else []
    paths += [f"/feeds/category/{paper.primary_category}.atom"] if paper.primary_category.isprintable() else []
    for path in paths:
        assert client.get(path).status_code == 200, path


@PROPERTY
@given(records=st.lists(hostile_records(), min_size=1, max_size=3))
def test_hostile_fields_on_real_records_never_break_the_store_or_the_pages(
    tmp_path: Path, client: Client, records: list[dict[str, object]]
) -> None:
    Paper.objects.all().delete()
    cache.clear()  # the page cache would answer for the previous example's papers
    path = tmp_path / "hostile.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8", errors="surrogatepass")
    report = import_file(path)
    assert report.rejected == len(report.errors)
    assert all(error.startswith(f"{path}:") for error in report.errors)
    assert_store_consistent()
    for paper in Paper.objects.all():
        assert_pages_answer(client, paper)
