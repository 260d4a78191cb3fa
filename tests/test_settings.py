"""Settings come from the environment and fail loudly on bad values."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.db import connection

from paperfeed.lib import env

SHOW = "from django.conf import settings; import json; print(json.dumps(settings.DATABASES['default'], default=str))"


def load_settings(**variables: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("PAPERFEED_") and k != "DATABASE_URL"}
    code = f"import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'paperfeed.settings'; django.setup(); {SHOW}"
    return subprocess.run([sys.executable, "-c", code], env={**base, **variables}, capture_output=True, text=True)


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off(tmp_path):
    done = load_settings(PAPERFEED_DATA_DIR=str(tmp_path))
    assert done.returncode != 0
    assert "PAPERFEED_SECRET_KEY must be set" in done.stderr


def test_it_starts_without_a_secret_key_in_debug_mode(tmp_path):
    done = load_settings(PAPERFEED_DATA_DIR=str(tmp_path), PAPERFEED_DEBUG="1")
    assert done.returncode == 0, done.stderr
    assert '"ENGINE": "django.db.backends.sqlite3"' in done.stdout


def test_it_names_the_variable_holding_a_bad_boolean(tmp_path):
    done = load_settings(PAPERFEED_DATA_DIR=str(tmp_path), PAPERFEED_DEBUG="maybe")
    assert "PAPERFEED_DEBUG='maybe' is not a boolean" in done.stderr


def test_it_rejects_a_database_url_that_is_not_postgres(tmp_path):
    done = load_settings(PAPERFEED_DATA_DIR=str(tmp_path), PAPERFEED_SECRET_KEY="s", DATABASE_URL="mysql://x@h/db")
    assert "DATABASE_URL='mysql://x@h/db': only postgres://" in done.stderr


def test_a_postgres_url_switches_the_store_to_postgresql(tmp_path):
    url = "postgres://reader:secret@db.example:5433/papers"
    done = load_settings(PAPERFEED_DATA_DIR=str(tmp_path), PAPERFEED_SECRET_KEY="s", DATABASE_URL=url)
    assert done.returncode == 0, done.stderr
    assert '"ENGINE": "django.db.backends.postgresql"' in done.stdout
    assert '"NAME": "papers"' in done.stdout and '"PORT": 5433' in done.stdout


def test_behind_a_transaction_pooler_no_statement_outlives_its_transaction(tmp_path):
    """PgBouncer in transaction mode hands each transaction to any server connection: no server-side
    cursors (Django's .iterator()) and no prepared statements (psycopg's, after 5 runs)."""
    url = "postgres://app:secret@127.0.0.1:6432/papers"
    base = {"PAPERFEED_DATA_DIR": str(tmp_path), "PAPERFEED_SECRET_KEY": "s", "DATABASE_URL": url}
    pooled = load_settings(**base, PAPERFEED_DB_POOLER="transaction")
    assert pooled.returncode == 0, pooled.stderr
    assert '"DISABLE_SERVER_SIDE_CURSORS": true' in pooled.stdout and '"prepare_threshold": null' in pooled.stdout
    direct = load_settings(**base)
    assert '"DISABLE_SERVER_SIDE_CURSORS": false' in direct.stdout and "prepare_threshold" not in direct.stdout
    assert "PAPERFEED_DB_POOLER='session'" in load_settings(**base, PAPERFEED_DB_POOLER="session").stderr


def test_the_sqlite_file_lives_in_the_data_dir(tmp_path):
    done = load_settings(PAPERFEED_DATA_DIR=str(tmp_path / "here"), PAPERFEED_SECRET_KEY="s")
    assert f'"NAME": "{tmp_path / "here" / "paperfeed.sqlite3"}"' in done.stdout
    assert (tmp_path / "here").is_dir()


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_immediate_transactions_and_a_busy_timeout():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite tuning only applies to SQLite")
    connection.ensure_connection()
    with connection.cursor() as cursor:
        # The test database is in memory, where SQLite reports "memory"; the pragma is still issued.
        mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
        timeout = cursor.execute("PRAGMA busy_timeout").fetchone()[0]
    assert mode in {"wal", "memory"}
    assert timeout >= 1000
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_a_file_database_really_is_in_wal_mode(tmp_path):
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'paperfeed.settings'; django.setup();"
        "from django.db import connection; c = connection.cursor();"
        "print(c.execute('PRAGMA journal_mode').fetchone()[0], c.execute('PRAGMA busy_timeout').fetchone()[0])"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith("PAPERFEED_") and k != "DATABASE_URL"}
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**base, "PAPERFEED_DATA_DIR": str(tmp_path), "PAPERFEED_SECRET_KEY": "s"},
        capture_output=True,
        text=True,
    )
    assert done.stdout.split() == ["wal", "30000"], done.stderr


@pytest.fixture(autouse=True)
def _settings_read_here_are_forgotten(monkeypatch: pytest.MonkeyPatch) -> None:
    """A made-up name read by these tests (PAPERFEED_T) never reaches test_docs' check of the README."""
    monkeypatch.setattr(env, "READ_SETTINGS", set(env.READ_SETTINGS))


