"""A comment's text as HTML: plain text with links and inline TeX, everything else escaped.

Paragraphs are split on blank lines, single newlines become ``<br>``. An ``http://`` or
``https://`` URL becomes a link with ``rel="nofollow ugc noopener"``; nothing else does (a
``javascript:`` URL stays text). Math spans (``$...$`` and the others of lib/texmath.py) become
sanitized MathML, at most MAX_FORMULAS of them; the rest are shown as their TeX.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

from paperfeed.lib.texmath import MATH, tex_to_mathml

MAX_CHARS = 5000
MAX_LINES = 200
MAX_FORMULAS = 100
URL = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
TRAILING = ".,;:!?'\"*_"
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# C0 and C1 controls other than tab and newline, lone surrogates, and U+FFFE/U+FFFF (not text, not XML).
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


class BadComment(ValueError):
    """A comment body that cannot be stored; the message says what is wrong with it."""


def clean_body(text: str) -> str:
    """``text`` as stored: newlines made ``\\n``, ends trimmed; BadComment when empty, too long or not text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise BadComment("the comment is empty")
    if len(text) > MAX_CHARS:
        raise BadComment(f"the comment is {len(text):,} characters long; at most {MAX_CHARS:,} are allowed")
    if text.count("\n") >= MAX_LINES:
        raise BadComment(f"the comment has {text.count(chr(10)) + 1} lines; at most {MAX_LINES} are allowed")
    bad = CONTROL.search(text)
    if bad:
        raise BadComment(
            f"the comment holds a character that is not text (U+{ord(bad.group()):04X}), such as a control character"
        )
    return text


def comment_html(text: str) -> str:
    """The cleaned ``text`` as HTML paragraphs."""
    formulas = [MAX_FORMULAS]
    paragraphs = (part.strip("\n") for part in PARAGRAPH_BREAK.split(text))
    return "".join(f"<p>{_paragraph(part, formulas)}</p>" for part in paragraphs if part.strip())


def _paragraph(text: str, formulas: list[int]) -> str:
    parts, cursor = [], 0
    for match in MATH.finditer(text):
        parts.append(_linked(text[cursor : match.start()]))
        parts.append(_formula(match, formulas))
        cursor = match.end()
    parts.append(_linked(text[cursor:]))
    return "<br>".join("".join(parts).split("\n"))


def _formula(match: re.Match[str], formulas: list[int]) -> str:
    """A math span as MathML while the comment's allowance lasts, else (or if unreadable) its TeX."""
    tex = next(value for value in match.groupdict().values() if value is not None)
    display = match.group("dd") is not None or match.group("bd") is not None
    mathml = tex_to_mathml(tex, display) if formulas[0] > 0 else None
    formulas[0] -= 1
    return mathml or html.escape(match.group(0))


def _linked(text: str) -> str:
    """Plain text escaped, its http(s) URLs as links."""
    parts, cursor = [], 0
    for match in URL.finditer(text):
        url = _trim(match.group())
        if not _has_host(url):
            continue
        parts.append(_plain(text[cursor : match.start()]))
        parts.append(f'<a href="{html.escape(url)}" rel="nofollow ugc noopener">{html.escape(url)}</a>')
        cursor = match.start() + len(url)
    parts.append(_plain(text[cursor:]))
    return "".join(parts)


def _trim(url: str) -> str:
    """A URL without the punctuation that ends its sentence, nor a closing bracket it did not open."""
    while url and (url[-1] in TRAILING or (url[-1] == ")" and url.count(")") > url.count("("))):
        url = url[:-1]
    return url


def _has_host(url: str) -> bool:
    try:
        return bool(urlsplit(url).hostname)
    except ValueError:  # a bracketed host that is no IPv6 address
        return False


def _plain(text: str) -> str:
    return html.escape(text.replace("\\$", "$"))
