"""Import paper files: detect the format, parse, upsert in batches, report bad records.

A file is read as a stream and never held whole: lines are read at most
``formats.common.MAX_LINE_CHARS`` characters at a time (a longer line is skipped and reported),
and a file that decompresses to more than ``PAPERFEED_IMPORT_MAX_BYTES`` is cut off there
(the records before the cut are kept). Every field's cap is in ``records.py``.
"""

from __future__ import annotations

import codecs
import gzip
import io
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, cast

from django.conf import settings

from paperfeed.papers import formats
from paperfeed.papers.formats.common import LINE_TOO_LONG, MAX_LINE_CHARS, LineTooLong
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


class TooLarge(OSError):
    """The file decompresses to more bytes than PAPERFEED_IMPORT_MAX_BYTES allows."""


class _CountedStream(io.RawIOBase):
    """The decompressed bytes of a file, cut off with TooLarge once more than ``cap`` have passed."""

    def __init__(self, stream: IO[bytes], cap: int) -> None:
        self._stream, self.cap, self.count = stream, cap, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.count >= self.cap:  # every byte up to the cap has been handed on; one more is too many
            if self._stream.read(1):
                raise TooLarge(f"the file is larger than {self.cap:,} bytes (PAPERFEED_IMPORT_MAX_BYTES)")
            return 0
        data = self._stream.read(min(len(buffer), self.cap - self.count))
        self.count += len(data)
        buffer[: len(data)] = data
        return len(data)


def open_raw(path: Path) -> tuple[IO[bytes], IO[str]]:
    """The raw byte stream (for progress) and a text stream, un-gzipped when gzipped and counted."""
    raw = path.open("rb")
    body = cast(IO[bytes], gzip.GzipFile(fileobj=raw)) if raw.read(2) == b"\x1f\x8b" else raw
    raw.seek(0)
    counted = io.BufferedReader(_CountedStream(body, settings.IMPORT_MAX_BYTES))
    return raw, io.TextIOWrapper(counted, encoding="utf-8", errors="paperfeed-latin1", newline=None)


def import_file(
    path: Path,
    format_name: str | None = None,
    report: ImportReport | None = None,
    on_error: Callable[[str], None] = lambda message: None,
    on_progress: Callable[[int], None] = lambda position: None,
) -> ImportReport:
    """Import one file. Bad records are counted, described as ``FILE:LINE: reason`` and skipped."""
    report = report if report is not None else ImportReport()

    def reject(message: str) -> None:
        _reject(report, on_error, message)

    raw, text = open_raw(path)
    with raw, text:
        lines = _peekable_lines(text)
        name = _format_of(path, lines, format_name, reject)
        if name is not None:
            _import_lines(path, name, lines, report, reject, lambda: on_progress(raw.tell()))
        if lines.damage:  # the records before the break are kept; the broken line is reported
            reject(f"{path}:{lines.count + 1}: {lines.damage}")
        on_progress(raw.tell())
    return report


def _format_of(
    path: Path, lines: _peekable_lines, format_name: str | None, reject: Callable[[str], None]
) -> str | None:
    """The format to parse ``path`` with; None (with any reason rejected) when there is nothing to parse."""
    head = lines.peek()
    first = next((line for line in head if line.strip()), "")
    if not first and lines.damage:
        return None
    if format_name is not None:
        return format_name
    if not first:
        too_long = [number for number, line in enumerate(head, start=1) if isinstance(line, LineTooLong)]
        for number in too_long:
            reject(f"{path}:{number}: {LINE_TOO_LONG}")
        if too_long:
            return None
    if not first and len(head) < _PEEK_LINES:
        # An empty file holds no records, except that an empty .abs file is a broken record.
        return "abs" if path.name.removesuffix(".gz").endswith(".abs") else None
    try:
        return formats.detect_format(first)
    except formats.UnknownFormat as error:
        reject(f"{path}:1: {error}")
        return None


def _import_lines(
    path: Path,
    name: str,
    lines: Iterable[str],
    report: ImportReport,
    reject: Callable[[str], None],
    on_progress: Callable[[], None],
) -> None:
    batch: list[PaperRecord] = []
    for parsed in formats.parse(name, lines, str(path)):
        if parsed.record is None:
            reject(f"{path}:{parsed.line}: {parsed.error}")
            continue
        batch.append(parsed.record)
        if len(batch) >= settings.IMPORT_BATCH_SIZE:
            report += upsert_records(batch, source=f"file:{name}")
            batch = []
            on_progress()
    if batch:
        report += upsert_records(batch, source=f"file:{name}")


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
            line = self._stream.readline(MAX_LINE_CHARS)
            if len(line) == MAX_LINE_CHARS and not line.endswith("\n") and self._skip_rest_of_line():
                line = LineTooLong("\n")
        except TooLarge as error:
            self.damage = str(error)
            return ""
        except (EOFError, gzip.BadGzipFile, zlib.error) as error:
            self.damage = f"the file is damaged or cut short ({error})"
            return ""
        self.count += bool(line)
        return line

    def _skip_rest_of_line(self) -> bool:
        """Read past the rest of a line cut at the cap, a bounded piece at a time; False at the file's end."""
        skipped = False
        while piece := self._stream.readline(MAX_LINE_CHARS):
            skipped = True
            if piece.endswith("\n"):
                break
        return skipped

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
