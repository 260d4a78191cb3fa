"""Onboarding and the "For you" feed in real Chromium, at phone and desktop width, without a line of
script of its own: a new account marks papers relevant or not, searches for more, and gets a
personal feed from the first save.

Uses the browser, page and screenshot fixtures of tests/test_browser_site.py; screenshots go to
test-artifacts/browser/.
"""

from __future__ import annotations

import pytest

from paperfeed.search.indexing import index_papers
from tests import recs_support, test_browser_site
from tests.personas import PASSWORD

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

browser, page, shot = test_browser_site.browser, test_browser_site.page, test_browser_site.shot
corpus = recs_support.corpus  # the fixture

pytestmark = test_browser_site.pytestmark


def sign_up(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(f"{username}@example.org")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def mark(page, arxiv_id: str, relevant: bool) -> None:  # type: ignore[no-untyped-def]
    page.locator(f"article[id='{arxiv_id}'] button.thumb.{'up' if relevant else 'down'}").click()
    expect(page.locator(f"article[id='{arxiv_id}']")).to_have_count(0)  # back on the page, not offered again


def test_a_new_account_marks_papers_and_gets_a_personal_feed(
    page, shot, corpus, data_dir, transactional_db: None
) -> None:  # type: ignore[no-untyped-def]
    index_papers(embed=False)
    sign_up(page, "dora")
    page.get_by_role("link", name="Library").click()
    page.get_by_role("link", name="Papers for you").click()
    expect(page.get_by_role("heading", name="Start your feed")).to_be_visible()
    expect(page.locator("#progress")).to_contain_text("0 of 5 relevant · 0 of 3 not for me")
    shot("start")
    mark(page, corpus["Keyword_Spotting"][0].arxiv_id, relevant=True)
    mark(page, corpus["Imitation_Learning"][0].arxiv_id, relevant=False)
    expect(page.locator("#progress")).to_contain_text("1 of 5 relevant · 1 of 3 not for me")
    page.get_by_label("Find papers you know").fill("medical image segmentation")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="Papers for “medical image segmentation”")).to_be_visible()
    first = page.locator("article").first.get_attribute("id")
    assert first in {p.arxiv_id for p in corpus["Medical_Image_Segmentation"]}
    mark(page, first, relevant=True)
    expect(page.locator("#progress")).to_contain_text("2 of 5 relevant · 1 of 3 not for me")
    shot("searched")
    page.get_by_role("link", name="See your feed").click()
    expect(page.get_by_role("heading", name="For you")).to_be_visible()
    expect(page.locator("article .why").first).to_contain_text("Because you saved")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot("feed")
    top = page.locator("article").first.get_attribute("id")
    page.locator("article").first.locator("button.thumb.down").click()
    expect(page.locator(f"article[id='{top}']")).to_have_count(0)
    page.get_by_role("link", name="Last month").click()
    expect(page.locator("nav.windows strong")).to_have_text("Last month")
    shot("month")
