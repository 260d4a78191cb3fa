"""The file formats `paperfeed import` reads (paperfeed/papers/formats/): pure parsers on real files."""

from __future__ import annotations

import datetime as dt
import gzip
import itertools
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperfeed.papers import formats
from paperfeed.papers.formats import Parsed, UnknownFormat, detect_format
from paperfeed.papers.records import PaperRecord
from tests.conftest import ABS_DIR, DEDUP, KAGGLE, daily_file, read_lines, shared


def records(format_name: str, path: Path) -> list[PaperRecord]:
    parsed = list(formats.parse(format_name, read_lines(path), str(path)))
    assert [p.error for p in parsed if p.error] == []
    return [p.record for p in parsed if p.record is not None]


def head_lines(path: Path, count: int) -> list[str]:
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        return list(itertools.islice(stream, count))


def abs_record(relative: str) -> PaperRecord:
    (record,) = records("abs", shared("arxiv-abs-files-arxiv-browse", "abs_files", relative))
    return record


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.UTC)


CANONICAL_LINE = json.dumps({"id": "2403.01234", "title": "T", "abstract": "A", "published": "2024-03-01T00:00:00Z"})


@pytest.mark.parametrize(
    ("first_line", "expected"),
    [
        (read_lines(KAGGLE)[0], "kaggle"),
        (read_lines(daily_file("2026-03-02"))[0], "daily-listing"),
        (head_lines(DEDUP, 1)[0], "daily-listing"),
        (read_lines(ABS_DIR / "ftp/hep-th/papers/9901/9901001.abs")[0], "abs"),
        (CANONICAL_LINE, "canonical"),
    ],
)
def test_it_detects_each_format_from_its_first_line(first_line: str, expected: str) -> None:
    assert detect_format(first_line) == expected


@pytest.mark.parametrize(
    "first_line", ["", "hello", "[1, 2]", '{"id": "2403.01234", "title": "no hint"}', "[" * 100_000]
)
def test_it_refuses_to_guess_a_format_it_cannot_tell(first_line: str) -> None:
    with pytest.raises(UnknownFormat, match="--format"):
        detect_format(first_line)


def test_an_unknown_format_name_lists_the_known_ones() -> None:
    with pytest.raises(UnknownFormat, match="kaggle"):
        formats.parse("bibtex", [], "x.bib")


# Kaggle snapshot


def test_kaggle_lines_become_records_with_versions_dates_and_unicode_authors() -> None:
    parsed = records("kaggle", KAGGLE)
    assert len(parsed) == len(read_lines(KAGGLE)) == 200
    first = parsed[0]
    assert first.arxiv_id == "0704.0001"
    assert first.authors == ["C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C.-P. Yuan"]
    assert first.title == "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies"
    assert first.version == 2
    assert first.published == utc(2007, 4, 2, 19, 18, 42)
    assert first.updated == utc(2007, 7, 24, 20, 10, 27)
    assert first.categories == ["hep-ph"]
    assert first.doi == "10.1103/PhysRevD.76.013009"
    assert first.abstract.startswith("A fully differential calculation") and "\n" not in first.abstract
    assert parsed[1].license == "http://arxiv.org/licenses/nonexclusive-distrib/1.0/"
    assert parsed[1].authors == ["Ileana Streinu", "Louis Theran"]


def test_kaggle_and_abs_files_agree_on_the_same_versions_of_the_same_papers() -> None:
    kaggle = {r.arxiv_id: r for r in records("kaggle", KAGGLE)}
    compared = 0
    for path in sorted((ABS_DIR / "ftp/arxiv/papers/0704").glob("*.abs")):
        (from_abs,) = records("abs", path)
        from_kaggle = kaggle.get(from_abs.arxiv_id)
        if from_kaggle is None or from_kaggle.version != from_abs.version:
            continue
        for name in ("title", "authors", "categories", "published", "abstract"):
            assert getattr(from_abs, name) == getattr(from_kaggle, name), (from_abs.arxiv_id, name)
        compared += 1
    assert compared > 150


# Daily listings


def test_a_daily_listing_is_announced_on_the_day_in_its_file_name() -> None:
    path = daily_file("2026-03-06")
    parsed = records("daily-listing", path)
    assert len(parsed) == len(read_lines(path))
    assert {r.announced_on for r in parsed} == {dt.date(2026, 3, 6)}
    first = json.loads(read_lines(path)[0])
    assert (parsed[0].arxiv_id, parsed[0].title, parsed[0].authors) == (first["id"], first["title"], first["authors"])
    assert parsed[0].categories == first["categories"]
    assert parsed[0].comment == first["comment"]


def test_the_deduplicated_listing_is_announced_on_each_lines_first_seen() -> None:
    lines = head_lines(DEDUP, 500)
    parsed = [p.record for p in formats.parse("daily-listing", lines, str(DEDUP))]
    first_seen = [dt.date.fromisoformat(json.loads(line)["first_seen"]) for line in lines]
    assert [r.announced_on for r in parsed if r] == first_seen
    assert len(set(first_seen)) > 1


