"""Template helpers of the site: safe outbound links, math as MathML, and the small SVG charts."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Sequence

from django import template
from django.utils.safestring import SafeString, mark_safe

from paperfeed.feed import charts
from paperfeed.lib.texmath import MATH, math_html

register = template.Library()


@register.filter
def safe_url(value: object) -> str:
    """``value`` if it is an http(s) URL, else an empty string (no javascript: links)."""
    text = str(value or "").strip()
    return text if text.lower().startswith(("https://", "http://")) else ""


@register.filter
def math(value: object, words: int | None = None) -> SafeString:
    """Untrusted text escaped, with its ``$...$`` spans as MathML; cut after ``words`` words if given."""
    return mark_safe(math_html(str(value or ""), words))  # math_html escapes all but its own MathML


@register.filter
def snippet_math(snippet: str) -> SafeString:
    """A search snippet (escaped HTML with <mark>) with its whole math spans as MathML.

    snippet_html keeps marks out of math spans and never cuts one, so a span here is plain
    escaped text; one that still holds markup is left as it is.
    """
    return mark_safe(MATH.sub(_snippet_formula, str(snippet)))


def _snippet_formula(match: re.Match[str]) -> str:
    if "<" in match.group(0):
        return match.group(0)
    return math_html(html.unescape(match.group(0)))


@register.filter
def bar_chart(counts: Sequence[tuple[dt.date, int]], label: str) -> SafeString:
    return charts.bar_chart(counts, label)


@register.filter
def line_chart(points: Sequence[tuple[dt.date, int]], label: str) -> SafeString:
    return charts.line_chart(points, label)
