"""Reading an exported library: the format from the content (the file name's extension breaks a tie),
the text decoded, every entry with its line, and the caps on bytes and entries.

Readers are same-shaped modules in the plain ``READERS`` dict, tried in its order; plain text
(one id a line) is last and takes anything.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import Protocol

from django.conf import settings

from paperfeed.accounts.imports import bibtex, csljson, idlist, ris
from paperfeed.accounts.imports.entries import Entry, TooManyEntries


class Reader(Protocol):
    NAME: str
    EXTENSIONS: tuple[str, ...]

    def looks_like(self, text: str) -> bool: ...

    def read(self, text: str) -> Iterator[Entry]: ...


READERS: dict[str, Reader] = {csljson.NAME: csljson, ris.NAME: ris, bibtex.NAME: bibtex, idlist.NAME: idlist}
LABELS = {"bibtex": "BibTeX", "ris": "RIS", "csl-json": "CSL-JSON", "text": "arXiv ids or URLs, one a line"}


class Unreadable(ValueError):
    """The whole file is refused (too large, binary, not UTF-8, too many entries); the message says why."""

    status = 400


class TooLarge(Unreadable):
    status = 413


@dataclass
class Reading:
    name: str
    format: str
    entries: list[Entry]


def read_library(name: str, data: bytes, fmt: str | None = None) -> Reading:
    """Every entry of the file ``name`` holding ``data``; Unreadable when the file as a whole cannot be read."""
    check_size(name, len(data))
    text = decode(name, data)
    fmt = fmt or detect(name, text)
    if fmt not in READERS:
        raise Unreadable(f"unknown format {fmt!r}: use one of {', '.join(READERS)}")
    return Reading(name, fmt, capped(name, READERS[fmt].read(text)))


def check_size(name: str, size: int) -> None:
    cap = settings.LIBRARY_IMPORT_MAX_BYTES
    if size > cap:
        raise TooLarge(f"{name} is {size:,} bytes: an import may be at most {cap:,} bytes; split the file")


def decode(name: str, data: bytes) -> str:
    """UTF-8 (with or without a byte order mark) or UTF-16 with one; line ends made ``\\n``."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _decoded(name, data, "utf-16")
    elif b"\x00" in data:
        raise Unreadable(f"{name} holds binary data: export the library as BibTeX, RIS, CSL-JSON or text")
    else:
        text = _decoded(name, data, "utf-8-sig")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decoded(name: str, data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise Unreadable(f"{name}:{line}: not {encoding.upper().removesuffix('-SIG')} text; export as UTF-8") from None


def detect(name: str, text: str) -> str:
    """The format the content shows (the extension's, when the content fits several); else the extension's."""
    suffix = PurePath(name).suffix.lower()
    hinted = next((fmt for fmt, reader in READERS.items() if suffix in reader.EXTENSIONS), None)
    fitting = [fmt for fmt, reader in READERS.items() if fmt != idlist.NAME and reader.looks_like(text)]
    if hinted in fitting or not fitting:
        return hinted or idlist.NAME
    return fitting[0]


def capped(name: str, entries: Iterator[Entry]) -> list[Entry]:
    """The entries, or Unreadable as soon as there are more than LIBRARY_IMPORT_MAX_ENTRIES."""
    cap, kept = settings.LIBRARY_IMPORT_MAX_ENTRIES, list[Entry]()
    try:
        for entry in entries:
            if len(kept) == cap:
                raise TooManyEntries(entry.line)
            kept.append(entry)
    except TooManyEntries as many:
        raise Unreadable(f"{name}:{many.line}: more than {cap:,} entries: an import may have at most {cap:,}") from None
    return kept
