"""Shared pieces of the JSON Lines formats."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from paperfeed.papers.records import PaperRecord, RecordError

# The longest line the importer reads (characters, newline included): the longest real line
# is 11 KB (a daily listing with 574 authors); a record at every field's cap (records.py) fits.
MAX_LINE_CHARS = 1_048_576
LINE_TOO_LONG = f"the line is longer than {MAX_LINE_CHARS:,} characters"


class LineTooLong(str):
    """What the importer hands a parser instead of a line over ``MAX_LINE_CHARS``: it never
    reads such a line whole, and the parser reports it in its place (line numbers stay true)."""


@dataclass(frozen=True)
class Parsed:
    """One record read from a file, or the reason it could not be read."""

    line: int
    record: PaperRecord | None = None
    error: str | None = None


def first_json_object(first_line: str) -> dict[str, object] | None:
    try:
        value = json.loads(first_line)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def parse_json_lines(lines: Iterable[str], convert: Callable[[dict[str, object]], PaperRecord]) -> Iterator[Parsed]:
    """Apply ``convert`` to each JSON object line; bad lines become errors, never exceptions."""
    for number, line in enumerate(lines, start=1):
        if isinstance(line, LineTooLong):
            yield Parsed(number, error=LINE_TOO_LONG)
            continue
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError as error:
            yield Parsed(number, error=f"broken JSON ({error})")
            continue
        except RecursionError:
            yield Parsed(number, error="broken JSON (nested too deeply)")
            continue
        if not isinstance(value, dict):
            yield Parsed(number, error=f"expected a JSON object, got {type(value).__name__}")
            continue
        try:
            yield Parsed(number, record=convert(value))
        except RecordError as error:
            yield Parsed(number, error=str(error))


def optional_str(obj: dict[str, object], key: str) -> str:
    value = obj.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RecordError(f"{key} must be a string, got {type(value).__name__}")
    return value


def optional_int(obj: dict[str, object], key: str) -> int | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise RecordError(f"{key} must be an integer, got {value!r}")
    return value


def string_list(obj: dict[str, object], key: str) -> list[str]:
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RecordError(f"{key} must be a list of strings")
    return [v.strip() for v in value if v.strip()]
