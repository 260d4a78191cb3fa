"""Atom feeds (Django's syndication framework): the latest day, trending, a category, a saved search."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib.syndication.views import Feed
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.text import Truncator

from paperfeed.feed import trending
from paperfeed.feed.listings import category_papers, in_category, period_listing
from paperfeed.lib.xmltext import xml_safe
from paperfeed.papers.models import Paper
from paperfeed.search.errors import IndexMissing, QueryError, SearchError
from paperfeed.search.forms import SearchForm
from paperfeed.search.results import find_papers

FEED_SIZE = 100
# Authors named one by one in an entry; a longer list ends in one more author, "et al.".
FEED_AUTHORS = 20


class PaperAtomFeed(Atom1Feed):
    """Atom with one ``<author>`` per name (Django's Atom1Feed writes at most one), from ``author_names``."""

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        for name in item["author_names"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.endElement("author")


def feed_authors(authors: list[str]) -> list[str]:
    """The names an entry lists: the first FEED_AUTHORS, then "et al." when there are more."""
    names = [xml_safe(name) for name in authors[:FEED_AUTHORS]]
    return [*names, "et al."] if len(authors) > FEED_AUTHORS else names


def first_published(paper: Paper) -> dt.datetime | None:
    """When the paper's first version appeared; else the start (UTC) of the day arXiv listed it."""
    if paper.published is not None:
        return paper.published
    day = paper.day
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC) if day else None


class PaperFeed(Feed):  # type: ignore[type-arg]
    feed_type = PaperAtomFeed

    def item_title(self, item: Paper) -> str:
        return xml_safe(item.title)  # rows stored before the store's edge cleaned text

    def item_description(self, item: Paper) -> str:
        # Atom1Feed sends this as <summary type="html">: escaped, an abstract's markup reaches
        # feed readers as text, never as live HTML; xml_safe keeps rows stored before records
        # dropped XML's forbidden characters from failing the whole feed.
        return escape(xml_safe(Truncator(item.abstract).words(120)))

    def item_link(self, item: Paper) -> str:
        return f"/paper/{item.arxiv_id}/"

    def item_guid(self, item: Paper) -> str:
        return item.abs_url

    def item_extra_kwargs(self, item: Paper) -> dict[str, Any]:
        return {"author_names": feed_authors(item.authors)}  # written by PaperAtomFeed, one <author> each

    def item_updateddate(self, item: Paper) -> dt.datetime:
        """The latest version's date, else the first's; a paper with neither: when it was stored."""
        return item.updated or first_published(item) or item.changed_at

    def item_pubdate(self, item: Paper) -> dt.datetime | None:
        return first_published(item)

    def item_categories(self, item: Paper) -> list[str]:
        return list(item.categories)


class DailyFeed(PaperFeed):
    title = "paperfeed: the latest day"
    link = "/"
    subtitle = "Papers announced on the latest arXiv day"

    def items(self) -> list[Paper]:
        return period_listing("day").papers


class TrendingFeed(PaperFeed):
    link = "/trending/"

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        try:
            return trending.parse_window(request.GET.get("window", "week"))
        except ValueError:
            raise ObjectDoesNotExist from None

    def title(self, obj: str) -> str:
        return f"paperfeed: trending this {obj}"

    def items(self, obj: str) -> list[Paper]:
        return [entry.paper for entry in trending.rank_trending(obj, limit=FEED_SIZE).entries]


class CategoryFeed(PaperFeed):
    def get_object(self, request: HttpRequest, category: str) -> str:
        if not in_category(category).exists():
            raise ObjectDoesNotExist(f"no papers in {category}")
        return category

    def title(self, obj: str) -> str:
        return f"paperfeed: {obj}"

    def link(self, obj: str) -> str:
        return f"/category/{obj}/"

    def items(self, obj: str) -> list[Paper]:
        return list(category_papers(obj)[:FEED_SIZE])


class SearchFeed(PaperFeed):
    """A saved search: the search page's query string is the subscription (``?q=...&mode=...``
    and the page's filters: ``category``, ``date_from``, ``date_to``, ``has_code``).

    A query the search cannot read answers 400 with the reason; no index yet answers 404.
    """

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().__call__(request, *args, **kwargs)
        except SearchError as error:
            return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> SearchForm:
        form = SearchForm(request.GET)
        if not form.is_valid():
            raise QueryError(form.problems())
        if form.is_empty():
            raise ObjectDoesNotExist
        if any(not char.isprintable() for char in form.query()):
            raise QueryError("q: control characters cannot be searched")
        return form

    def title(self, obj: SearchForm) -> str:
        return f"paperfeed: search for {obj.query()}"

    def link(self, obj: SearchForm) -> str:
        return "/search/?" + urlencode({k: v for k, v in obj.cleaned_data.items() if v not in (None, "", False)})

    def items(self, obj: SearchForm) -> list[Paper]:
        try:
            found = find_papers(obj.query(), obj.cleaned_data["mode"] or "hybrid", FEED_SIZE, 0, obj.filters())
        except IndexMissing as error:
            raise Http404(str(error)) from None
        return [item.paper for item in found.found]
