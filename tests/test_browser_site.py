"""The site in real Chromium (Debian's /usr/bin/chromium through Playwright), at phone and desktop width.

Each test fails on any console error or uncaught exception in the page. Screenshots go to
test-artifacts/browser/ (gitignored) for people to look at.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from paperfeed.search.indexing import index_papers
from tests.conftest import call, daily_file
from tests.personas import PASSWORD, add_paper

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "browser"
SIZES = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 900}},
}

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed (see .ci/run)")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One Chromium for all the browser tests (they all live in this module).

    Playwright's sync API keeps an event loop running in this thread, so Django's check against
    synchronous ORM calls from async code is switched off while it runs, and only then.
    """
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with playwright_api.sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            yield chromium
            chromium.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


class Page:
    """One browser page at one size that records console errors, uncaught exceptions and dialogs."""

    def __init__(self, browser: object, size: str, base_url: str) -> None:
        self.context = browser.new_context(base_url=base_url, **SIZES[size])  # type: ignore[attr-defined]
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.expected_missing = set()  # URLs a test loads on purpose to see a 404 page
        self.page.on("console", self.console)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("dialog", lambda dialog: self.errors.append(f"dialog opened: {dialog.message}"))

    def console(self, message: object) -> None:
        if message.type != "error":  # type: ignore[attr-defined]
            return
        if message.location.get("url") in self.page.expected_missing:  # type: ignore[attr-defined]
            return
        self.errors.append(message.text)  # type: ignore[attr-defined]


@pytest.fixture(params=list(SIZES))
def page(request: pytest.FixtureRequest, browser: object, live_server: object) -> Iterator[object]:
    opened = Page(browser, request.param, live_server.url)  # type: ignore[attr-defined]
    yield opened.page
    opened.context.close()
    assert opened.errors == [], f"console errors: {opened.errors}"


@pytest.fixture
def shot(page: object, request: pytest.FixtureRequest) -> object:
    size = request.node.callspec.params["page"]

    def take(name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.originalname}-{size}-{name}.png"))  # type: ignore[attr-defined]

    return take


@pytest.fixture
def two_real_days(data_dir: Path) -> None:
    """The real listings of 4 and 5 March 2026, with a keyword search index."""
    for day in ("2026-03-04", "2026-03-05"):
        assert call("import", str(daily_file(day)))[0] == 0
    index_papers(embed=False)


def test_browsing_days_reading_a_paper_and_searching(page, shot, two_real_days: None) -> None:  # type: ignore[no-untyped-def]
    page.goto("/")
    expect(page.locator("h1#day")).to_contain_text("Papers announced Thursday, 5 March 2026")
    shot("latest-day")
    page.locator("a[rel=prev]").click()
    expect(page.locator("h1#day")).to_contain_text("Wednesday, 4 March 2026")
    subscribe = page.get_by_role("link", name="Subscribe")
    expect(subscribe).to_be_visible()
    assert subscribe.get_attribute("href").startswith("/subscribe/")
    first = page.locator("article").first
    arxiv_id = first.get_attribute("id")
    first.locator("h3 a").click()
    expect(page).to_have_url(re.compile(f"/paper/{re.escape(arxiv_id)}/$"))
    expect(page.locator("h1.title")).to_be_visible()
    expect(page.locator("pre.bibtex")).to_contain_text("archivePrefix = {arXiv}")
    shot("paper")
    page.goto("/search/")
    page.get_by_label("Search", exact=True).fill("reinforcement learning")
    page.get_by_label("Keyword").check()
    page.get_by_role("button", name="Search").click()
    expect(page.locator("article").first).to_be_visible()
    expect(page.locator("article mark").first).to_be_visible()
    shot("search")
    page.goto("/week/")
    expect(page.locator("h1#day")).to_contain_text("in the week of 2 March 2026")


def test_signing_up_upvoting_submitting_and_logging_back_in(page, shot, transactional_db: None) -> None:  # type: ignore[no-untyped-def]
    voted = add_paper(title="A paper to upvote", upvotes=4, announced_on=None)  # both on the latest day
    fresh = add_paper(title="A fresh paper to submit", announced_on=None)
    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill("dora")
    page.get_by_label("Email").fill("dora@example.org")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    shot("signup")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    button = page.locator(f"article[id='{voted.arxiv_id}'] button.vote")
    expect(button).to_have_attribute("aria-pressed", "false")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button.locator(".count")).to_have_text("5")
    shot("upvoted")
    page.reload()
    expect(page.locator(f"article[id='{voted.arxiv_id}'] button.vote .count")).to_have_text("5")
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Username").fill("dora")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Submit", exact=True).click()
    page.get_by_label("arXiv id or URL").fill(f"https://arxiv.org/abs/{fresh.arxiv_id}")
    page.get_by_role("button", name="Submit", exact=True).click()
    expect(page.locator("h1.title")).to_have_text("A fresh paper to submit")
    expect(page.get_by_text("Submitted by dora")).to_be_visible()
    shot("submitted")


