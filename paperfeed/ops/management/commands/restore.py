"""paperfeed restore FILE --yes : replace the database's contents with a backup."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from paperfeed.ops.backups import BackupError, restore


class Command(BaseCommand):
    help = "Restore the database from a file written by `paperfeed backup` (replaces everything)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, metavar="FILE")
        parser.add_argument("--yes", action="store_true", help="confirm replacing the current data")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            raise CommandError("restore replaces every row in the database: run again with --yes to confirm")
        try:
            restore(options["path"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"restored from {options['path']}")
