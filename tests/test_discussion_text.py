"""A comment's text as HTML (discussion/text.py): escaped, with http(s) links and inline TeX."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User

from paperfeed.discussion.text import MAX_CHARS, MAX_FORMULAS, BadComment, clean_body, comment_html
from tests.personas import add_paper, signed_in


def test_markup_is_shown_as_text() -> None:
    html = comment_html('<script>alert(1)</script> <b onclick="x()">bold</b> & <img src=x onerror=alert(1)>')
    assert "<script" not in html and "<b" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&amp;" in html


def test_http_and_https_urls_become_links_that_pass_no_ranking() -> None:
    html = comment_html("Code at https://github.com/org/repo and http://example.org/a?b=1&c=2.")
    assert '<a href="https://github.com/org/repo" rel="nofollow ugc noopener">https://github.com/org/repo</a>' in html
    assert '<a href="http://example.org/a?b=1&amp;c=2" rel="nofollow ugc noopener">' in html
    assert "c=2</a>." in html  # the sentence's full stop is not part of the link


def test_other_schemes_stay_text() -> None:
    html = comment_html("javascript:alert(1) data:text/html,<b>x</b> vbscript:x ftp://example.org/ //evil.example")
    assert "<a" not in html and "javascript:alert(1)" in html


def test_a_url_cannot_break_out_of_its_attribute() -> None:
    html = comment_html('https://example.org/"onmouseover="alert(1) https://example.org/<script>')
    assert 'href="https://example.org/"' in html and "onmouseover=" in html.split("</a>")[1]
    assert "<script" not in html


def test_a_bracket_closing_the_sentence_is_not_part_of_the_link() -> None:
    html = comment_html("(see https://en.wikipedia.org/wiki/Foo_(bar)) and (https://example.org/x)")
    assert 'href="https://en.wikipedia.org/wiki/Foo_(bar)"' in html and 'href="https://example.org/x"' in html


def test_a_url_without_a_host_is_not_a_link() -> None:
    assert "<a" not in comment_html("https://. and http://[::zz]/")


def test_inline_tex_becomes_mathml() -> None:
    html = comment_html(r"The loss is $\mathcal{L} = \sum_i x_i^2$, not \$5.")
    assert "<math" in html and "<msubsup>" in html and "$5" in html and "\\$" not in html


def test_tex_cannot_smuggle_markup() -> None:
    html = comment_html(r"$\href{javascript:alert(1)}{x}$ $<script>$ $\style{color:red}{x}$")
    assert "<script" not in html and "href" not in html.replace("&", "") and "style=" not in html


def test_past_the_formula_allowance_tex_is_shown_as_typed() -> None:
    html = comment_html(" ".join(f"$x_{n}$" for n in range(MAX_FORMULAS + 5)))
    assert html.count("<math") == MAX_FORMULAS and f"$x_{MAX_FORMULAS + 4}$" in html


def test_paragraphs_and_line_breaks() -> None:
    assert comment_html("one\ntwo\n\n\nthree") == "<p>one<br>two</p><p>three</p>"


def test_clean_body_trims_and_normalises_newlines() -> None:
    assert clean_body("  \r\nhello\r\nworld\r  ") == "hello\nworld"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "the comment is empty"),
        (" \n\t ", "the comment is empty"),
        ("x" * (MAX_CHARS + 1), f"the comment is 5,001 characters long; at most {MAX_CHARS:,} are allowed"),
        ("a\n" * 300, "the comment has 300 lines; at most 200 are allowed"),
        ("nul\x00byte", "the comment holds a character that is not text (U+0000), such as a control character"),
        ("bell\x07", "not text (U+0007)"),
        ("c1\x85control", "not text (U+0085)"),
        ("lone\ud800surrogate", "not text (U+D800)"),
    ],
)
def test_clean_body_refuses_what_is_not_a_comment(body: str, message: str) -> None:
    with pytest.raises(BadComment, match=re.escape(message)):
        clean_body(body)


@pytest.mark.django_db
def test_the_paper_page_shows_a_hostile_comment_inert(alice: User) -> None:
    paper = add_paper()
    body = '<script>alert(1)</script> [x](javascript:alert(1)) <a href="javascript:alert(1)">x</a> $x^2$'
    assert signed_in(alice).post(f"/comment/{paper.arxiv_id}/", {"body": body}).status_code == 302
    html = signed_in(alice).get(f"/paper/{paper.arxiv_id}/").content.decode()
    section = html[html.index('id="comments"') :]
    assert "<script>alert" not in section and 'href="javascript' not in section
    assert "&lt;script&gt;" in section and "<math" in section
