"""paperfeed ingest SOURCE ... : fetch papers from a live source into the store."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from paperfeed.lib.http import HttpError
from paperfeed.papers.sources import SOURCES, make_client
from paperfeed.papers.sources.harvest import IngestFailed


class Command(BaseCommand):
    help = "Fetch papers from a live source (arXiv OAI-PMH, arXiv API, arXiv RSS, Hugging Face Daily Papers)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet", action="store_true", help="print only the summary")
        commands = parser.add_subparsers(dest="source", required=True, metavar="SOURCE")
        for name, source in SOURCES.items():
            source.add_arguments(commands.add_parser(name, help=source.HELP, description=source.HELP))

    def handle(self, *args: Any, **options: Any) -> None:
        source = SOURCES[options["source"]]
        client = make_client()
        progress = (lambda message: None) if options["quiet"] else self.stderr.write
        try:
            result = source.run(options, client, progress)
        except (IngestFailed, HttpError, ValueError) as error:
            raise CommandError(str(error)) from error
        finally:
            client.close()
        self.stdout.write(result.summary())
