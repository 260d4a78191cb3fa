"""Compact cards (feed/_card.html): every listing shows a paper's title, authors and the first
lines of its abstract, with the rest behind a <details> fold; the paper page keeps it whole."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from django.test import Client

from paperfeed.feed.templatetags.cards import LEAD_WORDS, abstract_parts, split_after_words
from paperfeed.search.indexing import index_papers
from tests.conftest import call, daily_file
from tests.personas import add_paper

pytestmark = pytest.mark.django_db

LONG = " ".join(f"word{n}" for n in range(120)) + "."
MOST_BYTES = 150_000


def card(html: str, arxiv_id: str) -> str:
    found = re.search(rf'<article id="{re.escape(arxiv_id)}">(.*?)</article>', html, re.DOTALL)
    assert found, f"no card for {arxiv_id}"
    return found.group(1)


def test_the_first_words_and_the_rest_make_the_whole_abstract() -> None:
    lead, rest = split_after_words(LONG, 50)
    assert lead.split() == LONG.split()[:50] and rest.split() == LONG.split()[50:]
    assert split_after_words("Short and sweet.", 50) == ("Short and sweet.", "")


def test_a_formula_is_never_cut_in_two() -> None:
    text = "a " * 49 + "$x + y = z$ and the rest of the sentence."
    lead, rest = split_after_words(text, 50)
    assert lead.endswith("$x + y = z$") and rest == "and the rest of the sentence."
    first, second = abstract_parts(text, 49)  # cut just before the formula: it goes whole to the rest
    assert "<math" not in first and "<math" in second and "$" not in second


def test_both_parts_are_escaped() -> None:
    lead, rest = abstract_parts("<script>alert(1)</script> " + LONG + " <img src=x onerror=alert(2)>", LEAD_WORDS)
    assert "<script" not in lead and "&lt;script&gt;" in lead
    assert "<img" not in rest and "&lt;img" in rest


def test_every_listing_folds_a_long_abstract_behind_its_first_lines(client: Client, data_dir: object) -> None:
    paper = add_paper(title="A long one", abstract=LONG, authors=["Ada Lovelace"], categories=["cs.LG"])
    index_papers(embed=False)
    pages = [
        "/", "/day/2026-03-02/", "/week/2026-W10/", "/month/2026-03/", "/trending/?window=month",
        "/author/Ada Lovelace/", "/category/cs.LG/",
    ]  # fmt: skip
    for url in pages:
        shown = card(client.get(url).content.decode(), paper.arxiv_id)
        assert '<details class="abstract folded">' in shown, url
        lead, rest = (html_lib.unescape(re.sub("<[^>]+>", "", part)) for part in _lead_and_rest(shown))
        assert lead.split() == LONG.split()[:LEAD_WORDS], url
        assert rest.split() == LONG.split()[LEAD_WORDS:], url  # the whole abstract, once
    found = card(client.get("/search/", {"q": "word7", "mode": "keyword"}).content.decode(), paper.arxiv_id)
    assert '<p class="abstract snippet">' in found and '<details class="abstract full">' in found
    assert LONG in found  # the snippet, and the whole abstract behind "Full abstract"


def _lead_and_rest(shown: str) -> tuple[str, str]:
    found = re.search(
        r'<span class="lead">(.*?)</span></summary> <span class="rest">(.*?)</span>\s*</details>', shown, re.S
    )
    assert found
    return found.group(1), found.group(2)


def test_a_short_abstract_is_shown_whole_without_a_fold(client: Client) -> None:
    paper = add_paper(abstract="We study things in two sentences. It works.")
    shown = card(client.get("/").content.decode(), paper.arxiv_id)
    assert "<details" not in shown and '<p class="abstract">We study things in two sentences. It works.</p>' in shown


def test_the_paper_page_keeps_the_whole_abstract_unfolded(client: Client) -> None:
    paper = add_paper(abstract=LONG)
    html = client.get(f"/paper/{paper.arxiv_id}/").content.decode()
    assert (
        f'<p class="abstract full">{LONG}</p>' in html
        and "<details" not in html.split("<main", 1)[1].split("Similar")[0]
    )


@pytest.mark.parametrize("day", ["2026-03-05", "2026-06-02"])
def test_a_real_days_pages_weigh_at_most_150_kb(client: Client, day: str) -> None:
    assert call("import", str(daily_file(day)))[0] == 0
    first = client.get(f"/day/{day}/")
    last_page = int(re.search(r"Page 1 of (\d+)", first.content.decode()).group(1))  # type: ignore[union-attr]
    for response in (first, client.get(f"/day/{day}/", {"page": last_page})):
        assert response.status_code == 200
        assert len(response.content) <= MOST_BYTES, len(response.content)
