"""docs/deploy.md's one-off commands read /etc/paperfeed/env as written: the example env file's
comment line once broke ``env $(cat /etc/paperfeed/env)``. The documented command is taken from
the docs and run in a shell against a copy of deploy/env.example, with the paperfeed command
replaced by one that prints what it was given."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = (ROOT / "docs" / "deploy.md").read_text()
EXAMPLE = ROOT / "deploy" / "env.example"


def documented_migrate_command() -> str:
    """The backticked command in the step-by-step guide that runs ``paperfeed migrate``."""
    (command,) = re.findall(r"`(sudo -u paperfeed [^`]*/etc/paperfeed/env[^`]* migrate'?)`", DEPLOY)
    return command


def example_settings() -> dict[str, str]:
    lines = [line for line in EXAMPLE.read_text().splitlines() if line.strip() and not line.startswith("#")]
    return dict(line.split("=", 1) for line in lines)


def test_the_documented_migrate_command_reads_the_example_env_file_as_written(tmp_path: Path) -> None:
    env_file = tmp_path / "env"
    env_file.write_text(EXAMPLE.read_text())
    fake = tmp_path / ".venv" / "bin" / "paperfeed"
    fake.parent.mkdir(parents=True)
    fake.write_text('#!/bin/sh\necho "args: $*"\nenv | grep -E "^(PAPERFEED_|DATABASE_URL=)" | sort\n')
    fake.chmod(0o755)
    command = (
        documented_migrate_command().removeprefix("sudo -u paperfeed ").replace("/etc/paperfeed/env", str(env_file))
    )
    done = subprocess.run(
        ["sh", "-c", command], cwd=tmp_path, capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"}
    )
    assert done.returncode == 0, done.stderr
    printed = done.stdout.splitlines()
    assert printed[0] == "args: migrate"
    assert dict(line.split("=", 1) for line in printed[1:]) == example_settings()


def test_every_line_of_the_example_env_file_reads_the_same_in_sh_systemd_and_compose() -> None:
    for number, line in enumerate(EXAMPLE.read_text().splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        assert re.fullmatch(r"[A-Z][A-Z0-9_]*=[^\s'\"$`\\]*", line), f"env.example:{number}: {line!r}"
