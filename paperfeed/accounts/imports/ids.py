"""Finding the arXiv id in a field of a reference manager's export.

A field names a paper by a bare id (BibTeX ``eprint``, Mendeley's ``arxivId``), an arXiv URL
(``https://arxiv.org/abs/1706.03762v5``, ``arxiv.org/pdf/hep-th/9901001``), arXiv's DOI
(``10.48550/arXiv.1706.03762``) or an ``arXiv:`` reference (``arXiv:1706.03762 [cs]``, Google
Scholar's ``arXiv preprint arXiv:1706.03762``). Ids are checked by paperfeed.lib.arxiv_ids.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from paperfeed.lib.arxiv_ids import InvalidArxivId, parse_arxiv_id

_ID = r"(?P<id>[a-z][a-z-]*(?:\.[a-z-]+)?/\d{7}(?:v\d+)?|\d{4}\.\d{4,5}(?:v\d+)?)(?!\d)"
_IN_TEXT = [
    re.compile(r"arxiv\.org/(?:abs|pdf|html|format)/" + _ID, re.IGNORECASE),
    re.compile(r"10\.48550/arxiv\." + _ID, re.IGNORECASE),
    re.compile(r"\barxiv:\s*" + _ID, re.IGNORECASE),
]
ARXIV_DOI_PREFIX = "10.48550/arxiv."


def bare_id(value: str) -> str | None:
    """The base id of a field that holds only an id, an arXiv URL or ``arXiv:ID``; None otherwise."""
    try:
        return parse_arxiv_id(value.strip()).base
    except InvalidArxivId:
        return id_in_text(value)


def id_in_text(text: str) -> str | None:
    """The first arXiv URL, arXiv DOI or ``arXiv:`` reference in ``text`` that is a real id."""
    for pattern in _IN_TEXT:
        for match in pattern.finditer(text):
            try:
                return parse_arxiv_id(match["id"]).base
            except InvalidArxivId:
                continue
    return None


def first_id(values: Iterable[str]) -> str | None:
    """The id that the first of ``values`` naming one names."""
    for value in values:
        found = id_in_text(value)
        if found:
            return found
    return None


def is_arxiv_doi(doi: str) -> bool:
    return doi.strip().lower().removeprefix("https://doi.org/").startswith(ARXIV_DOI_PREFIX)
