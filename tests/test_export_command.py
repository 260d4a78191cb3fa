"""`paperfeed export [--since DATE] [-o FILE]`: canonical JSON Lines that import reads back exactly."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from paperfeed.papers.models import Paper, PaperAuthor, PaperCategory
from tests.conftest import ABS_DIR, KAGGLE, call, daily_file

pytestmark = pytest.mark.django_db

HF_RECORD = {
    "id": "2603.05159",
    "version": 2,
    "title": "Generic camera calibration under motion blur",
    "abstract": "Camera calibration is the foundation of 3D vision.\n\nSecond paragraph.",
    "authors": ["Alice Martin", "Balázs Szegedy"],
    "categories": ["cs.CV", "eess.IV"],
    "published": "2026-03-05T17:59:58Z",
    "updated": "2026-03-20T09:00:00Z",
    "comment": "Project page: https://alice.github.io/calib/",
    "journal_ref": "CVPR 2026",
    "doi": "10.1000/calib",
    "license": "http://creativecommons.org/licenses/by/4.0/",
    "announced_on": "2026-03-06",
    "upvotes": 42,
    "github_stars": 310,
    "num_comments": 3,
    "ai_summary": "A calibration method robust to blur.",
    "ai_keywords": ["camera calibration", "deblurring"],
    "hf_submitted_at": "2026-03-06T08:00:00Z",
    "github_repo": "https://github.com/alice/calib",
    "code_links": ["https://huggingface.co/alice/calib-model"],
}


def import_real_files(tmp_path: Path) -> None:
    hf = tmp_path / "hf.jsonl"
    hf.write_text(json.dumps(HF_RECORD, ensure_ascii=False) + "\n")
    for path in (
        KAGGLE,
        ABS_DIR / "ftp/hep-th",
        ABS_DIR / "orig/hep-th",
        daily_file("2026-03-06"),
        daily_file("2026-03-07"),
        hf,
    ):
        assert call("import", str(path))[0] == 0


def export_to(path: Path, *args: str) -> bytes:
    assert call("export", "-o", str(path), *args)[0] == 0
    return path.read_bytes()


def rows() -> list[Any]:
    """The stored content, without row ids and timestamps."""
    papers = Paper.objects.order_by("arxiv_id").values()
    return [
        [{k: v for k, v in p.items() if k not in ("id", "created_at", "changed_at")} for p in papers],
        list(
            PaperAuthor.objects.order_by("paper__arxiv_id", "position").values_list(
                "paper__arxiv_id", "position", "name", "name_key"
            )
        ),
        list(
            PaperCategory.objects.order_by("paper__arxiv_id", "category").values_list(
                "paper__arxiv_id", "category", "is_primary"
            )
        ),
    ]


@pytest.mark.django_db(transaction=True)
def test_import_of_an_export_into_an_empty_store_round_trips_exactly(tmp_path: Path) -> None:
    import_real_files(tmp_path)
    first = export_to(tmp_path / "first.jsonl")
    before = rows()
    call_command("flush", interactive=False, verbosity=0)
    assert Paper.objects.count() == 0
    code, out, _ = call("import", str(tmp_path / "first.jsonl"))
    assert (code, out) == (0, f"{len(before[0])} added, 0 updated, 0 unchanged, 0 rejected\n")
    assert export_to(tmp_path / "second.jsonl") == first
    assert rows() == before


def test_the_export_carries_every_canonical_field(tmp_path: Path) -> None:
    import_real_files(tmp_path)
    exported = {o["id"]: o for o in map(json.loads, export_to(tmp_path / "out.jsonl").decode().splitlines())}
    record = exported["2603.05159"]
    expected = {k: v for k, v in HF_RECORD.items() if k not in ("github_repo", "code_links")}
    assert {k: record[k] for k in expected} == expected
    assert record["code_links"] == ["https://github.com/alice/calib", "https://huggingface.co/alice/calib-model"]
    assert record["project_page"] == "https://alice.github.io/calib/"
    old = exported["hep-th/9901001"]
    assert (old["version"], old["published"], old["updated"]) == (3, "1999-01-01T01:01:10Z", "1999-05-10T04:45:54Z")
    assert old["abs_url"] == "https://arxiv.org/abs/hep-th/9901001"
    listed = exported["2603.04991"]
    assert listed["announced_on"] == "2026-03-06" and "version" not in listed


def test_stdout_and_output_file_hold_the_same_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import_real_files(tmp_path)
    capsys.readouterr()
    call_command("export")
    printed = capsys.readouterr().out
    assert printed.encode() == export_to(tmp_path / "out.jsonl")
    assert len(printed.splitlines()) == Paper.objects.count()


def test_since_keeps_papers_announced_or_else_published_on_or_after_the_day(tmp_path: Path) -> None:
    for path in (KAGGLE, daily_file("2026-03-04"), daily_file("2026-03-05")):
        call("import", str(path))

    def exported_ids(since: str) -> set[str]:
        return {
            json.loads(line)["id"] for line in export_to(tmp_path / f"{since}.jsonl", "--since", since).splitlines()
        }

    march_5 = set(Paper.objects.filter(announced_on=dt.date(2026, 3, 5)).values_list("arxiv_id", flat=True))
    assert march_5 and exported_ids("2026-03-05") == march_5
    announced = set(Paper.objects.filter(announced_on__isnull=False).values_list("arxiv_id", flat=True))
    published_in_april = {
        p.arxiv_id
        for p in Paper.objects.filter(announced_on__isnull=True)
        if p.published and p.published.date() >= dt.date(2007, 4, 1)
    }
    assert 0 < len(published_in_april) < 200  # some of the snapshot were first published in March 2007
    assert exported_ids("2007-04-01") == announced | published_in_april
    assert exported_ids("2026-03-06") == set()


def test_a_bad_since_date_is_an_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="--since 'yesterday'"):
        call("export", "--since", "yesterday", "-o", str(tmp_path / "out.jsonl"))
    assert list(tmp_path.iterdir()) == []


def test_the_output_file_is_written_whole_with_no_temporary_left(tmp_path: Path) -> None:
    call("import", str(KAGGLE))
    target = tmp_path / "out.jsonl"
    target.write_text("old content\n")
    assert len(export_to(target).splitlines()) == 200
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_an_empty_store_exports_nothing_and_imports_back_to_nothing(tmp_path: Path) -> None:
    assert export_to(tmp_path / "empty.jsonl") == b""
    assert call("import", str(tmp_path / "empty.jsonl")) == (0, "0 added, 0 updated, 0 unchanged, 0 rejected\n", "")
