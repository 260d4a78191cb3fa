"""paperfeed import FILE... : canonical JSONL, Kaggle snapshot, daily listings, .abs; gzipped or not."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from paperfeed.papers import formats
from paperfeed.papers.importing import ImportReport, expand_paths, import_file


class Command(BaseCommand):
    requires_system_checks: list[
        str
    ] = []  # the URL and template checks cost a second of a 27k import; `check` runs them
    help = "Import papers from files or directories; bad records are reported as FILE:LINE: reason."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, metavar="FILE", help="files or directories")
        parser.add_argument("--format", choices=list(formats.FORMATS), help="skip detection")
        parser.add_argument("--quiet", action="store_true", help="no progress bar, no per-record errors")

    def handle(self, *args: Any, **options: Any) -> None:
        missing = [str(p) for p in options["paths"] if not p.exists()]
        if missing:
            raise CommandError(f"no such file: {', '.join(missing)}")
        report = ImportReport()
        self.quiet = options["quiet"]
        show = not options["quiet"] and sys.stderr.isatty()
        for path in expand_paths(options["paths"]):
            with tqdm(total=path.stat().st_size, unit="B", unit_scale=True, desc=path.name, disable=not show) as bar:

                def advance(position: int, bar: tqdm[Any] = bar) -> None:
                    bar.update(position - bar.n)

                import_file(path, options["format"], report, on_error=self._say_error, on_progress=advance)

        self.stdout.write(report.summary())
        if report.rejected:
            sys.exit(1)

    def _say_error(self, message: str) -> None:
        if not self.quiet:
            self.stderr.write(message)
