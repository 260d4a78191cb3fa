"""Compact cards in real Chromium at phone and desktop width: short listings, abstracts that unfold.

Figures on 5 March 2026 (331 real papers, page 1 of 50 cards), before the cards were compact:
28,335 px tall on a phone (390x844), 13,277 px on a desktop (1280x900), 73 KB of HTML with 60
words of each abstract. Compact, with every abstract whole behind its fold: about 13,600 px,
10,400 px and 122 KB (tests/test_compact_cards.py holds the HTML to 150 KB).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import call, daily_file
from tests.test_browser_site import CHROMIUM, browser, expect, page, shot  # noqa: F401 - the fixtures: one Chromium

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed (see .ci/run)")

DAY = "2026-03-05"
MOST_PX_PER_CARD = {"phone": 320, "desktop": 240}  # before: 567 and 266


@pytest.fixture
def math_day(data_dir: Path) -> None:
    """5 March 2026: 331 real papers, 43 of them with math in the abstract."""
    assert call("import", str(daily_file(DAY)))[0] == 0


def size_of(request: pytest.FixtureRequest) -> str:
    return str(request.node.callspec.params["page"])


def test_a_page_of_fifty_compact_cards_is_short_at_phone_and_desktop_width(page, shot, math_day, request) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page.goto(f"/day/{DAY}/")
    expect(page.locator("article")).to_have_count(50)
    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"{size_of(request)}: {height} px for 50 cards")  # the figures in the docstring
    assert height < 50 * MOST_PX_PER_CARD[size_of(request)], height
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    lead = page.locator("details.folded .lead").first
    line = float(lead.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)"))
    assert lead.bounding_box()["height"] <= 3 * line + 1  # three lines of the abstract, no more
    shot("closed")


def test_a_click_on_the_first_lines_unfolds_the_whole_abstract_with_its_math(page, shot, math_day) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page.goto(f"/day/{DAY}/")
    folded = page.locator("details.folded").filter(has=page.locator(".rest math")).first
    rest_math = folded.locator(".rest math").first
    expect(rest_math).to_be_hidden()
    folded.locator("summary").click()
    expect(folded).to_have_attribute("open", "")
    expect(rest_math).to_be_visible()
    box = rest_math.bounding_box()
    assert box and box["width"] > 5 and box["height"] > 5  # laid out as MathML inside the fold
    folded.scroll_into_view_if_needed()
    shot("open")
    folded.locator("summary").click()
    expect(rest_math).to_be_hidden()


def test_math_in_the_first_lines_shows_while_folded(page, math_day) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page.goto(f"/day/{DAY}/")
    shown = page.locator("details.folded:not([open]) .lead math")
    assert shown.count() > 0
    box = shown.first.bounding_box()
    assert box and box["width"] > 5


OPEN_ALL_AND_COUNT_RUN_ON = """() => {
  const folds = [...document.querySelectorAll("details.folded")];
  folds.forEach(fold => { fold.open = true; });
  return folds.filter(fold => {
    const last = [...fold.querySelector(".lead").getClientRects()].at(-1);
    return Math.abs(fold.querySelector(".rest").getClientRects()[0].top - last.top) < 2;
  }).length / folds.length;
}"""


def test_unfolded_the_first_lines_and_the_rest_read_as_one_paragraph(page, math_day) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page.goto(f"/day/{DAY}/")
    assert page.evaluate(OPEN_ALL_AND_COUNT_RUN_ON) > 0.5  # most go on in the same line; a block would never


def test_a_page_past_the_end_says_how_many_there_are_and_links_the_last(page, shot, math_day, live_server) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    url = f"/day/{DAY}/?page=99"
    page.expected_missing.add(f"{live_server.url}{url}")  # the 404 itself is no console error
    response = page.goto(url)
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Not found")
    expect(page.locator("p.pages-note")).to_contain_text("This listing has 5 pages")
    shot("404")
    page.get_by_role("link", name="the last page (page 5)").click()
    expect(page.locator("nav.pages.top")).to_contain_text("Page 5 of 5")
    expect(page.locator("nav.pages.bottom")).to_contain_text("Page 5 of 5")
