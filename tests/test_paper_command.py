"""`paperfeed paper ID [--json]`: one stored paper, code links included."""

from __future__ import annotations

import json

import pytest

from paperfeed.papers.exporting import canonical_dict
from paperfeed.papers.models import Paper
from tests.conftest import ABS_DIR, call, daily_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed() -> None:
    """The real listing of 2026-03-05, where 2603.03292 links its code in markdown."""
    assert call("import", str(daily_file("2026-03-05")))[0] == 0


def test_it_prints_the_paper_with_its_code_links(listed: None) -> None:
    code, out, err = call("paper", "2603.03292")
    assert (code, err) == (0, "")
    paper = Paper.objects.get(arxiv_id="2603.03292")
    lines = out.splitlines()
    assert lines[0] == f"2603.03292  {paper.title}"  # the listing gives no version
    assert lines[1] == ", ".join(paper.authors)
    assert "Code:          https://github.com/NJU-RL/MA-RAG" in lines
    assert "Announced:     2026-03-05" in lines
    assert out.rstrip().endswith(paper.abstract)


def test_it_prints_the_version_of_an_abs_record() -> None:
    call("import", str(ABS_DIR / "ftp/hep-th/papers/9901/9901001.abs"))
    code, out, _ = call("paper", "hep-th/9901001")
    assert code == 0
    assert out.splitlines()[0] == "hep-th/9901001v3  String Junctions and Their Duals in Heterotic String Theory"
    assert "DOI:           10.1143/PTP.101.1155" in out.splitlines()


def test_json_prints_the_canonical_record(listed: None) -> None:
    code, out, _ = call("paper", "--json", "2603.03292")
    assert code == 0
    record = json.loads(out)
    assert record == canonical_dict(Paper.objects.get(arxiv_id="2603.03292"))
    assert record["code_links"] == ["https://github.com/NJU-RL/MA-RAG"]


@pytest.mark.parametrize(
    "given",
    ["2603.03292v2", "https://arxiv.org/abs/2603.03292v1", "https://arxiv.org/pdf/2603.03292", "arXiv:2603.03292"],
)
def test_a_version_suffix_or_url_finds_the_same_paper(listed: None, given: str) -> None:
    assert call("paper", given) == call("paper", "2603.03292")


def test_an_unknown_id_is_a_clear_error(listed: None) -> None:
    code, out, err = call("paper", "2603.99999")
    assert (code, out) == (1, "")
    assert "no paper 2603.99999 in the store" in err


def test_a_malformed_id_is_a_clear_error() -> None:
    code, out, err = call("paper", "2603.1")
    assert (code, out) == (1, "")
    assert "malformed arXiv id '2603.1'" in err
