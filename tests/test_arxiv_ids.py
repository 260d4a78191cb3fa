"""arXiv identifiers (paperfeed/lib/arxiv_ids.py): every shape users and upstream write them in."""

from __future__ import annotations

import json

import pytest

from paperfeed.lib.arxiv_ids import ArxivId, InvalidArxivId, abs_url, parse_arxiv_id, pdf_url
from tests.conftest import ABS_DIR, KAGGLE, read_lines, shared


@pytest.mark.parametrize(
    ("text", "base", "version"),
    [
        ("2403.01234", "2403.01234", None),
        ("2403.01234v2", "2403.01234", 2),
        ("0704.0001", "0704.0001", None),  # the first new-style id: 4-digit sequence
        ("1412.9999v12", "1412.9999", 12),
        ("1501.00001", "1501.00001", None),  # 5-digit sequence numbers from January 2015
        ("hep-th/9901001", "hep-th/9901001", None),
        ("hep-th/9901001v3", "hep-th/9901001", 3),
        ("math.AG/0202001", "math/0202001", None),  # the subject class is not part of the identity
        ("math.AG/0202001v2", "math/0202001", 2),
        ("cond-mat.str-el/0703001", "cond-mat/0703001", None),
        ("https://arxiv.org/abs/2403.01234v2", "2403.01234", 2),
        ("http://arxiv.org/abs/2403.01234", "2403.01234", None),
        ("https://arxiv.org/pdf/2403.01234v3.pdf", "2403.01234", 3),
        ("https://arxiv.org/pdf/2403.01234", "2403.01234", None),
        ("https://arxiv.org/abs/hep-th/9901001v2", "hep-th/9901001", 2),
        ("https://export.arxiv.org/abs/2403.01234/", "2403.01234", None),
        ("oai:arXiv.org:0704.0001", "0704.0001", None),
        ("oai:arXiv.org:math/0202001", "math/0202001", None),
        ("arXiv:2403.01234v1", "2403.01234", 1),
        ("  2403.01234\n", "2403.01234", None),
    ],
)
def test_it_parses_ids_urls_and_oai_identifiers(text: str, base: str, version: int | None) -> None:
    assert parse_arxiv_id(text) == ArxivId(base, version)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "not an id",
        "2403.1234",  # 4-digit sequence after 2015
        "1412.01234",  # 5-digit sequence before 2015
        "2413.01234",  # month 13
        "2400.01234",  # month 0
        "0612.0001",  # new-style ids began in April 2007
        "2403.01234v0",  # versions start at 1
        "2403.01234v",
        "2403.01234/extra",
        "hep-th/990101",  # six digits
        "hep-th/99010011",  # eight digits
        "hep-th/9913001",  # month 13
        "HEP-TH/9901001",
        "hep-th9901001",
        "a" * 40 + "/9901001",  # no archive is that long, and the id would not fit the store
        "https://arxiv.org/abs/",
        "https://example.org/abs/2403.01234",
    ],
)
def test_it_rejects_malformed_ids_naming_the_input(text: str) -> None:
    with pytest.raises(InvalidArxivId, match="arXiv"):
        parse_arxiv_id(text)


def test_an_id_prints_with_its_version_and_without_it_when_unknown() -> None:
    assert str(parse_arxiv_id("hep-th/9901001v3")) == "hep-th/9901001v3"
    assert str(parse_arxiv_id("https://arxiv.org/abs/2403.01234")) == "2403.01234"


def test_abs_and_pdf_urls_parse_back_to_the_same_id() -> None:
    for arxiv_id in ("2403.01234", "hep-th/9901001"):
        assert parse_arxiv_id(abs_url(arxiv_id)).base == arxiv_id
        assert parse_arxiv_id(pdf_url(arxiv_id)).base == arxiv_id


def test_every_abs_file_id_parses_to_the_id_its_path_names() -> None:
    files = sorted(shared("arxiv-abs-files-arxiv-browse", "abs_files", "ftp").rglob("*.abs"))
    misnamed = []
    for path in files:
        text = path.read_text(errors="replace")
        header = next((line for line in text.splitlines() if line.startswith("arXiv:")), None)
        if header is None:  # the one empty file
            continue
        parsed = parse_arxiv_id(header)
        assert str(parsed) == header.removeprefix("arXiv:")
        archive = path.relative_to(ABS_DIR / "ftp").parts[0]
        if parsed.base != (path.stem if archive == "arxiv" else f"{archive}/{path.stem}"):
            misnamed.append(path.relative_to(ABS_DIR).as_posix())
    # Upstream's fixture stores cs/0006008 under the name 0006007.abs; every other file matches.
    assert misnamed == ["ftp/cs/papers/0006/0006007.abs"]


def test_every_kaggle_and_daily_listing_id_parses_unchanged() -> None:
    lines = read_lines(KAGGLE) + read_lines(shared("arxiv-cs-daily-2026-dengwei", "daily", "2026-03-02.jsonl.gz"))
    ids = [json.loads(line)["id"] for line in lines]
    assert [parse_arxiv_id(i).base for i in ids] == ids
