"""Operations: /healthz, structured logs, backups and restores, deployment checks."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sys

import pytest
from django.utils import timezone

from paperfeed.ops import health
from paperfeed.ops.logs import JsonLinesFormatter
from tests.conftest import DAILY_DIR, KAGGLE, run_cli


@pytest.mark.django_db
def test_healthz_reports_the_database_as_healthy(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True


@pytest.mark.django_db
def test_healthz_says_how_many_papers_are_searchable_by_meaning_without_failing(client):
    from paperfeed.papers.store import upsert_records
    from tests.search_support import record

    upsert_records([record("2602.00001", "A paper")], source="test")
    response = client.get("/healthz")
    semantic = response.json()["checks"]["semantic_search"]
    assert semantic["ok"] is True and (semantic["searchable"], semantic["total"]) == (0, 1)
    assert semantic["summary"] == "0 of 1 searchable by meaning; embedding is not running"


@pytest.mark.django_db
def test_healthz_answers_503_naming_the_failing_check(client, monkeypatch):
    monkeypatch.setitem(health.PROBES, "index", lambda: health.Probe(False, {"error": "index is 3 days old"}))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["index"] == {"ok": False, "error": "index is 3 days old"}


def test_healthz_reports_an_unreachable_database(monkeypatch):
    from django.db import connection

    def refuse() -> None:
        raise ConnectionError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    probe = health.probe_database()
    assert not probe.ok and "connection refused" in probe.detail["error"]


def test_json_log_lines_carry_level_logger_message_extras_and_exceptions():
    logger = logging.getLogger("paperfeed.test")
    try:
        raise ValueError("boom")
    except ValueError:
        record = logger.makeRecord(
            "paperfeed.test", logging.ERROR, __file__, 1, "harvest %s failed", ("cs",), sys.exc_info(),
            extra={"job": "harvest-cs"},
        )  # fmt: skip
    entry = json.loads(JsonLinesFormatter().format(record))
    assert entry["level"] == "ERROR" and entry["logger"] == "paperfeed.test"
    assert entry["message"] == "harvest cs failed" and entry["job"] == "harvest-cs"
    assert "ValueError: boom" in entry["exception"] and entry["time"].endswith("+00:00")


def test_a_backup_restores_the_exact_store(cli_env, tmp_path):
    assert run_cli(cli_env, "migrate", "-v", "0").returncode == 0
    assert run_cli(cli_env, "import", str(KAGGLE)).returncode == 0
    before = run_cli(cli_env, "export").stdout
    backup = tmp_path / "store.backup"
    done = run_cli(cli_env, "backup", "-o", str(backup))
    assert done.returncode == 0, done.stderr
    assert backup.stat().st_size > 0
    assert run_cli(cli_env, "import", str(DAILY_DIR / "2026-03-02.jsonl.gz")).returncode == 0
    assert run_cli(cli_env, "export").stdout != before
    done = run_cli(cli_env, "restore", str(backup), "--yes")
    assert done.returncode == 0, done.stderr
    assert run_cli(cli_env, "export").stdout == before
    assert len(before.splitlines()) == 200


def test_restore_refuses_without_confirmation_and_rejects_a_file_that_is_not_a_backup(cli_env, tmp_path):
    assert run_cli(cli_env, "migrate", "-v", "0").returncode == 0
    assert run_cli(cli_env, "import", str(KAGGLE)).returncode == 0
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"this is not a database dump\n" * 100)
    unconfirmed = run_cli(cli_env, "restore", str(junk))
    assert unconfirmed.returncode == 1 and "--yes" in unconfirmed.stderr
    refused = run_cli(cli_env, "restore", str(junk), "--yes")
    assert refused.returncode == 1
    assert "junk.backup" in refused.stderr or "pg_restore failed" in refused.stderr
    assert len(run_cli(cli_env, "export").stdout.splitlines()) == 200


def test_check_deploy_fails_on_an_insecure_setup_and_passes_a_production_one(cli_env):
    assert run_cli(cli_env, "migrate", "-v", "0").returncode == 0
    insecure = run_cli({**cli_env, "PAPERFEED_DEBUG": "1"}, "check-deploy")
    assert insecure.returncode != 0
    assert "paperfeed.E001" in insecure.stderr and "security.W004" in insecure.stderr
    production = {
        **cli_env,
        "PAPERFEED_HTTPS": "1",
        "PAPERFEED_SECRET_KEY": "k" * 20 + os.urandom(24).hex(),
        "PAPERFEED_SITE_URL": "https://papers.example.org",
    }
    done = run_cli(production, "check-deploy")
    assert done.returncode == 0, done.stderr
    assert "deployment checks passed" in done.stdout
    local = run_cli({**production, "PAPERFEED_SITE_URL": "http://127.0.0.1:8000"}, "check-deploy")
    assert local.returncode != 0 and "paperfeed.E006" in local.stderr and "PAPERFEED_SITE_URL" in local.stderr


def test_check_deploy_names_unapplied_migrations(cli_env):
    production = {**cli_env, "PAPERFEED_HTTPS": "1", "PAPERFEED_SECRET_KEY": os.urandom(32).hex()}
    done = run_cli(production, "check-deploy")
    assert done.returncode != 0
    assert "paperfeed.E004" in done.stderr and "paperfeed migrate" in done.stderr


@pytest.mark.django_db
def test_healthz_fails_while_papers_wait_for_this_nodes_index_and_passes_once_indexed(client, settings, tmp_path):
    from paperfeed.papers.records import make_record
    from paperfeed.papers.store import upsert_records
    from paperfeed.search.indexing import index_papers

    settings.DATA_DIR = tmp_path
    upsert_records([make_record("2403.01234", "A paper waiting for the index")], source="test")
    waiting = client.get("/healthz")
    assert waiting.status_code == 503
    assert waiting.json()["checks"]["search_index"] == {"ok": False, "index": "not built", "papers": True}
    index_papers(embed=False)
    indexed = client.get("/healthz")
    assert indexed.status_code == 200, indexed.json()
    assert indexed.json()["checks"]["search_index"]["lag_seconds"] == 0
    settings.HEALTH_MAX_INDEX_LAG = 60
    upsert_records([make_record("2403.01235", "A newer paper", announced_on=None)], source="test")
    from paperfeed.papers.models import Paper

    Paper.objects.filter(arxiv_id="2403.01235").update(changed_at=timezone.now() + dt.timedelta(hours=2))
    lagging = client.get("/healthz")
    assert lagging.status_code == 503 and lagging.json()["checks"]["search_index"]["lag_seconds"] > 60
