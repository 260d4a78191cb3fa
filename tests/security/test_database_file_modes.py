"""A world-readable database: SQLite creates its file with the process's umask (0644), while
backups are 0600. The service's first connection makes the database and its -wal and -shm
files 0600 too, whether Django or the `paperfeed` command creates them."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper

from tests.conftest import run_cli


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def usual_umask(django_db_blocker) -> object:  # type: ignore[no-untyped-def]
    """The usual 022 umask, and database access for connections of the test's own (not the test database)."""
    previous = os.umask(0o022)
    with django_db_blocker.unblock():
        yield
    os.umask(previous)


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the database's files are SQLite's; the test settings are PostgreSQL's"
)
def test_a_new_sqlite_database_and_its_wal_files_are_private_to_the_service(tmp_path: Path, usual_umask) -> None:
    path = tmp_path / "paperfeed.sqlite3"
    wrapper = DatabaseWrapper({**connection.settings_dict, "NAME": str(path), "TEST": {}}, alias="file-modes")
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("CREATE TABLE t (x INTEGER)")
            cursor.execute("INSERT INTO t VALUES (1)")
        files = [p for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()]
        assert Path(f"{path}-wal") in files, "the settings' WAL mode makes a -wal file"
        assert {str(p): mode(p) for p in files} == {str(p): 0o600 for p in files}
    finally:
        wrapper.close()


def test_an_existing_world_readable_database_is_made_private_when_opened(tmp_path: Path, usual_umask) -> None:
    path = tmp_path / "old.sqlite3"
    path.touch(mode=0o644)
    os.chmod(path, 0o644)
    wrapper = DatabaseWrapper({**connection.settings_dict, "NAME": str(path), "TEST": {}}, alias="file-modes")
    try:
        wrapper.ensure_connection()
        assert mode(path) == 0o600
    finally:
        wrapper.close()


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="the SQLite file only exists on the SQLite run")
def test_the_database_the_paperfeed_command_creates_is_as_private_as_its_backups(cli_env, usual_umask) -> None:
    assert run_cli(cli_env, "migrate", "--no-input").returncode == 0
    data = Path(cli_env["PAPERFEED_DATA_DIR"])
    assert run_cli(cli_env, "backup", "-o", str(data / "backup.sqlite3")).returncode == 0
    assert mode(data / "paperfeed.sqlite3") == 0o600
    assert mode(data / "backup.sqlite3") == 0o600
