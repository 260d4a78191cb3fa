"""Shared fixtures: the real data in ../shared/data, temporary copies with bad lines, the CLI."""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

# The real public data lies beside the repository (../shared/data), never inside it.
SHARED = Path(os.environ.get("PAPERFEED_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))

DAILY_DIR = SHARED / "arxiv-cs-daily-2026-dengwei" / "daily"
DEDUP = SHARED / "arxiv-cs-daily-2026-dengwei" / "papers_dedup.jsonl.gz"
KAGGLE = SHARED / "arxiv-kaggle-snapshot-sample" / "arxiv-metadata-oai-snapshot.head.jsonl"
ABS_DIR = SHARED / "arxiv-abs-files-arxiv-browse" / "abs_files"


def shared(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.fail(f"missing shared data file {path}: tests read the real data in ../shared/data")
    return path


def gunzip_to(source: Path, target: Path) -> Path:
    with gzip.open(source, "rb") as src, target.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    return target


@pytest.fixture
def cli_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Environment for running the `paperfeed` console script in a subprocess on its own database.

    On the PostgreSQL run (DATABASE_URL set) each test gets a fresh database on that server.
    """
    env = {**os.environ, "PAPERFEED_DATA_DIR": str(tmp_path / "data"), "PAPERFEED_SECRET_KEY": "cli-test"}
    env["DJANGO_SETTINGS_MODULE"] = "paperfeed.settings"
    url = os.environ.get("DATABASE_URL")
    if not url:
        yield env
        return
    import psycopg

    name = f"cli_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + name
    yield env
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run `paperfeed ARGS` as a user would (the installed console script)."""
    script = Path(sys.executable).with_name("paperfeed")
    return subprocess.run([str(script), *args], env=env, capture_output=True, text=True, timeout=600)
