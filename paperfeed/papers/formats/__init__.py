"""File formats that ``paperfeed import`` reads, one same-shaped module each.

Each module has ``NAME``, ``looks_like(first_line) -> bool`` and
``parse(lines, filename) -> Iterator[Parsed]``. Parsers are pure: text in, records or
per-record errors out; they never touch the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from types import ModuleType

from paperfeed.papers.formats import absfile, canonical, dengwei, hfpapers, kaggle
from paperfeed.papers.formats.common import Parsed

# Detection order matters: the most specific formats first, canonical last.
FORMATS: dict[str, ModuleType] = {module.NAME: module for module in (absfile, kaggle, dengwei, hfpapers, canonical)}


class UnknownFormat(ValueError):
    pass


def detect_format(first_line: str) -> str:
    for name, module in FORMATS.items():
        if module.looks_like(first_line):
            return name
    raise UnknownFormat("cannot tell the format from the first line; pass --format")


def parse(format_name: str, lines: Iterable[str], filename: str) -> Iterator[Parsed]:
    try:
        module = FORMATS[format_name]
    except KeyError:
        raise UnknownFormat(f"unknown format {format_name!r}; known: {', '.join(FORMATS)}") from None
    parsed: Iterator[Parsed] = module.parse(lines, filename)
    return parsed


__all__ = ["FORMATS", "Parsed", "UnknownFormat", "detect_format", "parse"]