def test_math_renders_and_hostile_titles_stay_inert(page, shot, transactional_db: None) -> None:  # type: ignore[no-untyped-def]
    paper = add_paper(
        title="<script>alert(1)</script> Bounds of $O(n^2)$ for VGG-T$^3$ <img src=x onerror=alert(2)>",
        abstract="We show $\\sum_i x_i^2 \\le 1$ and $\\href{javascript:alert(3)}{click}$ and "
        "$\\text{<script>alert(4)</script>}$.",
    )
    page.goto(f"/paper/{paper.arxiv_id}/")
    expect(page.locator("h1.title math")).to_have_count(2)
    expect(page.locator(".abstract math")).to_have_count(3)
    box = page.locator("h1.title math").first.bounding_box()
    assert box and box["width"] > 20  # laid out as MathML, not an unknown inline element of no width
    assert page.locator("a[href^='javascript'], [href^='javascript']").count() == 0
    assert page.locator("main img, main script").count() == 0
    expect(page.locator("h1.title")).to_contain_text("<script>alert(1)</script>")
    shot("math")  # an alert() would have opened a dialog, which the page fixture counts as an error


@pytest.fixture
def biggest_day(data_dir: Path) -> None:
    """The largest real daily listing in the shared data (2 June 2026, over 700 papers)."""
    assert call("import", str(daily_file("2026-06-02")))[0] == 0


def test_a_big_day_comes_in_pages_at_phone_and_desktop_width(page, shot, biggest_day: None) -> None:  # type: ignore[no-untyped-def]
    page.goto("/day/2026-06-02/")
    expect(page.locator("article")).to_have_count(50)
    assert page.evaluate("document.documentElement.scrollHeight") < 40_000  # all 715 cards: 78,000 px on a desktop
    pages = page.locator("nav.pages.bottom")  # a pager above the cards as well
    expect(pages).to_contain_text("Page 1 of")
    first = page.locator("article").first.get_attribute("id")
    pages.get_by_role("link", name="Next →").click()
    expect(page).to_have_url(re.compile(r"\?page=2$"))
    expect(page.locator("nav.pages.top")).to_contain_text("Page 2 of")
    assert page.locator(f"article[id='{first}']").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot("page-2")


def test_the_header_takes_at_most_two_lines_and_leaves_no_link_alone(page, shot, transactional_db: None) -> None:  # type: ignore[no-untyped-def]
    add_paper(title="A paper")
    page.goto("/")
    header = page.locator("header.site").bounding_box()
    assert header and header["height"] <= 90, header
    links = page.locator("header.site a, header.site button")
    boxes = [links.nth(i).bounding_box() for i in range(links.count())]
    middles = sorted(box["y"] + box["height"] / 2 for box in boxes)
    lines = [[middles[0]]]
    for middle in middles[1:]:
        if middle - lines[-1][-1] > 12:
            lines.append([])
        lines[-1].append(middle)
    assert len(lines) <= 2 and min(len(line) for line in lines) >= 2, lines
    shot("header")


def test_charts_the_bibtex_box_and_the_404_page(page, shot, transactional_db: None) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from paperfeed.papers.models import MetricSnapshot

    paper = add_paper(title="A paper with a " + "very " * 30 + "long title", categories=["cs.CL"])
    for day in (1, 2, 4):
        add_paper(categories=["cs.CL"], announced_on=dt.date(2026, 2, day))
    for day, upvotes, stars in ((1, 2, 4), (2, 5, 10), (4, 9, 30)):
        MetricSnapshot.objects.create(paper=paper, taken_on=dt.date(2026, 3, day), upvotes=upvotes, github_stars=stars)
    page.goto("/category/cs.CL/")
    expect(page.locator("svg.chart.bars rect.bar")).to_have_count(4)
    assert page.locator("svg.chart.bars").bounding_box()["height"] > 20
    shot("category-chart")
    page.goto(f"/paper/{paper.arxiv_id}/")
    expect(page.locator("svg.chart.line")).to_have_count(2)
    expect(page.locator("svg.chart.line circle.dot")).to_have_count(6)
    box = page.locator("pre.bibtex")
    fits = box.evaluate("b => b.scrollWidth <= b.clientWidth || getComputedStyle(b).overflowX === 'auto'")
    assert fits and page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot("paper-charts")
    page.expected_missing.add(f"{page.url.split('/paper/')[0]}/paper/2603.99999/")
    response = page.goto("/paper/2603.99999/")
    assert response.status == 404
    expect(page.locator("header.site .brand")).to_be_visible()
    expect(page.locator("h1")).to_have_text("Not found")
    shot("404")
