"""The `paperfeed` console script in daily use: pipes, usage errors, bad settings, the secret key
file and quiet model loading, each run in a subprocess as a user runs it."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import daily_file, run_cli

SCRIPT = Path(sys.executable).with_name("paperfeed")
SHOW_SECRET = "from django.conf import settings; print(settings.SECRET_KEY)"


def without_secret(env: dict[str, str]) -> dict[str, str]:
    return {name: value for name, value in env.items() if name != "PAPERFEED_SECRET_KEY"}


@pytest.fixture
def stored_day(cli_env: dict[str, str]) -> dict[str, str]:
    """A database of its own holding the real listing of 2 March 2026 (166 papers)."""
    assert run_cli(cli_env, "migrate", "--no-input", "-v", "0").returncode == 0
    assert run_cli(cli_env, "import", "--quiet", str(daily_file("2026-03-02"))).returncode == 0
    return cli_env


def test_export_into_a_reader_that_stops_early_ends_quietly(stored_day: dict[str, str]) -> None:
    shell = f'{shlex.quote(str(SCRIPT))} export | head -1; echo "export exit status ${{PIPESTATUS[0]}}" >&2'
    done = subprocess.run(["bash", "-c", shell], env=stored_day, capture_output=True, text=True, timeout=300)
    assert done.stdout.startswith('{"id": ') and done.stdout.count("\n") == 1
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr
    assert done.stderr.strip() in {"export exit status 0", "export exit status 141"}


def test_a_broken_pipe_elsewhere_than_stdout_still_fails_loudly(cli_env: dict[str, str]) -> None:
    done = run_cli(cli_env, "shell", "--no-imports", "-c", "raise BrokenPipeError(32, 'the SMTP server went away')")
    assert done.returncode == 1
    assert "Traceback" in done.stderr and "the SMTP server went away" in done.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", "graph", "--limit", "-3"], "argument --limit: must be at least 1 (got -3)"),
        (["search", "graph", "--limit", "1001"], "argument --limit: must be at most 1000 (got 1001)"),
        (["search", "graph", "--offset", "-1"], "argument --offset: must be at least 0 (got -1)"),
        (["search", "graph", "--limit", "many"], "argument --limit: 'many' is not a whole number"),
        (["similar", "2602.24024", "--limit", "0"], "argument --limit: must be at least 1 (got 0)"),
        (["index", "--embed-limit", "0"], "argument --embed-limit: must be at least 1 (got 0)"),
        (["ingest", "arxiv-api", "--query", "x", "--max", "0"], "argument --max: must be at least 1 (got 0)"),
    ],
)
def test_a_numeric_option_out_of_range_is_a_usage_error_naming_the_option(
    cli_env: dict[str, str], args: list[str], message: str
) -> None:
    done = run_cli(cli_env, *args)
    assert (done.returncode, done.stdout) == (2, "")
    assert message in done.stderr and "Traceback" not in done.stderr


def test_a_bad_setting_prints_its_message_alone_and_exits_with_status_two(cli_env: dict[str, str]) -> None:
    done = run_cli({**cli_env, "PAPERFEED_VOTES_PER_MINUTE": "abc"}, "export")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "paperfeed: PAPERFEED_VOTES_PER_MINUTE='abc' is not an integer\n"


def test_no_secret_key_prints_the_message_alone_and_exits_with_status_two(cli_env: dict[str, str]) -> None:
    done = run_cli(without_secret(cli_env), "export")
    assert done.returncode == 2
    assert done.stderr.startswith("paperfeed: PAPERFEED_SECRET_KEY must be set") and "Traceback" not in done.stderr


def test_the_secret_key_file_in_the_data_directory_stands_in_for_the_variable(cli_env: dict[str, str]) -> None:
    data = Path(cli_env["PAPERFEED_DATA_DIR"])
    data.mkdir(parents=True)
    (data / "secret_key").write_text("a-secret-written-by-make-run\n")
    (data / "secret_key").chmod(0o600)
    shown = run_cli(without_secret(cli_env), "shell", "--no-imports", "-c", SHOW_SECRET)
    assert (shown.returncode, shown.stdout) == (0, "a-secret-written-by-make-run\n")


def test_a_secret_key_file_every_user_may_read_is_refused(cli_env: dict[str, str]) -> None:
    data = Path(cli_env["PAPERFEED_DATA_DIR"])
    data.mkdir(parents=True)
    (data / "secret_key").write_text("a-secret\n")
    (data / "secret_key").chmod(0o644)
    done = run_cli(without_secret(cli_env), "export")
    assert done.returncode == 2
    secret = data / "secret_key"
    assert done.stderr == f"paperfeed: {secret} is readable by every user: chmod 600 {secret}\n"


def test_the_variable_wins_over_the_secret_key_file(cli_env: dict[str, str]) -> None:
    data = Path(cli_env["PAPERFEED_DATA_DIR"])
    data.mkdir(parents=True)
    (data / "secret_key").write_text("from-the-file\n")
    (data / "secret_key").chmod(0o600)
    shown = run_cli(cli_env, "shell", "--no-imports", "-c", SHOW_SECRET)
    assert shown.stdout == "cli-test\n"


def test_a_semantic_search_prints_no_library_logs_or_progress_bars(stored_day: dict[str, str]) -> None:
    assert run_cli(stored_day, "index", "--embed-limit", "20", "--quiet").returncode == 0
    done = run_cli(stored_day, "search", "graph", "--mode", "semantic", "--limit", "3")
    assert done.returncode == 0 and "3 shown of" in done.stdout
    assert "INFO" not in done.stderr and "Loading" not in done.stderr, done.stderr
