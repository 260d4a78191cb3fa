"""Import paper files: detect the format, parse, upsert in batches, report bad records."""

from __future__ import annotations

import codecs
import gzip
import io
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, cast

from django.conf import settings

from paperfeed.papers import formats
from paperfeed.papers.records import PaperRecord
from paperfeed.papers.store import UpsertResult, upsert_records

IMPORTABLE_SUFFIXES = (".jsonl", ".json", ".abs", ".gz", ".ndjson")
_PEEK_LINES = 20  # lines read ahead to find the first non-blank one


@dataclass
class ImportReport(UpsertResult):
    rejected: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, {self.rejected} rejected"


def expand_paths(paths: list[Path]) -> Iterator[Path]:
    """Files as given; directories walked for importable files, in sorted order."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.name.endswith(IMPORTABLE_SUFFIXES))
        else:
            yield path


def _latin1_fallback(error: UnicodeError) -> tuple[str, int]:
    """Decode bytes that are not UTF-8 as Latin-1: older arXiv records (.abs) are Latin-1."""
    assert isinstance(error, UnicodeDecodeError)
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("paperfeed-latin1", _latin1_fallback)


def open_raw(path: Path) -> tuple[IO[bytes], IO[str]]:
    """The raw byte stream (for progress) and a text stream, un-gzipped when gzipped."""
    raw = path.open("rb")
    body = cast(IO[bytes], gzip.GzipFile(fileobj=raw)) if raw.read(2) == b"\x1f\x8b" else raw
    raw.seek(0)
    return raw, io.TextIOWrapper(body, encoding="utf-8", errors="paperfeed-latin1", newline=None)


def import_file(
    path: Path,
    format_name: str | None = None,
    report: ImportReport | None = None,
    on_error: Callable[[str], None] = lambda message: None,
    on_progress: Callable[[int], None] = lambda position: None,
) -> ImportReport:
    """Import one file. Bad records are counted, described as ``FILE:LINE: reason`` and skipped."""
    report = report if report is not None else ImportReport()
    raw, text = open_raw(path)
    with raw, text:
        lines = _peekable_lines(text)
        head = lines.peek()
        first = next((line for line in head if line.strip()), "")
        if not first and lines.damage:
            _reject(report, on_error, f"{path}:{lines.count + 1}: {lines.damage}")
            return report
        if not first and format_name is None and len(head) < _PEEK_LINES:
            # An empty file holds no records, except that an empty .abs file is a broken record.
            if not path.name.removesuffix(".gz").endswith(".abs"):
                return report
            format_name = "abs"
        try:
            name = format_name or formats.detect_format(first)
        except formats.UnknownFormat as error:
            _reject(report, on_error, f"{path}:1: {error}")
            return report
        batch: list[PaperRecord] = []
        for parsed in formats.parse(name, lines, str(path)):
            if parsed.record is None:
                _reject(report, on_error, f"{path}:{parsed.line}: {parsed.error}")
                continue
            batch.append(parsed.record)
            if len(batch) >= settings.IMPORT_BATCH_SIZE:
                report += upsert_records(batch, source=f"file:{name}")
                batch = []
                on_progress(raw.tell())
        if batch:
            report += upsert_records(batch, source=f"file:{name}")
        if lines.damage:  # the records before the break are kept; the broken line is reported
            _reject(report, on_error, f"{path}:{lines.count + 1}: {lines.damage}")
        on_progress(raw.tell())
    return report


def _reject(report: ImportReport, on_error: Callable[[str], None], message: str) -> None:
    report.rejected += 1
    report.errors.append(message)
    on_error(message)


class _peekable_lines:  # noqa: N801 - reads like the iterator it is
    """Iterate over a text stream's lines after peeking at the first few.

    A damaged or cut-short gzip stream ends the lines; ``damage`` then says why and ``count``
    how many whole lines came before it.
    """

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self._head: list[str] = []
        self.count = 0
        self.damage: str | None = None

    def _readline(self) -> str:
        if self.damage:
            return ""
        try:
            line = self._stream.readline()
        except (EOFError, gzip.BadGzipFile, zlib.error) as error:
            self.damage = f"the file is damaged or cut short ({error})"
            return ""
        self.count += bool(line)
        return line

    def peek(self, count: int = _PEEK_LINES) -> list[str]:
        while len(self._head) < count:
            line = self._readline()
            if not line:
                break
            self._head.append(line)
        return list(self._head)

    def __iter__(self) -> Iterator[str]:
        yield from self._head
        self._head = []
        while line := self._readline():
            yield line
