"""The `paperfeed` console script end to end, in a subprocess on its own database."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import ABS_DIR, KAGGLE, run_cli


def test_migrate_import_paper_and_export_work_from_the_command_line(cli_env: dict[str, str], tmp_path: Path) -> None:
    assert run_cli(cli_env, "migrate", "--no-input", "-v", "0").returncode == 0

    imported = run_cli(cli_env, "import", str(KAGGLE))
    assert (imported.returncode, imported.stdout) == (0, "200 added, 0 updated, 0 unchanged, 0 rejected\n")
    again = run_cli(cli_env, "import", str(KAGGLE))
    assert again.stdout == "0 added, 0 updated, 200 unchanged, 0 rejected\n"

    shown = run_cli(cli_env, "paper", "https://arxiv.org/abs/0704.0001v1")
    assert shown.returncode == 0
    assert shown.stdout.splitlines()[0].startswith("0704.0001v2  Calculation of prompt diphoton production")
    assert json.loads(run_cli(cli_env, "paper", "--json", "0704.0001").stdout)["authors"][0] == "C. Balázs"

    target = tmp_path / "export.jsonl"
    exported = run_cli(cli_env, "export", "-o", str(target))
    assert exported.returncode == 0
    assert [json.loads(line)["id"] for line in target.read_text().splitlines()] == [
        json.loads(line)["id"] for line in KAGGLE.read_text().splitlines()
    ]
    assert run_cli(cli_env, "export").stdout == target.read_text()


def test_failures_exit_with_status_one_and_say_why_on_stderr(cli_env: dict[str, str], tmp_path: Path) -> None:
    run_cli(cli_env, "migrate", "--no-input", "-v", "0")
    unknown = run_cli(cli_env, "paper", "0704.0001")
    assert (unknown.returncode, unknown.stdout) == (1, "")
    assert "no paper 0704.0001 in the store" in unknown.stderr

    bad = tmp_path / "bad.jsonl"
    bad.write_text(KAGGLE.read_text().splitlines()[0] + "\n{oops\n")
    rejected = run_cli(cli_env, "import", str(bad), str(ABS_DIR / "ftp/hep-th/papers/9901/9901001.abs"))
    assert rejected.returncode == 1
    assert rejected.stdout == "2 added, 0 updated, 0 unchanged, 1 rejected\n"
    assert rejected.stderr.startswith(f"{bad}:2: broken JSON")

    assert run_cli(cli_env, "export", "--since", "soon").returncode == 1
    assert run_cli(cli_env, "import", str(tmp_path / "missing.jsonl")).returncode == 1
