"""paperfeed library import USERNAME FILE [--format F] : bring an exported library into an account."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from paperfeed.accounts.imports.formats import READERS, Unreadable, check_size
from paperfeed.accounts.imports.service import import_library


class Command(BaseCommand):
    help = "Import a library (BibTeX, RIS, CSL-JSON, or arXiv ids one a line) into USERNAME's library."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        into = actions.add_parser("import", help=self.help)
        into.add_argument("username")
        into.add_argument("file", type=Path)
        into.add_argument("--format", choices=list(READERS), help="skip detecting the format from the file")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {options['username']!r}")
        path: Path = options["file"]
        try:
            check_size(str(path), path.stat().st_size)  # before the file is read
            report = import_library(user, str(path), path.read_bytes(), options["format"], rate_limit=False)
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror or error}") from None
        except Unreadable as refused:
            raise CommandError(str(refused)) from None
        for line in report.problems():
            self.stderr.write(line)
        self.stdout.write(report.summary())
