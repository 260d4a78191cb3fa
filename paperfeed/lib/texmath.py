"""Math in titles and abstracts: ``$...$``, ``\\(...\\)`` and ``$$...$$`` spans turned into MathML.

The text is untrusted. Everything outside a math span is HTML-escaped; a math span goes through
latex2mathml and then through ``_write``, which rebuilds the MathML from latex2mathml's element
tree keeping only MathML elements and a short list of presentation attributes (no ``href``,
``style`` or ``on...``) and escaping every text node, so nothing in the TeX can become markup.
A span latex2mathml cannot read is shown as its TeX, escaped. Browsers render MathML Core
natively, so math needs no script and no stylesheet from elsewhere.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from xml.etree.ElementTree import Element

from latex2mathml.converter import convert_to_element

# $$display$$, \(inline\), \[display\], $inline$; a backslash-escaped \$ is not a delimiter.
MATH = re.compile(
    r"(?<!\\)\$\$(?P<dd>.+?)(?<!\\)\$\$|\\\((?P<pi>.+?)\\\)|\\\[(?P<bd>.+?)\\\]|(?<!\\)\$(?P<di>[^$]+?)(?<!\\)\$",
    re.DOTALL,
)
MAX_TEX = 600  # longer spans are shown as TeX: a real formula in an abstract is far shorter
_ELEMENTS = """math mrow mi mn mo ms mtext mspace msub msup msubsup mfrac msqrt mroot mstyle merror mpadded
    mphantom munder mover munderover mtable mtr mtd mmultiscripts mprescripts none menclose"""
_ATTRIBUTES = """display mathvariant stretchy fence separator lspace rspace accent accentunder movablelimits
    largeop form columnalign rowspacing columnspacing linethickness minsize maxsize symmetric
    scriptlevel displaystyle width height depth voffset notation"""
ELEMENTS, ATTRIBUTES = frozenset(_ELEMENTS.split()), frozenset(_ATTRIBUTES.split())  # MathML Core's, no href/style
SAFE_VALUE = re.compile(r"[\w.%# -]*")
NUMERIC_REFERENCE = re.compile(r"&#x([0-9a-fA-F]+);")
# What a reference may not become: C0 and C1 controls but tab and newline, lone surrogates, U+FFFE/U+FFFF
# (not text, and XML 1.0 cannot carry them: one in a comment failed its post and the comment feed).
NOT_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def math_spans(text: str) -> list[tuple[int, int]]:
    """Where the math spans of ``text`` start and end, delimiters included."""
    return [match.span() for match in MATH.finditer(text)]


def math_html(text: str, words: int | None = None) -> str:
    """``text`` as HTML: escaped, its math spans as MathML; cut after ``words`` words (a formula is one)."""
    parts, count, cursor = [], 0, 0
    for match in MATH.finditer(text):
        piece, count = _words(text[cursor : match.start()], count, words)
        parts.append(_plain(piece))
        if words is not None and count >= words:
            return "".join(parts).rstrip() + " …"
        parts.append(_formula(match))
        count, cursor = count + 1, match.end()
    piece, count = _words(text[cursor:], count, words)
    if piece == text[cursor:]:
        return "".join(parts) + _plain(piece)
    return ("".join(parts) + _plain(piece)).rstrip() + " …"


def _plain(text: str) -> str:
    """Text outside math, escaped; ``\\$`` is a dollar sign."""
    return html.escape(text.replace("\\$", "$"))


def _words(text: str, count: int, limit: int | None) -> tuple[str, int]:
    """As much of ``text`` as fits in ``limit`` words after ``count``, and the new count."""
    if limit is None:
        return text, count
    pieces = re.split(r"(\s+)", text)
    kept: list[str] = []
    seen = count
    for piece in pieces:
        if piece.strip():
            if seen >= limit:
                return "".join(kept), seen
            seen += 1
        kept.append(piece)
    return text, seen


def _formula(match: re.Match[str]) -> str:
    tex = next(value for value in match.groupdict().values() if value is not None)
    display = match.group("dd") is not None or match.group("bd") is not None
    return tex_to_mathml(tex, display) or html.escape(match.group(0))


@lru_cache(maxsize=8192)
def tex_to_mathml(tex: str, display: bool = False) -> str | None:
    """``tex`` as safe MathML, or None when it is too long or latex2mathml cannot convert it."""
    if len(tex) > MAX_TEX or not tex.strip():
        return None
    try:
        root = convert_to_element(tex, display="block" if display else "inline")
    except Exception:  # latex2mathml raises many kinds of error on bad TeX; all mean "show the TeX"
        return None
    return _write(root)


def _write(element: Element) -> str:
    """``element`` as MathML markup: allowed elements and attributes only, all text escaped."""
    tag = element.tag if element.tag in ELEMENTS else "mrow"
    attributes = "".join(
        f' {name}="{html.escape(value)}"'
        for name, value in element.attrib.items()
        if name in ATTRIBUTES and SAFE_VALUE.fullmatch(value)
    )
    inner = _text(element.text) + "".join(_write(child) + _text(child.tail) for child in element)
    return f"<{tag}{attributes}>{inner}</{tag}>"


def _text(text: str | None) -> str:
    """A text node of latex2mathml's tree, escaped (it writes symbols as ``&#x...;`` references)."""
    if not text:
        return ""
    return html.escape(NUMERIC_REFERENCE.sub(_character, text), quote=False)


def _character(reference: re.Match[str]) -> str:
    """The character a reference names; U+FFFD for one that is not text (``\\text{&#x0;}`` passes it through)."""
    code = int(reference.group(1), 16)
    character = chr(code) if code <= 0x10FFFF else "\ufffd"
    return "\ufffd" if NOT_TEXT.fullmatch(character) else character


def whole_formulas(text: str, start: int, end: int) -> tuple[int, int]:
    """``text[start:end]`` widened so that it cuts no math span in two."""
    for first, last in math_spans(text):
        if first < start < last:
            start = first
        if first < end < last:
            end = last
    return start, end
