"""Template helpers of the site: safe outbound links and the KaTeX tags."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def safe_url(value: object) -> str:
    """``value`` if it is an http(s) URL, else an empty string (no javascript: links)."""
    text = str(value or "").strip()
    return text if text.lower().startswith(("https://", "http://")) else ""


@register.simple_tag
def katex_tags() -> SafeString:
    """KaTeX's stylesheet and scripts, when KaTeX is installed (PAPERFEED_KATEX_DIR)."""
    if not (settings.KATEX_DIR / "katex.min.js").exists():
        return SafeString("")
    css = format_html('<link rel="stylesheet" href="{}">', static("katex/katex.min.css"))
    scripts = format_html_join(
        "",
        '<script defer src="{}"></script>',
        [(static("katex/katex.min.js"),), (static("katex/contrib/auto-render.js"),)],
    )
    return SafeString(css + scripts)
