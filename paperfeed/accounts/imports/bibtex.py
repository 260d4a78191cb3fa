"""BibTeX and BibLaTeX (Zotero, Better BibTeX, JabRef, Mendeley, Google Scholar, DBLP, arXiv).

Read with bibtexparser 2. The id comes from ``eprint`` (unless ``archivePrefix`` or
``eprinttype`` names another archive), Mendeley's ``arxivId``, then ``url``, ``doi``
(``10.48550/arXiv.ID``) and the fields where exports write ``arXiv:ID`` (``journal``, ``note``...).
Values are read as written, with no middleware: ``@string`` macros are not substituted (arXiv
ids never come from them), so a huge macro used by every field of every entry, or a chain of
``#`` concatenations, cannot grow past the file's own size (with bibtexparser's default string
resolution and brace removal a 1.9 MB file took all the memory of the machine). Only the named
fields are searched, each up to FIELD_CHARS.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

from bibtexparser.entrypoint import parse_string
from bibtexparser.model import Block, ParsingFailedBlock
from bibtexparser.model import Entry as BibEntry
from django.conf import settings

from paperfeed.accounts.imports.entries import FIELD_CHARS, KEY_CHARS, Entry, TooManyEntries, named
from paperfeed.accounts.imports.ids import bare_id, first_id

NAME = "bibtex"
EXTENSIONS: tuple[str, ...] = (".bib", ".bibtex", ".biblatex")
ID_FIELDS = ("eprint", "arxivid", "arxiv")
TEXT_FIELDS = ("url", "doi", "journal", "journaltitle", "note", "howpublished", "number", "publisher", "annote")
LOOKED_IN = "eprint, arxivId, url, doi, journal, note"
_START = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.MULTILINE)
# Where an entry starts (not @string, @comment or @preamble), counted before parsing: bibtexparser
# takes seconds for many thousand blocks (220,000 in 2 MB: 10 s), so a file with more than an
# import may have is refused before it is parsed.
_ENTRY_START = re.compile(r"@\s*(?!(?:string|comment|preamble)\b)[A-Za-z]+\s*[{(]", re.IGNORECASE)
_HEAD = re.compile(r"@\s*(?P<type>[A-Za-z]+)\s*[{(]\s*(?P<key>[^,\s]*)")

# Each failed block is also logged as a warning by bibtexparser; the import reports them itself.
logging.getLogger("bibtexparser").setLevel(logging.ERROR)


def looks_like(text: str) -> bool:
    return _START.search(text) is not None


def read(text: str) -> Iterator[Entry]:
    check_count(text)
    library = parse_string(text, parse_stack=[])
    blocks: list[Block] = [*library.entries, *library.failed_blocks]
    for block in sorted(blocks, key=lambda block: block.start_line or 0):
        yield _entry(block)


def check_count(text: str) -> None:
    """TooManyEntries when the text starts more entries than an import may have."""
    for count, start in enumerate(_ENTRY_START.finditer(text), start=1):
        if count > settings.LIBRARY_IMPORT_MAX_ENTRIES:
            raise TooManyEntries(text.count("\n", 0, start.start()) + 1)


def _entry(block: Block) -> Entry:
    if isinstance(block, ParsingFailedBlock) and isinstance(block.ignore_error_block, BibEntry):
        block = block.ignore_error_block  # a key or field used twice: the entry is still an entry
    line = (block.start_line or 0) + 1
    if isinstance(block, BibEntry):
        fields = {field.key.lower(): str(field.value)[:FIELD_CHARS] for field in block.fields}
        found = arxiv_id(fields)
        entry = named(line, block.key, found, LOOKED_IN)
        return entry if found else Entry(entry.line, entry.key, None, _why_not(fields) or entry.reason)
    head = _HEAD.match((block.raw or "").lstrip())
    key = head["key"] if head else ""
    kind = f"@{head['type'].lower()} " if head else ""
    return Entry(line, key[:KEY_CHARS], None, f"malformed {kind}entry: {_problem(block)}")


def arxiv_id(fields: dict[str, str]) -> str | None:
    for name in ID_FIELDS:
        if name in fields and (name != "eprint" or _archive(fields) == "arxiv"):
            found = bare_id(_unquoted(fields[name]))
            if found:
                return found
    return first_id(fields[name] for name in TEXT_FIELDS if name in fields)


def _archive(fields: dict[str, str]) -> str:
    return _unquoted(fields.get("archiveprefix") or fields.get("eprinttype") or "arxiv").lower()


def _unquoted(value: str) -> str:
    """A value without the braces or quotes around it (no middleware removed them)."""
    return value.strip().strip('{}"').strip()


def _why_not(fields: dict[str, str]) -> str:
    """What the entry's eprint says instead of an arXiv id, when it has one."""
    eprint = _unquoted(fields.get("eprint") or fields.get("arxivid") or "")
    if not eprint:
        return ""
    if "eprint" in fields and _archive(fields) != "arxiv":
        return f"its eprint {eprint[:KEY_CHARS]!r} is on {_archive(fields)[:KEY_CHARS]!r}, not arXiv"
    return f"its eprint {eprint[:KEY_CHARS]!r} is not an arXiv id"


def _problem(block: Block) -> str:
    error = block.error if isinstance(block, ParsingFailedBlock) else None
    reason = getattr(error, "abort_reason", None) or str(error or "")
    lines = reason.strip().splitlines()
    return lines[-1].strip() if lines else "not read"
