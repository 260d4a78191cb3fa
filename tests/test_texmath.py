"""Math in titles and abstracts (paperfeed/lib/texmath.py): TeX spans to safe MathML, the rest escaped."""

from __future__ import annotations

import re

import pytest

from paperfeed.lib.texmath import math_html, math_spans, whole_formulas

HOSTILE = [
    r"$\href{javascript:alert(1)}{click}$",
    r"$\style{color:red}{x}$",
    r"$\text{<script>alert(1)</script>}$",
    r"$<img src=x onerror=alert(2)>$",
    r"$\text{&#x3C;script&#x3E;}$",
    r"$\mathrm{a\"onmouseover=\"alert(3)}$",
    r"$\color{red}{x}$",
    r'$x$ <svg onload=alert(4)> $"><script>$',
]


def test_a_formula_becomes_mathml_and_the_text_around_it_is_escaped() -> None:
    html = math_html("VGG-T$^3$ & <b>friends</b>: $O(n^2)$")
    assert html.startswith("VGG-T<math")
    assert html.count("<math") == 2 and "<msup><mi>n</mi><mn>2</mn></msup>" in html
    assert "&amp; &lt;b&gt;friends&lt;/b&gt;" in html
    assert "$" not in html


def test_every_delimiter_is_understood_and_an_escaped_dollar_is_a_dollar() -> None:
    html = math_html(r"costs \$5, $$E=mc^2$$ and \(a_1\) and \[b\]")
    assert html.startswith("costs $5, ")
    assert html.count('<math display="block">') == 2 and html.count('<math display="inline">') == 1


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_tex_cannot_carry_markup_into_the_page(text: str) -> None:
    markup = re.findall(r"<([^>]*)>", math_html(text))
    tags = {tag.split()[0].strip("/") for tag in markup}
    assert tags <= {"math", "mrow", "mi", "mn", "mo", "mtext", "mstyle", "msup", "msub"}, tags
    attributes = {name for tag in markup for name in re.findall(r"\s([^\s=]+)=", tag)}
    assert attributes <= {"display", "stretchy", "mathvariant"}, attributes


def test_tex_that_cannot_be_converted_is_shown_as_escaped_tex() -> None:
    assert math_html(r"a $\left( <b>$ b") == r"a $\left( &lt;b&gt;$ b"
    assert math_html(r"$x_{$") == "$x_{$"


def test_an_excerpt_counts_a_formula_as_one_word_and_never_cuts_it() -> None:
    text = r"one two $\sum_{i=1}^{n} x_i$ four five six"
    assert math_html(text, 2) == "one two …"
    cut = math_html(text, 4)
    assert cut.startswith("one two <math") and cut.endswith("</math> four …")
    assert math_html(text, 6) == math_html(text)


def test_a_range_is_widened_to_whole_formulas() -> None:
    text = r"we get $e^{\epsilon_0}$ bounds and $\{capture\}$ too"
    first, second = math_spans(text)
    assert whole_formulas(text, first[0] + 3, second[0] + 2) == (first[0], second[1])
    assert whole_formulas(text, 0, 5) == (0, 5)
