"""Text clean-up for upstream metadata: LaTeX accents in names, arXiv author strings."""

from __future__ import annotations

import re
from functools import lru_cache

from pylatexenc.latex2text import LatexNodes2Text

_AND = re.compile(r",?\s+and\s+|\s*&\s*", re.IGNORECASE)


@lru_cache(maxsize=1)
def _converter() -> LatexNodes2Text:
    return LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=True)


def latex_to_text(text: str) -> str:
    """Turn LaTeX accents and escapes (``Bal\\'azs``) into Unicode; plain text passes through."""
    if "\\" not in text and "{" not in text:
        return text
    try:
        return str(_converter().latex_to_text(text))
    except Exception:  # pylatexenc is lenient, but a malformed name must never sink a record
        return text


def split_authors(text: str) -> list[str]:
    """Split an arXiv author string ("A, B (MIT), and C") into names, dropping affiliations."""
    names: list[str] = []
    for chunk in _split_outside_parentheses(_drop_parentheses(text)):
        for name in _AND.split(chunk):
            cleaned = " ".join(latex_to_text(name).split()).strip(" ,;")
            if cleaned:
                names.append(cleaned)
    return names


def _drop_parentheses(text: str) -> str:
    depth, kept = 0, []
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")" and depth:
            depth -= 1
        elif depth == 0:
            kept.append(char)
    return "".join(kept)


def _split_outside_parentheses(text: str) -> list[str]:
    # Braces protect commas inside LaTeX groups such as {\'e}.
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        depth += char == "{"
        depth -= char == "}" and depth > 0
        if char == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts
