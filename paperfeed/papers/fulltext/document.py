"""The markdown a reader gets for a paper: ``/papers/ID.md`` and ``paperfeed paper ID --markdown``.

A header from the paper's record (title, authors, dates, links), then the full text when the
worker has fetched it, otherwise the abstract and a line saying why there is no more: arXiv has
no HTML rendering of the paper, or it has not been fetched yet. Record fields are untrusted: no
raw HTML gets through (``<`` written ``&lt;``, in TeX ``\\lt``), no control characters, and a
title or author name cannot start a markdown block of its own.
"""

from __future__ import annotations

import re

from paperfeed.lib.texmath import math_spans
from paperfeed.lib.xmltext import xml_safe
from paperfeed.papers.models import FullText, Paper

NOT_YET = "*The full text has not been fetched yet: this is the abstract. Ask again later.*"
NO_HTML = "*arXiv has no HTML rendering of this paper, so there is no full text here: this is the abstract.*"


def paper_markdown(paper: Paper, full_text: FullText | None = None) -> str:
    """The paper as markdown: its full text when fetched, otherwise its metadata and abstract."""
    lines = [f"# {_inline(paper.title)}", "", *_metadata(paper), ""]
    if full_text is not None and full_text.state == FullText.FETCHED and full_text.markdown:
        source = f"*Full text from arXiv's HTML rendering, {full_text.source_url}.*"
        return "\n".join([*lines, source, "", full_text.markdown.rstrip(), ""])
    note = NO_HTML if full_text is not None and full_text.state == FullText.NO_HTML else NOT_YET
    return "\n".join([*lines, "## Abstract", "", _text(paper.abstract), "", note, ""])


def _metadata(paper: Paper) -> list[str]:
    fields = [
        ("Authors", ", ".join(_inline(name) for name in paper.authors)),
        ("arXiv", f"{paper.arxiv_id}{f'v{paper.version}' if paper.version else ''}"),
        ("Categories", " ".join(_inline(category) for category in paper.categories)),
        ("Published", f"{paper.published:%Y-%m-%d}" if paper.published else ""),
        ("Updated", f"{paper.updated:%Y-%m-%d}" if paper.updated else ""),
        ("Announced", f"{paper.announced_on:%Y-%m-%d}" if paper.announced_on else ""),
        ("On Hugging Face Daily Papers", f"{paper.hf_submitted_at:%Y-%m-%d}" if paper.hf_submitted_at else ""),
        ("Upvotes on Hugging Face", f"{paper.upvotes}" if paper.upvotes else ""),
        ("In one line", _inline(paper.ai_summary) if paper.ai_summary else ""),
        ("Abstract page", paper.abs_url),
        ("PDF", paper.pdf_url),
        ("Code", " ".join(link for link in paper.code_links if _is_web(link))),
        ("Project page", paper.project_page if _is_web(paper.project_page) else ""),
    ]
    return [f"- **{label}:** {value}" for label, value in fields if value]


def _is_web(url: str) -> bool:
    return url.startswith(("https://", "http://")) and not re.search(r"[\s<>()\[\]]", url)


def _inline(text: str) -> str:
    """One line of untrusted text: whitespace collapsed, so it cannot start a heading or list of its own."""
    return _text(" ".join(str(text).split()))


def _text(text: str) -> str:
    """Untrusted text with TeX spans: control characters dropped, ``<`` unable to open a tag."""
    clean = xml_safe(str(text))
    parts, start = [], 0
    for begin, end in math_spans(clean):
        parts.append(clean[start:begin].replace("<", "&lt;"))
        parts.append(clean[begin:end].replace("<", "\\lt "))
        start = end
    parts.append(clean[start:].replace("<", "&lt;"))
    return "".join(parts).strip()
