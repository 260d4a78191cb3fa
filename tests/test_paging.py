"""Paged listings (lib/paging.py, feed/_pages.html): a pager above the cards and below them, and
a page that is not there answered 404 with the site's page, how many pages there are and a link
to the last one, never another page in its place and never a 500."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperfeed.lib.paging import PageNotFound, page_number
from paperfeed.papers.models import Submission
from paperfeed.search.indexing import index_papers
from tests.personas import add_paper, make_user

pytestmark = pytest.mark.django_db

DAY = "/day/2026-03-02/"  # 200 real papers shown: 4 pages of 50
NOT_NUMBERS = ["0", "-1", "abc", "10**30", "1" * 40, "2.0", "1e3", " 2", "\uff12", "\x00", "%"]


@pytest.fixture
def listings(real_day: object, data_dir: object) -> dict[str, int]:
    """Each paged listing with how many pages it has on the real day of 2 March 2026."""
    index_papers(embed=False)
    user = make_user("dora")
    Submission.objects.create(paper=real_day[0], user=user, submitted_at=timezone.now())  # type: ignore[index]
    biggest = Counter(c for paper in real_day for c in paper.categories).most_common(1)[0][0]  # type: ignore[attr-defined]
    urls = ["/", DAY, "/week/2026-W10/", "/month/2026-03/", f"/category/{biggest}/", "/search/?q=learning&mode=keyword"]
    client = Client()
    counts = {url: pages_of(client, url) for url in urls}
    assert counts[DAY] == 4 and counts[urls[4]] > 1 and counts[urls[-1]] > 2
    author = real_day[0].authors[0]  # type: ignore[index]
    return counts | {f"/author/{author}/": pages_of(client, f"/author/{author}/"), "/submitted/": 1}


def pages_of(client: Client, url: str) -> int:
    html = client.get(url).content.decode()
    found = re.search(r"Page 1 of (\d+)", html)
    return int(found.group(1)) if found else 1


def with_page(url: str, value: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}page={value}"


def test_a_page_past_the_end_or_no_number_is_a_404_that_links_the_last_page(client: Client, listings) -> None:  # type: ignore[no-untyped-def]
    for url, pages in listings.items():
        for value in [*NOT_NUMBERS, "99", "9999", str(pages + 1)]:
            response = client.get(with_page(url, value))
            html = response.content.decode()
            assert response.status_code == 404, (url, value, response.status_code)
            assert "<h1>Not found</h1>" in html, (url, value)
            assert f"This listing has {pages} page{'s' if pages > 1 else ''}" in html, (url, value)
            last = re.search(r'<a href="([^"]+)" rel="last">', html)
            assert last, (url, value)
            target = client.get(url.split("?")[0] + last.group(1).replace("&amp;", "&"))
            assert target.status_code == 200
            assert f"Page {pages} of {pages}" in target.content.decode() or pages == 1  # one page: no pager


def test_the_last_page_link_keeps_the_search(client: Client, listings) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/search/", {"q": "learning", "mode": "keyword", "page": "999"}).content.decode()
    last = re.search(r'<a href="([^"]+)" rel="last">', html)
    assert last and last.group(1).startswith("?q=learning&amp;mode=keyword&amp;page=")


def test_a_pager_sits_above_the_cards_and_below_them(client: Client, listings) -> None:  # type: ignore[no-untyped-def]
    for url in [url for url, pages in listings.items() if pages > 1]:
        html = client.get(with_page(url, "2")).content.decode()
        top, bottom = html.find('<nav class="pages top"'), html.find('<nav class="pages bottom"')
        cards = [match.start() for match in re.finditer("<article ", html)]
        assert 0 < top < cards[0] and cards[-1] < bottom, url
        assert html.count("Page 2 of") == 2, url


def test_pager_links_keep_the_query_and_name_the_page_once(client: Client, listings) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/search/", {"q": "learning", "mode": "keyword", "page": "2"}).content.decode()
    links = re.findall(r'<nav class="pages bottom".*?</nav>', html, re.DOTALL)[0]
    assert 'href="?q=learning&amp;mode=keyword&amp;page=1"' in links
    assert 'href="?q=learning&amp;mode=keyword&amp;page=3"' in links


def test_no_page_or_an_empty_one_is_the_first(client: Client, listings) -> None:  # type: ignore[no-untyped-def]
    for url in (DAY, with_page(DAY, ""), with_page(DAY, "1"), with_page(DAY, "01")):
        response = client.get(url)
        assert response.status_code == 200 and "Page 1 of 4" in response.content.decode(), url


def test_an_empty_search_has_one_page_and_page_two_is_not_found(client: Client, listings) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/search/", {"q": "zzzqqqxxy", "mode": "keyword"}).status_code == 200
    response = client.get("/search/", {"q": "zzzqqqxxy", "mode": "keyword", "page": "2"})
    assert response.status_code == 404 and "This listing has 1 page:" in response.content.decode()


def test_an_unknown_address_gets_the_site_404_page_without_a_pager_note(client: Client) -> None:
    html = client.get("/no/such/place/").content.decode()
    assert "<h1>Not found</h1>" in html and "This listing has" not in html and "Resolver404" not in html


@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_page_number_takes_only_a_whole_number_from_one(value: str) -> None:
    assert page_number(value) is None
    assert (page_number(None), page_number(""), page_number("3"), page_number(7)) == (1, 1, 3, 7)
    assert isinstance(PageNotFound(value, 3), Exception) and "the pages are 1 to 3" in str(PageNotFound(value, 3))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.text(max_size=40))
def test_no_page_value_is_a_server_error(client: Client, value: str) -> None:
    add_paper()
    assert client.get("/", {"page": value}).status_code in (200, 404)
    assert client.get("/category/cs.LG/", {"page": value}).status_code in (200, 404)


def test_the_page_asked_for_is_shown_escaped(client: Client) -> None:
    add_paper()
    html = client.get("/", {"page": '"><script>alert(1)</script>', "q": "<b>"}).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert 'href="?page=1&amp;q=%3Cb%3E"' in html  # the rest of the query kept, encoded
