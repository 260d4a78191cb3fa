"""One entry of an imported library: where it is in the file and the arXiv id it names, if any."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

KEY_CHARS = 100  # of a citation key or title shown in a message
FIELD_CHARS = 500  # of one field searched for an arXiv id: ids and URLs sit at a field's start


class TooManyEntries(Exception):
    """More entries than an import may have, seen before they are read; ``line``: the first one too many."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


@dataclass(frozen=True)
class Entry:
    line: int  # where the entry starts, from 1
    key: str  # citation key, RIS ID or title, CSL id; "" for a line of a list of ids
    arxiv_id: str | None  # the base id, without version
    reason: str = ""  # why it names no paper, when arxiv_id is None

    def where(self, name: str) -> str:
        """``FILE:LINE: key: reason``, as every message about one entry reads."""
        key = f"{self.key}: " if self.key else ""
        return f"{name}:{self.line}: {key}{self.reason}"


def named(line: int, key: str, arxiv_id: str | None, looked_in: str) -> Entry:
    """The entry, or one saying which fields had no arXiv id in them."""
    reason = "" if arxiv_id else f"no arXiv id (looked in {looked_in})"
    return Entry(line, key.strip()[:KEY_CHARS], arxiv_id, reason)


def strings(value: object) -> Iterator[str]:
    """The text in a field's value (a string, or lists and dicts of them), each cut to FIELD_CHARS."""
    if isinstance(value, str):
        yield value[:FIELD_CHARS]
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings(item) if isinstance(item, str) else ()
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item) if isinstance(item, str | list) else ()


def all_strings(values: Iterable[object]) -> Iterator[str]:
    for value in values:
        yield from strings(value)
