"""CSL-JSON (Zotero's "CSL JSON" export, Better BibTeX, Mendeley, Paperpile, pandoc): an array of items.

Items are read one after another with their line numbers, so those before a syntax error are
kept and the error names its line. The id comes from ``number`` (Zotero writes
``arXiv:ID``), ``URL``, ``DOI`` (``10.48550/arXiv.ID``), then any other string field. An array
nested too deeply for the parser is reported at its line, never a crash.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from paperfeed.accounts.imports.entries import Entry, all_strings, named
from paperfeed.accounts.imports.ids import bare_id, first_id

NAME = "csl-json"
EXTENSIONS: tuple[str, ...] = (".json", ".csljson")
LOOKED_IN = "number, URL, DOI and every other field"
_DECODER = json.JSONDecoder()
_SPACE = " \t\n\r"


def looks_like(text: str) -> bool:
    return text.lstrip(_SPACE)[:1] in ("[", "{")


def read(text: str) -> Iterator[Entry]:
    position, lines = len(text) - len(text.lstrip(_SPACE)), _Lines(text)
    if text[position : position + 1] != "[":
        yield from _one_document(text, position, lines.at(position))
        return
    position += 1
    while True:
        position = _skip(text, position)
        if text[position : position + 1] == "]":
            return
        line = lines.at(position)
        decoded = _decode(text, position, line)
        if isinstance(decoded, Entry):
            yield decoded
            return
        item, position = decoded
        yield _entry(line, item)
        position = _skip(text, position)
        if text[position : position + 1] == ",":
            position += 1
        elif text[position : position + 1] != "]":
            yield Entry(lines.at(position), "", None, "expected ',' or ']' after an item; the rest is not read")
            return


def _one_document(text: str, position: int, line: int) -> Iterator[Entry]:
    """A single item, or an object holding ``items`` (citeproc's input)."""
    decoded = _decode(text, position, line)
    if isinstance(decoded, Entry):
        yield decoded
        return
    document = decoded[0]
    items = document.get("items") if isinstance(document, dict) else None
    for item in items if isinstance(items, list) else [document]:
        yield _entry(line, item)


def _decode(text: str, position: int, line: int) -> tuple[Any, int] | Entry:
    """The JSON value at ``position`` and where it ends, or the entry saying why it cannot be read."""
    try:
        return _DECODER.raw_decode(text, position)
    except json.JSONDecodeError as error:
        return Entry(error.lineno, "", None, f"not valid JSON, the rest of the file is not read: {error.msg}")
    except RecursionError:
        return Entry(line, "", None, "nested too deeply to read; the rest of the file is not read")
    except ValueError:  # a number of more digits than Python converts (sys.get_int_max_str_digits(): 4,300)
        return Entry(line, "", None, "a number too long to read; the rest of the file is not read")


def _entry(line: int, item: Any) -> Entry:
    if not isinstance(item, dict):
        return Entry(line, "", None, f"not a CSL-JSON item: a JSON {type(item).__name__}, not an object")
    named_by = item.get("citation-key") or item.get("id")
    if not isinstance(named_by, str) or named_by.startswith("http"):  # Zotero's ids are item URLs
        named_by = item.get("title")
    key = named_by if isinstance(named_by, str) else ""
    return named(line, key, arxiv_id(item), LOOKED_IN)


def arxiv_id(item: dict[str, Any]) -> str | None:
    number = item.get("number")
    archive = str(item.get("archive") or item.get("publisher") or "").lower()
    if isinstance(number, str) and archive == "arxiv" and bare_id(number):
        return bare_id(number)
    preferred = [number, item.get("URL"), item.get("DOI")]
    return first_id(all_strings(preferred)) or first_id(all_strings(item.values()))


def _skip(text: str, position: int) -> int:
    while position < len(text) and text[position] in _SPACE:
        position += 1
    return position


class _Lines:
    """Line numbers of ever later positions in ``text``, counted once each."""

    def __init__(self, text: str) -> None:
        self.text, self.position, self.line = text, 0, 1

    def at(self, position: int) -> int:
        self.line += self.text.count("\n", self.position, position)
        self.position = position
        return self.line
