"""Hostile arXiv HTML pages: what the full-text fetch reads, converts, stores and serves stays bounded and inert.

Each attack is a page served at arXiv's HTML URL by the loopback upstream; the worker's fetch
(``paperfeed/papers/fulltext/``) must end it as a row in a known state, and ``/papers/ID.md``
must serve nothing a markdown renderer or a terminal could run.
"""

from __future__ import annotations

import pytest
from django.test import Client

from paperfeed.papers.fulltext.convert import ConversionError, convert_bounded, html_to_markdown
from paperfeed.papers.fulltext.fetching import fetch_due_full_texts, request_full_text
from paperfeed.papers.models import FullText
from tests.fulltext_support import MATH, add_recorded_paper, html_path, recording, serve_recording
from tests.upstream_server import Reply

pytestmark = pytest.mark.django_db

HOSTILE = """<html><head><script>steal()</script><style>body{display:none}</style></head><body>
<nav><a href="/">arXiv</a></nav>
<article class="ltx_document">
<section class="ltx_section"><h2 class="ltx_title">1 Introduction\x1b[2J\x1b]0;owned\x07</h2>
<p class="ltx_p">Text &lt;script&gt;alert(1)&lt;/script&gt; and <a href="javascript:alert(2)">a link</a>,
<a href="JaVaScRiPt:alert(3)">another</a>, <a href="data:text/html,<b>x</b>">data</a> and
<a href="https://example.org/ok">a good one</a>. <img src="javascript:alert(4)" alt="pic" onerror="alert(5)">
<img src="x.png" alt="fine"> <span onclick="alert(6)">click</span><script>alert(7)</script>
<math alttext="x&lt;img src=x onerror=alert(8)&gt;" display="inline"><mi>x</mi></math>
<iframe src="https://evil.example/"></iframe><object data="evil.swf"></object>
Private \ue000 use \ue001 and a NUL \x00 here.</p>
</section></article></body></html>"""


@pytest.fixture
def hostile() -> str:
    return html_to_markdown(HOSTILE.encode(), "https://arxiv.org/html/2507.00150v1")


def test_scripts_styles_navigation_and_frames_are_dropped(hostile: str) -> None:
    for gone in ("steal()", "display:none", "alert(5)", "alert(6)", "alert(7)", "evil.example", "evil.swf", "onclick"):
        assert gone not in hostile


def test_markup_in_the_text_cannot_become_html(hostile: str) -> None:
    assert "<" not in hostile.replace("&lt;", "")
    assert "&lt;script>alert(1)&lt;/script>" in hostile
    assert "$x\\lt img src=x onerror=alert(8)>$" in hostile  # in TeX too


def test_only_web_and_in_page_links_are_kept(hostile: str) -> None:
    assert "javascript" not in hostile.lower() and "data:" not in hostile
    assert "[a good one](https://example.org/ok)" in hostile
    assert "a link," in hostile and "another," in hostile  # the link's text stays, without the link
    assert "![fine](https://arxiv.org/html/x.png)" in hostile and "pic" not in hostile


def test_control_and_placeholder_characters_are_dropped(hostile: str) -> None:
    assert not any(ord(char) < 32 and char != "\n" for char in hostile)
    assert "\ue000" not in hostile and "\ue001" not in hostile
    assert "## 1 Introduction[2J]0;owned" in hostile


def test_a_page_over_the_size_cap_is_not_read_and_not_tried_again(upstream, settings) -> None:
    settings.FULLTEXT_MAX_BYTES = 10_000
    paper = add_recorded_paper(MATH)
    serve_recording(upstream, paper, MATH)  # 39 KB
    request_full_text(paper, "opened")
    assert fetch_due_full_texts() == {"failed": 1}
    row = FullText.objects.get(paper=paper)
    assert "larger than 10,000 bytes" in row.message and row.next_try_at is None and row.markdown == ""


def test_a_deeply_nested_page_fails_in_the_child_not_in_the_worker(upstream) -> None:
    depth = 30_000
    page = '<article class="ltx_document">' + "<div>" * depth + "deep" + "</div>" * depth + "</article>"
    paper = add_recorded_paper(MATH)
    upstream.route(html_path(paper), Reply(page.encode(), 200))
    request_full_text(paper, "opened")
    assert fetch_due_full_texts() == {"failed": 1}
    row = FullText.objects.get(paper=paper)
    assert "nested too deeply" in row.message and row.next_try_at is None


def test_a_conversion_past_its_time_is_stopped(monkeypatch) -> None:
    monkeypatch.setattr("paperfeed.papers.fulltext.convert.CONVERT_SECONDS", 0.05)
    with pytest.raises(ConversionError, match=r"took longer than 0\.05 s"):
        convert_bounded(recording(MATH), "https://arxiv.org/html/2507.00150v1")


def test_a_conversion_past_its_memory_is_stopped(monkeypatch) -> None:
    monkeypatch.setattr("paperfeed.papers.fulltext.convert.CONVERT_MEMORY", 150 * 2**20)
    page = ('<article class="ltx_document">' + "<p>a</p>" * 600_000 + "</article>").encode()  # 5 MB, many nodes
    with pytest.raises(ConversionError, match="MemoryError"):
        convert_bounded(page, "https://arxiv.org/html/2507.00150v1")


def test_the_served_markdown_is_inert_text(upstream) -> None:
    paper = add_recorded_paper(MATH)
    upstream.route(html_path(paper), Reply(HOSTILE.encode(), 200))
    request_full_text(paper, "opened")
    fetch_due_full_texts()
    response = Client().get("/papers/2507.00150.md")
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"
    body = response.content.decode()
    assert "&lt;script>alert(1)" in body and "<script" not in body and "javascript:" not in body.lower()