def test_a_daily_listing_keeps_paragraphs_and_unwraps_lines() -> None:
    (record,) = [
        p.record
        for p in formats.parse(
            "daily-listing",
            [json.dumps({"id": "2603.00001", "title": "T", "summary": "one\nline\n\nnext", "abs": "x"})],
            "2026-03-01.jsonl",
        )
    ]
    assert record is not None and record.abstract == "one line\n\nnext"


# arXiv .abs files


def test_an_abs_file_with_revisions_has_its_version_count_and_dates() -> None:
    record = abs_record("ftp/hep-th/papers/9901/9901001.abs")
    assert record.arxiv_id == "hep-th/9901001"
    assert record.version == 3
    assert record.published == utc(1999, 1, 1, 1, 1, 10)
    assert record.updated == utc(1999, 5, 10, 4, 45, 54)
    assert record.categories == ["hep-th"]
    assert record.journal_ref == "Prog.Theor.Phys.101:1155-1164,1999"
    assert record.doi == "10.1143/PTP.101.1155"
    assert record.abstract.startswith("We explicitly give the correspondence")


def test_an_abs_file_joins_continued_headers_and_keeps_paragraphs() -> None:
    record = abs_record("ftp/math/papers/0202/0202001.abs")
    assert record.arxiv_id == "math/0202001"
    assert record.version == 4
    assert record.authors == ["Laurent Bartholdi", "Rostislav I. Grigorchuk", "Volodymyr V. Nekrashevych"]
    assert record.categories == ["math.GR", "math.DS"]
    assert record.journal_ref == "Fractals in Graz 2001, 25--118, Trends Math., Birkhauser, Basel, 2003"
    assert record.abstract.count("\n\n") == 2  # three indented paragraphs


def test_an_older_version_abs_file_is_that_version() -> None:
    record = abs_record("orig/hep-th/papers/9901/9901001v1.abs")
    assert (record.arxiv_id, record.version, record.updated) == ("hep-th/9901001", 1, None)
    assert record.comment == "12 pages + 4 eps figures, LaTeX"
    assert record.categories == []


def test_every_real_abs_file_parses_except_the_empty_one() -> None:
    errors = {}
    count = 0
    for path in sorted(ABS_DIR.rglob("*.abs")):
        for parsed in formats.parse("abs", path.read_text(errors="replace").splitlines(True), str(path)):
            count += parsed.record is not None
            if parsed.error:
                errors[path.relative_to(ABS_DIR).as_posix()] = parsed.error
    assert errors == {"ftp/math-ph/papers/0509/0509037.abs": "empty file"}
    assert count == len(list(ABS_DIR.rglob("*.abs"))) - 1


# Bad input never raises


def test_bad_json_lines_become_errors_on_their_line_numbers() -> None:
    good = read_lines(daily_file("2026-03-02"))[0]
    lines = [good, "{broken\n", "\n", "[1]\n", "[" * 100_000 + "\n", good]
    parsed = list(formats.parse("daily-listing", lines, "2026-03-02.jsonl"))
    assert [(p.line, p.record is not None) for p in parsed] == [
        (1, True),
        (2, False),
        (4, False),
        (5, False),
        (6, True),
    ]
    assert "broken JSON" in str(parsed[1].error)
    assert "expected a JSON object" in str(parsed[2].error)
    assert "nested too deeply" in str(parsed[3].error)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"id": None}, "missing id"),
        ({"id": 2403.01234}, "id must be a string"),
        ({"id": "2403.1234"}, "malformed arXiv id"),
        ({"title": ""}, "missing title"),
        ({"authors": "A. Author"}, "authors must be a list of strings"),
        ({"categories": [1, 2]}, "categories must be a list of strings"),
        ({"upvotes": "12"}, "upvotes must be an integer"),
        ({"upvotes": -1}, "upvotes must be a non-negative integer"),
        ({"upvotes": 10**12}, "upvotes is larger than"),
        ({"version": 0}, "version must be a positive integer"),
        ({"published": "yesterday"}, "published: not an ISO 8601"),
        ({"published": "Mon, 2 Apr 99999999999999999999 19:18:42 GMT"}, "published: not an ISO 8601"),
        ({"published": "0001-01-01T00:00:00+05:00"}, "published: date out of range"),
        ({"announced_on": "2026-02-30"}, "announced_on"),
        ({"categories": ["cs." + "X" * 40]}, "categories must be at most 32 characters"),
        ({"doi": "10.1/" + "x" * 300}, "doi is longer than 255"),
    ],
)
def test_a_canonical_record_with_a_bad_field_is_an_error_naming_it(change: dict[str, object], reason: str) -> None:
    record = {"id": "2403.01234", "title": "T", "abstract": "A", "authors": ["A"], "published": "2024-03-01"}
    (parsed,) = formats.parse("canonical", [json.dumps({**record, **change})], "x.jsonl")
    assert parsed.record is None
    assert reason in str(parsed.error)


def test_a_nul_or_a_lone_surrogate_is_dropped_from_the_field_that_holds_it() -> None:
    record = {"id": "2403.01234", "title": "Null\u0000byte", "authors": ["Lone \ud800 surrogate"]}
    (parsed,) = formats.parse("canonical", [json.dumps(record)], "x.jsonl")
    assert parsed.record is not None
    assert (parsed.record.title, parsed.record.authors) == ("Nullbyte", ["Lone  surrogate"])


