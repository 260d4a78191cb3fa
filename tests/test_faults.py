"""Faults: a worker process killed with SIGKILL mid-index, then restarted, loses and doubles nothing.

(Kills mid-harvest and mid-digest live beside their features: test_source_arxiv_oai.py and
test_digest_delivery.py.)
"""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import DAILY_DIR, run_cli

PAPERS = 48


def count(env: dict[str, str], model: str = "paperfeed.search.models.PaperVector") -> int:
    module, name = model.rsplit(".", 1)
    code = f"from {module} import {name}; print({name}.objects.count())"
    return int(run_cli(env, "shell", "--no-imports", "-c", code).stdout.strip().splitlines()[-1])


def test_a_worker_killed_mid_index_resumes_without_losing_or_doubling_a_vector(cli_env, tmp_path):
    assert run_cli(cli_env, "migrate", "-v", "0").returncode == 0
    sample = tmp_path / "sample.jsonl"
    with gzip.open(DAILY_DIR / "2026-03-02.jsonl.gz") as source:
        sample.write_bytes(b"".join(source.readline() for _ in range(PAPERS)))
    assert run_cli(cli_env, "import", str(sample)).returncode == 0
    env = {**cli_env, "PAPERFEED_EMBEDDING_BATCH_SIZE": "4"}
    script = Path(sys.executable).with_name("paperfeed")
    indexer = subprocess.Popen([str(script), "index", "--quiet"], env=env, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    while count(env) < 8:  # a few batches committed, more to come
        assert indexer.poll() is None, indexer.stderr.read() if indexer.stderr else ""
        assert time.monotonic() < deadline, "the indexer stored no vectors in 5 minutes"
        time.sleep(0.5)
    os.kill(indexer.pid, signal.SIGKILL)
    indexer.wait()
    killed_at = count(env)
    assert 8 <= killed_at < PAPERS
    done = run_cli(env, "index", "--quiet")
    assert done.returncode == 0, done.stderr
    papers = count(env, "paperfeed.papers.models.Paper")
    assert papers >= PAPERS - 2  # the sample's lines, less any id listed twice
    assert count(env) == papers  # every paper exactly once: none lost to the kill, none doubled
    found = run_cli(env, "search", "--mode", "semantic", "--limit", str(PAPERS), "--json", "papers")
    assert found.returncode == 0, found.stderr
    hits = json.loads(found.stdout)
    assert len(hits) == len({hit["id"] for hit in hits}) > 0
