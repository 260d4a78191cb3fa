"""Plain text: one arXiv id or URL a line (``1706.03762``, ``hep-th/9901001v2``,
``https://arxiv.org/abs/2301.00001``); blank lines and lines starting with ``#`` are skipped,
and anything after the first word of a line is a note."""

from __future__ import annotations

from collections.abc import Iterator

from paperfeed.accounts.imports.entries import KEY_CHARS, Entry
from paperfeed.accounts.imports.ids import bare_id, id_in_text

NAME = "text"
EXTENSIONS: tuple[str, ...] = (".txt", ".list")


def looks_like(text: str) -> bool:
    return True  # the last format tried: anything else is read as a list


def read(text: str) -> Iterator[Entry]:
    for number, line in enumerate(text.split("\n"), start=1):
        item = line.strip()
        if not item or item.startswith("#"):
            continue
        arxiv_id = bare_id(item.split()[0]) or id_in_text(item[:KEY_CHARS])
        reason = "" if arxiv_id else f"not an arXiv id or arXiv URL: {item[:KEY_CHARS]!r}"
        yield Entry(number, "", arxiv_id, reason)
