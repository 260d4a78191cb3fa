"""paperfeed export [--since DATE] [-o FILE] : canonical JSON Lines."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from paperfeed.papers.exporting import export_lines


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--since {value!r}: expected a date like 2026-03-01") from None


class Command(BaseCommand):
    help = "Write stored papers as canonical JSON Lines (stdout, or -o FILE written atomically)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", help="only papers announced on or after this date (YYYY-MM-DD)")
        parser.add_argument("-o", "--output", type=Path, help="file to write instead of stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        since = _day(options["since"]) if options["since"] else None
        output: Path | None = options["output"]
        if output is None:
            for line in export_lines(since):
                self.stdout.write(line, ending="")
            return
        # Write beside the target and rename, so a crash never leaves half a file.
        fd, tmp = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.writelines(export_lines(since))
            os.replace(tmp, output)
        except BaseException:
            os.unlink(tmp)
            raise
