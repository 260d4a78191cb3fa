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
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("dialog", lambda dialog: self.errors.append(f"dialog opened: {dialog.message}"))


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
    voted = add_paper(title="A paper to upvote", upvotes=4)
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
        title="<script>alert(1)</script> Bounds of $O(n^2)$ <img src=x onerror=alert(2)>",
        abstract="We show $\\sum_i x_i^2 \\le 1$ and $\\href{javascript:alert(3)}{click}$ too.",
    )
    page.goto(f"/paper/{paper.arxiv_id}/")
    expect(page.locator("h1.title .katex").first).to_be_visible()
    expect(page.locator(".abstract .katex")).to_have_count(2)
    assert page.locator("a[href^='javascript']").count() == 0
    assert page.locator("main img").count() == 0
    expect(page.locator("h1.title")).to_contain_text("<script>alert(1)</script>")
    shot("math")  # an alert() would have opened a dialog, which the page fixture counts as an error
