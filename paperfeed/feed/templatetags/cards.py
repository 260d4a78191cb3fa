"""The compact card's abstract: its first words, and the rest that a click on them unfolds."""

from __future__ import annotations

import re

from django import template
from django.utils.safestring import SafeString, mark_safe

from paperfeed.lib.texmath import math_html, math_spans

register = template.Library()

LEAD_WORDS = 50  # enough for three lines on a desktop; the stylesheet shows three lines at most
GAP = re.compile(r"\s+")


def split_after_words(text: str, words: int) -> tuple[str, str]:
    """``text`` cut at the space after its first ``words`` words; a formula, spaces and all, is one word."""
    text = text.strip()
    spans = math_spans(text)
    count = 0
    for gap in GAP.finditer(text):
        if any(first < gap.start() < last for first, last in spans):
            continue  # a space inside a formula
        count += 1
        if count == words:
            return text[: gap.start()], text[gap.end() :]
    return text, ""


@register.filter
def abstract_parts(text: object, words: int = LEAD_WORDS) -> tuple[SafeString, SafeString]:
    """The first ``words`` words and the rest, each escaped with its math as MathML; the rest may be ""."""
    lead, rest = split_after_words(str(text or ""), words)
    return mark_safe(math_html(lead)), mark_safe(math_html(rest))  # math_html escapes all but its MathML
