"""paperfeed/papers/fulltext/convert.py: recorded arXiv HTML pages (LaTeXML output) to markdown."""

from __future__ import annotations

import pytest

from paperfeed.papers.fulltext.convert import ConversionError, cap, convert_bounded, html_to_markdown
from tests.fulltext_support import MATH, NO_HTML, TABLES, recording

MATH_URL = "https://arxiv.org/html/2507.00150v1"
TABLES_URL = "https://arxiv.org/html/2410.00260v2"


@pytest.fixture(scope="module")
def math_page() -> str:
    return html_to_markdown(recording(MATH), MATH_URL)


@pytest.fixture(scope="module")
def tables_page() -> str:
    return html_to_markdown(recording(TABLES), TABLES_URL)


def test_sections_become_headings_in_order(math_page: str, tables_page: str) -> None:
    headings = [line for line in math_page.splitlines() if line.startswith("#")]
    assert headings == [
        "## Abstract",
        "## Key Words.",
        "## 1 Introduction",
        "## 2 Methodology. Sample of HVS candidates",
        "## 5 Conclusions",
        "## Acknowledgements.",
        "## References",
        "## Appendix A Covariance matrix",
    ]
    assert "### 2.3 Classifier Modeling" in tables_page.splitlines()


def test_inline_math_is_its_tex_between_dollars(math_page: str) -> None:
    assert "local escape velocity ($v_{\\rm esc}$), have attracted" in math_page
    assert "$\\sigma_{\\varpi}/\\varpi\\leq 0.2$" in math_page
    assert "\\begin{pmatrix}\\sigma_{\\mu_{\\alpha}}^{2}&" in math_page  # a matrix keeps its TeX whole
    assert "<math" not in math_page and "mrow" not in math_page  # no MathML left


def test_display_math_is_its_tex_between_double_dollars_with_its_number(tables_page: str) -> None:
    equation = "$$\\mathrm{NN}_{k}(d)={d^{\\prime}\\in D:\\cos(\\vec{d},\\vec{d^{\\prime}})\\geq t_{sim}} \\tag{2}$$"
    assert equation in tables_page.splitlines()


def test_a_less_than_sign_in_tex_is_written_so_it_cannot_open_a_tag(math_page: str) -> None:
    assert "RUWE $\\lt$ 1.4" in math_page
    assert "$P_{\\rm esc,0}\\lt 50\\%$" in math_page


def test_tables_become_pipe_tables_with_their_rows(math_page: str, tables_page: str) -> None:
    assert "| ID | Class. | Gaia DR3 source ID | R.A. | Dec. | Pesc,0 | texp | G |" in math_page
    assert "| HVS01 | S | 3841458366321558656 | 09:34:09.21 | +01:35:16.7 | 100 | 900 (1) | 15.9 |" in math_page
    assert "| Dimension | Choices |" in tables_page
    assert "| Length | Very long (>1k words), Long (>500 words), Short (&lt;500 words) |" in tables_page


def test_figure_and_table_captions_are_kept(math_page: str, tables_page: str) -> None:
    assert "Figure 1: $v_{\\rm T}$ distribution from 1,000 realizations" in math_page
    assert "Table 1: Sample of HVS candidates selected for follow-spectroscopy. [^2]" in math_page
    assert "Table 1: Seed generation prompt dimensions" in tables_page
    assert "Figure 2: Seed data generation prompt" in tables_page


def test_images_link_to_arxiv_next_to_the_page(math_page: str) -> None:
    assert "![Refer to caption](https://arxiv.org/html/2507.00150v1/plot1_distributions_600.png)" in math_page


def test_references_are_one_item_each(math_page: str, tables_page: str) -> None:
    assert "- Hills (1988) Hills, J. G. 1988, Nat, 331, 687" in math_page
    assert "- Yu & Tremaine (2003) Yu, Q. & Tremaine, S. 2003, ApJ, 599, 1129" in math_page
    lines = [line for line in tables_page.splitlines() if line.startswith("- [2")]
    assert lines[0].startswith("- [20] Ronen Eldan and Yuanzhi Li. Tinystories: How small can language models")
    assert len(lines) == 3


def test_lists_and_verbatim_blocks(tables_page: str) -> None:
    assert "- We introduce DoPAMine framework that is truly scalable" in tables_page
    assert "•" not in tables_page  # LaTeXML's bullet text is not doubled
    assert "```\nWrite a {doc_type} about {industry} using the\nfollowing steps.\n" in tables_page


def test_footnotes_move_to_the_end_with_their_math(math_page: str) -> None:
    assert "recipe[^1]." in math_page
    assert math_page.rstrip().endswith("The numbers in parentheses indicate the number of exposures.")
    assert "[^1]: <https://pypi.org/project/gaiadr3-zeropoint/>" in math_page
    assert (
        "[^2]: Notes. Columns list: Star ID, Classification (Golden/Silver), Gaia DR3 source ID, position, $P_{"
        in math_page
    )


def test_page_chrome_and_front_matter_are_left_out(math_page: str) -> None:
    chrome = ["Report GitHub Issue", "initializeReadingPreferences", "Back to Abstract", "Why HTML?", "arXiv logo"]
    chrome += ["ds-announcement", "view the build logs", "major funders", "Toggle navigation"]
    for piece in chrome:
        assert piece not in math_page
    assert "Affiliation" not in math_page and "Received March 27, 2025" not in math_page  # the header says these


def test_a_page_without_an_article_is_refused() -> None:
    with pytest.raises(ConversionError, match="no LaTeXML article"):
        html_to_markdown(recording(NO_HTML), "https://arxiv.org/html/2401.00001v1")


def test_the_bounded_conversion_gives_the_same_markdown(math_page: str) -> None:
    assert convert_bounded(recording(MATH), MATH_URL) == math_page


def test_the_bounded_conversion_reports_a_refusal_in_words() -> None:
    with pytest.raises(ConversionError, match="no LaTeXML article"):
        convert_bounded(recording(NO_HTML), "https://arxiv.org/html/2401.00001v1")


def test_a_long_text_is_cut_at_a_paragraph_with_a_note() -> None:
    text = "\n\n".join(f"Paragraph {n} " + "word " * 20 for n in range(100))
    cut = cap(text, 1000)
    assert len(cut) < 1100 and cut.endswith("it is longer than 1,000 characters.)*\n")
    assert "Paragraph 7" in cut and "Paragraph 9" not in cut
    assert cap("short", 1000) == "short"
