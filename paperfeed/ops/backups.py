"""Backups: SQLite through its online backup API, PostgreSQL through pg_dump / pg_restore.

Both write to a temporary file beside the target and rename it, so a crash never leaves a
file that looks like a backup but is not one.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone


class BackupError(RuntimeError):
    pass


def default_backup_path() -> Path:
    suffix = "sqlite3" if connection.vendor == "sqlite" else "pgdump"
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    return settings.DATA_DIR / "backups" / f"paperfeed-{stamp}.{suffix}"


def backup(target: Path) -> Path:
    """Write a consistent copy of the whole database to ``target`` while it stays in use."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    os.close(fd)
    try:
        (_backup_sqlite if connection.vendor == "sqlite" else _backup_postgres)(Path(tmp))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def restore(source: Path) -> None:
    """Replace the database's contents with the backup in ``source``."""
    if not source.is_file():
        raise BackupError(f"no backup file {source}")
    connection.close()
    (_restore_sqlite if connection.vendor == "sqlite" else _restore_postgres)(source)


def _backup_sqlite(target: Path) -> None:
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination)
    finally:
        destination.close()


def _restore_sqlite(source: Path) -> None:
    check = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError(f"{source} is not a sound SQLite database")
        connection.ensure_connection()
        check.backup(connection.connection)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{source} is not a SQLite backup: {error}") from None
    finally:
        check.close()


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
        if not candidates:
            raise BackupError(f"{name} not found: install PostgreSQL's client tools")
        found = str(candidates[-1])
    return found


def _pg_env_and_args() -> tuple[dict[str, str], list[str]]:
    db: dict[str, Any] = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    args = ["-h", str(db.get("HOST") or "localhost"), "-p", str(db.get("PORT") or 5432)]
    args += ["-U", str(db.get("USER") or ""), "-d", str(db["NAME"])]
    return env, args


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()}")


def _backup_postgres(target: Path) -> None:
    env, args = _pg_env_and_args()
    _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", "-f", str(target), *args], env)


def _restore_postgres(source: Path) -> None:
    env, args = _pg_env_and_args()
    _run(
        [_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction", *args, str(source)],
        env,
    )
