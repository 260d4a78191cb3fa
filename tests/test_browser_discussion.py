"""The discussion under a paper in real Chromium, at phone and desktop width, without a line of
script of its own: posting, replying (and replying to a reply), editing and deleting.

Uses the browser, page and screenshot fixtures of tests/test_browser_site.py; screenshots go to
test-artifacts/browser/.
"""

from __future__ import annotations

import re

import pytest

from tests import test_browser_site
from tests.personas import PASSWORD, add_paper, make_user

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

# The browser, page and screenshot fixtures (one Chromium for this module, each test at both sizes).
browser, page, shot = test_browser_site.browser, test_browser_site.page, test_browser_site.shot
pytestmark = test_browser_site.pytestmark


def log_in(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_posting_replying_editing_and_deleting_comments(page, shot, transactional_db: None) -> None:  # type: ignore[no-untyped-def]
    paper = add_paper(title="Sparse attention, revisited")
    make_user("dora"), make_user("eli")
    log_in(page, "dora")
    page.goto(f"/paper/{paper.arxiv_id}/")
    expect(page.get_by_role("heading", name="Discussion")).to_be_visible()
    page.get_by_label("Add a comment").fill("Is $O(n \\log n)$ tight? Code: https://example.org/code.")
    page.get_by_role("button", name="Post comment").click()
    expect(page).to_have_url(re.compile(r"#comment-\d+$"))
    top = page.locator("ol.comments > li > article.comment").first
    expect(top.locator(".text math")).to_have_count(1)
    link = top.locator(".text a")
    expect(link).to_have_attribute("href", "https://example.org/code")
    expect(link).to_have_attribute("rel", "nofollow ugc noopener")
    shot("posted")

    log_in(page, "eli")
    page.goto(f"/paper/{paper.arxiv_id}/#comments")
    top.locator("summary", has_text="Reply").click()
    page.get_by_label("Reply to dora").fill("It is, up to constants.")
    page.get_by_role("button", name="Post reply").click()
    replies = page.locator("ol.replies > li > article.comment")
    expect(replies).to_have_count(1)
    expect(replies.first).to_contain_text("It is, up to constants.")
    shot("replied")

    log_in(page, "dora")
    page.goto(f"/paper/{paper.arxiv_id}/")
    replies.first.locator("summary", has_text="Reply").click()
    page.get_by_label("Reply to eli").fill("Thanks!")
    page.get_by_role("button", name="Post reply").click()
    expect(replies).to_have_count(2)  # a reply to a reply joins the same thread, one level deep
    expect(page.locator("ol.replies")).to_have_count(1)
    mine = replies.nth(1)
    mine.locator("summary", has_text="Edit").click()
    mine.get_by_label("Your comment").fill("Thanks, that settles it.")
    mine.get_by_role("button", name="Save").click()
    expect(replies.nth(1)).to_contain_text("Thanks, that settles it.")
    expect(replies.nth(1)).to_contain_text("edited")
    top.locator("summary", has_text="Delete").first.click()
    top.get_by_role("button", name="Delete this comment").click()
    expect(page.locator("ol.comments > li > article.comment").first).to_have_text("[deleted]")
    expect(replies).to_have_count(2)
    shot("thread")
    box = page.locator("section.discussion").bounding_box()
    width = page.viewport_size["width"]
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= width  # nothing pushes the page sideways


def test_readers_see_the_discussion_and_a_hostile_comment_stays_inert(page, shot, transactional_db: None) -> None:  # type: ignore[no-untyped-def]
    paper = add_paper(title="A paper people argue about")
    make_user("mallory")
    log_in(page, "mallory")
    page.goto(f"/paper/{paper.arxiv_id}/")
    hostile = "<img src=x onerror=alert(1)> <script>alert(2)</script> javascript:alert(3) " + "x" * 300
    page.get_by_label("Add a comment").fill(hostile)
    page.get_by_role("button", name="Post comment").click()
    page.get_by_role("button", name="Log out").click()
    page.goto(f"/paper/{paper.arxiv_id}/")
    section = page.locator("section.discussion")
    expect(section.locator("article.comment")).to_have_count(1)
    expect(section).to_contain_text("<script>alert(2)</script>")
    assert section.locator("img, script, a[href^='javascript']").count() == 0
    expect(section.get_by_role("link", name="Log in")).to_be_visible()
    expect(section.locator("textarea")).to_have_count(0)
    box = section.bounding_box()
    assert box and box["x"] + box["width"] <= page.viewport_size["width"]  # a long word wraps
    section.scroll_into_view_if_needed()
    shot("reader")  # an alert() would have opened a dialog, which the page fixture counts as an error
