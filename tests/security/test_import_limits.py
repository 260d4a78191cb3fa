"""Hostile import files: a gzip bomb holding one enormous line, a file that decompresses past
the size cap, records with fields far larger than any real paper's, and dates outside the range
papers have. Each is rejected as ``FILE:LINE: reason`` and the good records around it are kept."""

from __future__ import annotations

import gzip
import json
import tracemalloc
from pathlib import Path

import pytest

from paperfeed.papers.formats.common import MAX_LINE_CHARS
from paperfeed.papers.importing import import_file
from paperfeed.papers.models import Paper
from tests.conftest import DAILY_DIR, read_lines

pytestmark = pytest.mark.django_db

MiB = 2**20


def real_lines(count: int = 3) -> list[dict[str, object]]:
    """The first ``count`` records of a real daily listing (2 March 2026), as JSON objects."""
    return [json.loads(line) for line in read_lines(DAILY_DIR / "2026-03-02.jsonl.gz")[:count]]


def write_listing(path: Path, objects: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(obj) + "\n" for obj in objects), encoding="utf-8")
    return path


def test_a_gzip_bomb_holding_one_huge_line_is_rejected_without_holding_the_line(tmp_path: Path) -> None:
    good = real_lines(2)
    path = tmp_path / "2026-03-02.jsonl.gz"
    with gzip.open(path, "wb", compresslevel=1) as packed:
        packed.write((json.dumps(good[0]) + "\n").encode())
        packed.write(b'{"id": "2603.99999", "title": "bomb", "summary": "')
        for _ in range(160):  # a 160 MiB line that compresses to well under 1 MB
            packed.write(b"x" * MiB)
        packed.write(b'"}\n' + (json.dumps(good[1]) + "\n").encode())
    assert path.stat().st_size < 1 * MiB
    # One small import first, so what any first import sets up once (caches, lazily built tables)
    # is not counted as the bomb's memory.
    import_file(write_listing(tmp_path / "2026-03-03.jsonl", [good[0]]))
    tracemalloc.start()
    try:
        report = import_file(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert report.errors == [f"{path}:2: the line is longer than {MAX_LINE_CHARS:,} characters"]
    assert set(Paper.objects.values_list("arxiv_id", flat=True)) == {good[0]["id"], good[1]["id"]}
    # Bounded pieces, never the line: the peak stays far below the 160 MiB the line would take.
    assert peak < 64 * MiB, f"the import held {peak / MiB:.0f} MiB at once for a 160 MiB line"


def test_a_huge_first_line_is_reported_even_though_the_format_cannot_be_told(tmp_path: Path) -> None:
    path = tmp_path / "bomb.jsonl"
    path.write_text("x" * (MAX_LINE_CHARS + 10) + "\n")
    report = import_file(path)
    assert report.errors == [f"{path}:1: the line is longer than {MAX_LINE_CHARS:,} characters"]


def test_a_line_exactly_at_the_cap_at_the_end_of_the_file_is_read(tmp_path: Path) -> None:
    (record,) = real_lines(1)
    text = json.dumps(record)
    record["summary"] = str(record["summary"]) + " " * (MAX_LINE_CHARS - len(text))
    path = tmp_path / "2026-03-02.jsonl"
    path.write_text(json.dumps(record))  # no newline: the whole line is exactly the cap
    assert len(path.read_text()) == MAX_LINE_CHARS
    assert import_file(path).added == 1


def test_a_file_that_decompresses_past_the_cap_keeps_the_records_before_the_cut(tmp_path: Path, settings) -> None:
    lines = read_lines(DAILY_DIR / "2026-03-02.jsonl.gz")
    path = tmp_path / "2026-03-02.jsonl.gz"
    path.write_bytes(gzip.compress("".join(lines).encode()))
    settings.IMPORT_MAX_BYTES = len("".join(lines[:50]).encode()) + 10
    report = import_file(path)
    assert report.errors == [
        f"{path}:51: the file is larger than {settings.IMPORT_MAX_BYTES:,} bytes (PAPERFEED_IMPORT_MAX_BYTES)"
    ]
    assert report.added + report.unchanged == 50  # the listing repeats one paper in its first 50 lines
    assert Paper.objects.count() == len({json.loads(line)["id"] for line in lines[:50]})


def test_an_abs_file_larger_than_a_record_can_be_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "2403.01234.abs"
    path.write_text("arXiv:2403.01234\nTitle: T\n" + ("y" * 1000 + "\n") * 1100)
    assert import_file(path).errors == [f"{path}:1: the file is longer than {MAX_LINE_CHARS:,} characters"]


LINK = "https://github.com/example/repo"


@pytest.mark.parametrize(
    ("hostile", "reason"),
    [
        ({"title": "T" * 2_001}, "title is longer than 2,000 characters"),
        ({"summary": "word " * 4_001}, "abstract is longer than 20,000 characters"),
        ({"comment": "c" * 5_001}, "comment is longer than 5,000 characters"),
        ({"authors": [f"Author {n}" for n in range(5_001)]}, "more than 5,000 authors"),
        ({"authors": [f"Author {n}" for n in range(200_000)]}, "the line is longer than 1,048,576 characters"),
        ({"authors": ["N" * 501]}, "authors must be at most 500 characters each"),
        ({"categories": ["cs.AI"] * 100_000}, "more than 30 categories"),
    ],
    ids=["title", "abstract", "comment", "5001-authors", "200k-authors", "long-name", "100k-categories"],
)
def test_a_listing_record_with_a_field_larger_than_any_paper_is_rejected_and_its_neighbours_kept(
    tmp_path: Path, hostile: dict[str, object], reason: str
) -> None:
    first, second, third = real_lines(3)
    path = write_listing(tmp_path / "2026-03-02.jsonl", [first, {**second, **hostile}, third])
    report = import_file(path)
    assert len(report.errors) == 1 and report.errors[0].startswith(f"{path}:2: ")
    assert reason in report.errors[0]
    assert set(Paper.objects.values_list("arxiv_id", flat=True)) == {first["id"], third["id"]}


def test_a_canonical_record_with_a_hundred_thousand_code_links_is_rejected(tmp_path: Path) -> None:
    links = [f"{LINK}{n}" for n in range(100_000)]
    lines = [
        {"id": "2603.00001", "title": "Fine", "abstract": "A", "code_links": [LINK]},
        {"id": "2603.00002", "title": "Links", "abstract": "A", "code_links": links[:20_000]},
        {"id": "2603.00003", "title": "Fifty-one links", "abstract": "A", "code_links": links[:51]},
    ]
    path = write_listing(tmp_path / "papers.jsonl", lines)
    report = import_file(path)
    assert [error.split(": ", 1)[0] for error in report.errors] == [f"{path}:2", f"{path}:3"]
    assert all("more than 50 code_links" in error for error in report.errors)
    assert list(Paper.objects.values_list("arxiv_id", flat=True)) == ["2603.00001"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("published", "9999-12-31T00:00:00Z"),
        ("updated", "9999-12-31T00:00:00Z"),
        ("announced_on", "9999-12-31"),
        ("announced_on", "1900-01-01"),
        ("hf_submitted_at", "2999-01-01T00:00:00Z"),
    ],
)
def test_a_record_dated_outside_the_range_papers_have_is_rejected(tmp_path: Path, field: str, value: str) -> None:
    lines = [
        {"id": "2603.00001", "title": "Fine", "abstract": "A", "published": "2026-03-02T00:00:00Z"},
        {"id": "2603.00002", "title": "Far", "abstract": "A", field: value},
    ]
    path = write_listing(tmp_path / "papers.jsonl", lines)
    (error,) = import_file(path).errors
    assert error.startswith(f"{path}:2: 2603.00002: {field} {value[:10]} is outside 1986-01-01 .. ")
    assert list(Paper.objects.values_list("arxiv_id", flat=True)) == ["2603.00001"]


def test_the_earliest_real_arxiv_dates_are_still_accepted(tmp_path: Path) -> None:
    path = write_listing(
        tmp_path / "papers.jsonl",
        [{"id": "hep-th/9901001", "title": "Old", "abstract": "A", "published": "1986-04-25T00:00:00Z"}],
    )
    assert import_file(path).added == 1