def test_a_kaggle_line_with_a_bad_version_date_is_an_error() -> None:
    obj = json.loads(read_lines(KAGGLE)[0])
    obj["versions"][0]["created"] = "the day after tomorrow"
    (parsed,) = formats.parse("kaggle", [json.dumps(obj)], "k.jsonl")
    assert parsed.record is None and "versions" in str(parsed.error)


def test_an_abs_file_without_separators_is_an_error() -> None:
    (parsed,) = formats.parse("abs", ["arXiv:2403.01234\n", "Title: T\n"], "x.abs")
    assert parsed.record is None and "not an .abs record" in str(parsed.error)


def _mutate(line: str, edits: list[tuple[int, str]]) -> str:
    for position, text in edits:
        cut = position % (len(line) + 1)
        line = line[:cut] + text + line[cut + len(text) :]
    return line


REAL_SAMPLES = {
    "kaggle": read_lines(KAGGLE)[:3],
    "daily-listing": read_lines(daily_file("2026-03-02"))[:3],
    "canonical": [CANONICAL_LINE],
    "abs": [(ABS_DIR / "ftp/math/papers/0202/0202001.abs").read_text()],
    "hf-papers": [  # the first paper of a real archived day, as a whole document
        json.dumps({**day, "papers": day["papers"][:1]}, indent=2)
        for day in [json.loads(shared("hf-daily-papers-hfbot-2026-02", "dates", "2026-02-02.json").read_text())]
    ],
}
EDITS = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=5000),
        st.sampled_from(['"', "{", "}", "null", "[", ":", "\\", "\\\\\n", ",", "1e999", "-", "\n", "Date: x"])
        | st.text(max_size=8),
    ),
    max_size=6,
)


def _only_records_or_errors(format_name: str, lines: list[str]) -> None:
    for parsed in formats.parse(format_name, lines, "2026-03-02.jsonl"):
        assert isinstance(parsed, Parsed)
        assert (parsed.record is None) != (parsed.error is None)
        assert isinstance(parsed.record, PaperRecord) or isinstance(parsed.error, str)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(format_name=st.sampled_from(sorted(formats.FORMATS)), text=st.text(max_size=300))
def test_parsers_turn_random_text_into_records_or_errors_never_exceptions(format_name: str, text: str) -> None:
    _only_records_or_errors(format_name, text.splitlines(keepends=True))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    format_name=st.sampled_from(sorted(formats.FORMATS)),
    sample=st.integers(min_value=0, max_value=2),
    edits=EDITS,
)
def test_parsers_turn_mutated_real_lines_into_records_or_errors(
    format_name: str, sample: int, edits: list[tuple[int, str]]
) -> None:
    lines = REAL_SAMPLES[format_name]
    line = _mutate(lines[sample % len(lines)], edits)
    _only_records_or_errors(format_name, line.splitlines(keepends=True))


HF_DAY = ("hf-daily-papers-hfbot-2026-02", "dates", "2026-02-02.json")
HF_EXPLORER = ("hf-papers-paperexplorer-2023-2024", "papers.json")


def test_an_archived_hugging_face_day_is_detected_and_read_with_upvotes_and_code_links():
    path = shared(*HF_DAY)
    assert detect_format(read_lines(path)[0]) == "hf-papers"
    papers = records("hf-papers", path)
    assert len(papers) == 41
    first = papers[0]
    assert (first.arxiv_id, first.upvotes) == ("2601.23265", 188)
    assert first.code_links == ["https://github.com/dwzhu-pku/PaperBanana"]
    assert first.hf_submitted_at == dt.datetime(2026, 2, 2, tzinfo=dt.UTC)


def test_the_ai_summary_scraped_into_the_abstract_is_cut_off_and_kept_apart():
    first = records("hf-papers", shared(*HF_DAY))[0]
    assert first.abstract.startswith("Despite rapid advances in autonomous AI scientists")
    assert first.ai_summary.startswith("_paperbanana is an agentic framework")


def test_paper_explorers_papers_json_is_read_with_upvotes_and_first_version_times():
    papers = {p.arxiv_id: p for p in records("hf-papers", shared(*HF_EXPLORER))}
    assert len(papers) == 753
    larp = papers["2312.17653"]
    assert larp.title == "LARP: Language-Agent Role Play for Open-World Games"
    assert larp.upvotes == 29 and larp.published == dt.datetime(2023, 12, 24, 10, 8, 59, tzinfo=dt.UTC)


def test_a_broken_hugging_face_document_is_one_error_not_an_exception():
    parsed = list(formats.parse("hf-papers", ["{\n", '  "papers": [{"title": "no id"}, 3]\n', "}\n"], "x.json"))
    assert [p.error for p in parsed] == ["papers[0]: missing id", "papers[1]: expected a JSON object"]
    broken = list(formats.parse("hf-papers", ["{\n", '"a": \n'], "x.json"))
    assert len(broken) == 1 and broken[0].error.startswith("broken JSON")
