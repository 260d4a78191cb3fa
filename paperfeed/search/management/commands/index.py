"""paperfeed index [--rebuild] [--no-embed] : bring the search indexes up to date with the store.

It also exports the packaged model to ONNX Runtime once per data directory (search/onnxmodel.py),
so web workers and CLI searches by meaning start without torch.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from paperfeed.lib.argtypes import int_range
from paperfeed.search.indexing import index_papers
from paperfeed.search.onnxmodel import prepare_runtime


class Command(BaseCommand):
    help = (
        "Index new and changed papers for keyword search at once, then embed the papers still "
        "without vectors (resumable); --rebuild builds everything afresh and swaps it in."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rebuild", action="store_true", help="build new indexes aside and swap them in")
        parser.add_argument("--no-embed", action="store_true", help="keyword index only; leave embedding for later")
        parser.add_argument("--embed-limit", type=int_range(1), metavar="N", help="embed at most N papers in this run")
        parser.add_argument("--quiet", action="store_true", help="no progress bars")

    def handle(self, *args: Any, **options: Any) -> None:
        self.bars: dict[str, tqdm[Any]] = {}
        self.done: dict[str, int] = {}
        self.show = not options["quiet"] and sys.stderr.isatty()
        try:
            report = index_papers(
                rebuild=options["rebuild"],
                embed=not options["no_embed"],
                embed_limit=options["embed_limit"],
                progress=self._progress,
            )
        except KeyboardInterrupt:
            for bar in self.bars.values():
                bar.close()
            done = self.done.get("embeddings", 0)
            raise CommandError(
                f"interrupted: {done} papers embedded in this run are kept; `paperfeed index` again goes on from there",
                returncode=130,
            ) from None
        for bar in self.bars.values():
            bar.close()
        prepare_runtime(self.stderr.write)  # once per data directory: the model on ONNX Runtime, checked
        self.stdout.write(report.summary())

    def _progress(self, stage: str, done: int, total: int) -> None:
        self.done[stage] = done
        if stage not in self.bars:
            self.bars[stage] = tqdm(total=total, desc=stage, unit="papers", disable=not self.show)
        self.bars[stage].update(done - self.bars[stage].n)
