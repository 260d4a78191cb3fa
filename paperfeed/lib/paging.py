"""Pages of a listing: the ``page`` parameter read strictly, and a page that is not there a 404.

A listing never answers a page it does not have with another one: ``?page=99`` of three pages,
``page=0``, ``page=-1``, ``page=abc`` or ``page=10**30`` raise ``PageNotFound``, an Http404
that knows how many pages there are, so the 404 page can say so and link the last one.
"""

from __future__ import annotations

from typing import TypeVar

from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest

T = TypeVar("T")
MOST_DIGITS = 9  # no listing has a billion pages; a longer number is past the end unread


class PageNotFound(Http404):
    def __init__(self, asked: object, pages: int) -> None:
        self.asked, self.pages = str(asked), pages
        super().__init__(f"no page {self.asked[:20]!r} here: the pages are 1 to {pages}")


def page_number(raw: int | str | None) -> int | None:
    """The page asked for: 1 when none is; None unless ``raw`` is a whole number from 1 up."""
    if raw is None or raw == "":
        return 1
    text = str(raw)
    if not text.isascii() or not text.isdigit() or len(text) > MOST_DIGITS or int(text) < 1:
        return None
    return int(text)


def page_of(paginator: Paginator[T], raw: int | str | None) -> Page[T]:
    """Page ``raw`` of ``paginator``; PageNotFound when it has no such page."""
    number = page_number(raw)
    if number is None or number > paginator.num_pages:
        raise PageNotFound(raw, paginator.num_pages)
    return paginator.page(number)


def page_url(request: HttpRequest, number: int) -> str:
    """``?page=number`` with the rest of this address's query kept (relative: the same path)."""
    query = request.GET.copy()
    query["page"] = str(number)
    return f"?{query.urlencode()}"
