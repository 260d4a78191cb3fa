"""The SQLite database's files are private to the service's user (0600), like its backups.

SQLite creates the database with the process's umask (0644 under the usual 022), and its
``-wal`` and ``-shm`` files with the database's mode. The first connection of each process
takes group and other permissions off all three, so they stay 0600 from then on.
"""

from __future__ import annotations

import logging
import stat
from pathlib import Path
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

logger = logging.getLogger(__name__)


def sqlite_files(connection: BaseDatabaseWrapper) -> list[Path]:
    """The database's files on disk; none for PostgreSQL or an in-memory database."""
    name = str(connection.settings_dict["NAME"])
    if connection.vendor != "sqlite" or name == ":memory:" or name.startswith("file:"):
        return []
    return [Path(name + suffix) for suffix in ("", "-wal", "-shm")]


def make_private(path: Path) -> None:
    """Take group and other permissions off ``path`` (missing: nothing to do; not ours: a warning)."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            path.chmod(mode & 0o700)
    except FileNotFoundError:
        return
    except OSError as error:
        logger.warning("cannot make %s private (mode 0600): %s", path, error)


def make_sqlite_files_private(sender: object, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """``connection_created`` receiver (connected in OpsConfig.ready)."""
    for path in sqlite_files(connection):
        make_private(path)
