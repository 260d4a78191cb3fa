"""Atom feeds (Django's syndication framework): the latest day, trending, a category, a saved search."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.syndication.views import Feed
from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpRequest
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator

from paperfeed.feed import trending
from paperfeed.feed.listings import category_papers, period_listing
from paperfeed.feed.searching import SearchUnavailable, find_papers
from paperfeed.papers.models import Paper

FEED_SIZE = 100


class PaperFeed(Feed):  # type: ignore[type-arg]
    feed_type = Atom1Feed

    def item_title(self, item: Paper) -> str:
        return item.title

    def item_description(self, item: Paper) -> str:
        return Truncator(item.abstract).words(120)

    def item_link(self, item: Paper) -> str:
        return f"/paper/{item.arxiv_id}/"

    def item_guid(self, item: Paper) -> str:
        return item.abs_url

    def item_author_name(self, item: Paper) -> str:
        return ", ".join(item.authors[:10]) + (" et al." if len(item.authors) > 10 else "")

    def item_updateddate(self, item: Paper) -> dt.datetime:
        return item.updated or item.published or item.changed_at

    def item_pubdate(self, item: Paper) -> dt.datetime | None:
        return item.published

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
        return category

    def title(self, obj: str) -> str:
        return f"paperfeed: {obj}"

    def link(self, obj: str) -> str:
        return f"/category/{obj}/"

    def items(self, obj: str) -> list[Paper]:
        return list(category_papers(obj)[:FEED_SIZE])


class SearchFeed(PaperFeed):
    """A saved search: the query string is the subscription (``?q=...&mode=...``)."""

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> tuple[str, str]:
        query, mode = request.GET.get("q", "").strip(), request.GET.get("mode", "hybrid")
        if not query:
            raise ObjectDoesNotExist
        return query, mode

    def title(self, obj: tuple[str, str]) -> str:
        return f"paperfeed: search for {obj[0]}"

    def link(self, obj: tuple[str, str]) -> str:
        from urllib.parse import urlencode

        return "/search/?" + urlencode({"q": obj[0], "mode": obj[1]})

    def items(self, obj: tuple[str, str]) -> list[Paper]:
        try:
            found = find_papers(obj[0], obj[1], limit=FEED_SIZE)
        except (ValueError, SearchUnavailable):
            raise ObjectDoesNotExist from None
        return [item.paper for item in found.found]
