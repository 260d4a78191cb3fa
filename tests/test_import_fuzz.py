"""Fuzzing `import_file` with random bytes and mutated real files (hypothesis, bounded examples).

Whatever the file holds, the import never raises: a bad record is reported as ``FILE:LINE: reason``
and skipped, every stored paper is whole (an id and a title), and importing the same file again
changes nothing.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperfeed.papers.importing import import_file
from paperfeed.papers.models import Paper
from tests.conftest import ABS_DIR, DAILY_DIR, KAGGLE, read_lines

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,  # the same examples on every run and both databases
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _seed_files() -> dict[str, bytes]:
    """Small real files, one of each importable format, as the bytes a user would hand in."""
    daily = "".join(read_lines(DAILY_DIR / "2026-03-02.jsonl.gz")[:12]).encode()
    kaggle = "".join(read_lines(KAGGLE)[:8]).encode()
    abs_file = sorted(ABS_DIR.rglob("*.abs"))[0].read_bytes()
    return {"2026-03-02.jsonl": daily, "kaggle.jsonl": kaggle, "paper.abs": abs_file}


SEEDS = _seed_files()


def _flip(data: bytes, positions: list[int]) -> bytes:
    out = bytearray(data)
    for position in positions:
        if out:
            out[position % len(out)] ^= 0xFF
    return bytes(out)


def _splice(data: bytes, cut: int, other: bytes, other_cut: int) -> bytes:
    lines, others = data.splitlines(keepends=True), other.splitlines(keepends=True)
    return b"".join(lines[: cut % (len(lines) + 1)] + others[other_cut % (len(others) + 1) :])


@st.composite
def mutated_files(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(st.sampled_from(sorted(SEEDS)))
    data = SEEDS[name]
    mutation = draw(st.sampled_from(["truncate", "flip", "splice", "gzip-truncate", "bad-utf8", "huge-line", "gzip"]))
    if mutation == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif mutation == "flip":
        data = _flip(data, draw(st.lists(st.integers(0, len(data)), min_size=1, max_size=8)))
    elif mutation == "splice":
        other = SEEDS[draw(st.sampled_from(sorted(SEEDS)))]
        data = _splice(data, draw(st.integers(0, 50)), other, draw(st.integers(0, 50)))
    elif mutation == "gzip-truncate":
        packed = gzip.compress(data)
        return name + ".gz", packed[: draw(st.integers(0, len(packed) - 1))]
    elif mutation == "bad-utf8":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from([b"\xff\xfe", b"\xc3", b"\xed\xa0\x80", b"\x00"])) + data[at:]
    elif mutation == "huge-line":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + b"x" * 2_000_000 + data[at:]
    if mutation == "gzip" or (draw(st.booleans()) and mutation == "flip"):
        return name + ".gz", _flip(gzip.compress(data), draw(st.lists(st.integers(0, 10_000), max_size=3)))
    return name, data


def _stored() -> list[tuple[object, ...]]:
    return list(
        Paper.objects.order_by("arxiv_id").values_list("arxiv_id", "title", "abstract", "authors", "changed_at")
    )


def _check_import(path: Path) -> None:
    report = import_file(path)
    for message in report.errors:
        assert re.match(rf"^{re.escape(str(path))}:\d+: \S", message), message
    assert report.rejected == len(report.errors)
    for arxiv_id, title in Paper.objects.values_list("arxiv_id", "title"):
        assert arxiv_id and title.strip(), f"a partial record was stored: {arxiv_id!r} {title!r}"
    before = _stored()
    again = import_file(path)
    assert (again.added, again.updated) == (0, 0)
    assert again.errors == report.errors
    assert _stored() == before


@FUZZ
@given(data=st.binary(max_size=4096), gzipped=st.booleans(), name=st.sampled_from(["x.jsonl", "x.abs", "x.json"]))
def test_random_bytes_are_rejected_by_line_never_raised(tmp_path: Path, data: bytes, gzipped: bool, name: str) -> None:
    path = tmp_path / (name + (".gz" if gzipped else ""))
    path.write_bytes(gzip.compress(data) if gzipped else data)
    _check_import(path)


@FUZZ
@given(mutated=mutated_files())
def test_mutated_real_files_import_what_is_whole_and_report_the_rest(
    tmp_path: Path, mutated: tuple[str, bytes]
) -> None:
    name, data = mutated
    path = tmp_path / name
    path.write_bytes(data)
    _check_import(path)


def test_a_truncated_gzip_file_keeps_the_records_before_the_break(tmp_path: Path) -> None:
    whole = SEEDS["2026-03-02.jsonl"]
    path = tmp_path / "2026-03-02.jsonl.gz"
    path.write_bytes(gzip.compress(whole)[:-40])
    report = import_file(path)
    assert report.rejected == 1
    assert re.match(rf"^{re.escape(str(path))}:\d+: ", report.errors[0])
    assert 0 < Paper.objects.count() < len(whole.splitlines())
