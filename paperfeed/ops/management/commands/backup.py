"""paperfeed backup [-o FILE] : a consistent copy of the database, taken while it is in use."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from paperfeed.ops.backups import BackupError, backup, default_backup_path


class Command(BaseCommand):
    help = "Back up the database (SQLite: online backup API; PostgreSQL: pg_dump)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", type=Path, help="backup file (default: DATA_DIR/backups/...)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            path = backup(options["output"] or default_backup_path())
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"backup written to {path}")