@pytest.mark.parametrize(
    ("reader", "value", "message"),
    [
        (lambda: env.env_int("PAPERFEED_T", 1), "ten", "PAPERFEED_T='ten' is not an integer"),
        (lambda: env.env_int("PAPERFEED_T", 1, minimum=2), "1", "PAPERFEED_T=1 must be at least 2"),
        (lambda: env.env_float("PAPERFEED_T", 1.0), "fast", "PAPERFEED_T='fast' is not a number"),
        (lambda: env.env_float("PAPERFEED_T", 1.0), "nan", "PAPERFEED_T='nan' is not a finite number"),
        (lambda: env.env_float("PAPERFEED_T", 1.0, minimum=0), "inf", "PAPERFEED_T='inf' is not a finite number"),
        (lambda: env.env_float("PAPERFEED_T", 1.0, maximum=10), "20.5", "PAPERFEED_T=20.5 must be at most 10"),
        (lambda: env.env_bool("PAPERFEED_T", True), "yep", "PAPERFEED_T='yep' is not a boolean"),
    ],
)
def test_typed_readers_fail_loudly_on_a_bad_value(monkeypatch, reader, value, message):
    monkeypatch.setenv("PAPERFEED_T", value)
    with pytest.raises(env.SettingError, match=message.replace("(", r"\(")):
        reader()


def test_typed_readers_parse_good_values_and_fall_back_to_defaults(monkeypatch):
    monkeypatch.setenv("PAPERFEED_T", " 42 ")
    assert env.env_int("PAPERFEED_T", 1) == 42
    monkeypatch.setenv("PAPERFEED_T", "a, b,,c")
    assert env.env_list("PAPERFEED_T", []) == ["a", "b", "c"]
    monkeypatch.setenv("PAPERFEED_T", "off")
    assert env.env_bool("PAPERFEED_T", True) is False
    monkeypatch.setenv("PAPERFEED_T", "")
    assert env.env_int("PAPERFEED_T", 7) == 7


def site_url(**variables: str) -> str:
    code = "import django, os; django.setup(); from django.conf import settings; print(settings.SITE_URL)"
    base = {k: v for k, v in os.environ.items() if not k.startswith("PAPERFEED_") and k != "DATABASE_URL"}
    env_ = {**base, "DJANGO_SETTINGS_MODULE": "paperfeed.settings", "PAPERFEED_DEBUG": "1", **variables}
    done = subprocess.run([sys.executable, "-c", code], env=env_, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_cli_links_to_the_site_make_run_serves(tmp_path):
    """`make run PORT=8311` writes DATA_DIR/site_url: a CLI command on that directory builds its links from it."""
    assert site_url(PAPERFEED_DATA_DIR=str(tmp_path)) == "http://127.0.0.1:8000"
    (tmp_path / "site_url").write_text("http://127.0.0.1:8311/\n")
    assert site_url(PAPERFEED_DATA_DIR=str(tmp_path)) == "http://127.0.0.1:8311"
    given = site_url(PAPERFEED_DATA_DIR=str(tmp_path), PAPERFEED_SITE_URL="https://papers.example.org")
    assert given == "https://papers.example.org"  # the variable wins
