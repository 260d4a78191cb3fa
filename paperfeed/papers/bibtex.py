"""BibTeX entries for papers, as arXiv writes them (@misc with eprint fields)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from paperfeed.papers.models import Paper


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def citation_key(paper: Paper) -> str:
    """surname + year + first word of the title, e.g. ``vaswani2017attention``."""
    surname = _ascii_word(paper.authors[0].split()[-1]) if paper.authors else "anon"
    year = paper.published.year if paper.published else ""
    words = [_ascii_word(word) for word in paper.title.split()]
    first = next((word for word in words if len(word) > 3), words[0] if words else "")
    return f"{surname}{year}{first}" or paper.arxiv_id


def _braced(text: str) -> str:
    """``text`` with unbalanced braces dropped, so it cannot end the field early."""
    depth, kept = 0, []
    for char in " ".join(text.split()):
        if char == "}" and depth == 0:
            continue
        depth += {"{": 1, "}": -1}.get(char, 0)
        kept.append(char)
    return "".join(kept) + "}" * depth


def bibtex(paper: Paper) -> str:
    """One @misc entry; every field value goes through ``_braced``, so no value can end its field
    or start an entry of its own (a crafted DOI or category stays inside its braces)."""
    fields = [
        ("title", paper.title),
        ("author", " and ".join(_braced(name) for name in paper.authors)),
        ("year", str(paper.published.year) if paper.published else ""),
        ("eprint", paper.arxiv_id),
        ("archivePrefix", "arXiv"),
        ("primaryClass", paper.primary_category),
        ("doi", paper.doi),
        ("url", paper.abs_url),
    ]
    body = ",\n".join(f"  {name} = {{{_braced(value)}}}" for name, value in fields if value)
    return f"@misc{{{citation_key(paper)},\n{body}\n}}\n"


def bibtex_file(papers: Iterable[Paper]) -> str:
    return "\n".join(bibtex(paper) for paper in papers)
