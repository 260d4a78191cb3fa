"""What goes into one digest: sections of papers new in the period, none already received.

Each kind of section is a plain function in ``SECTIONS`` from (subscription, window, most
papers wanted, ids to leave out) to sections of papers, each with an optional reason.
``compose_digest`` runs the ones the subscription asked for, drops papers the subscriber
already received or saved and papers matching an excluded keyword, keeps each paper in the
first section that has it, and stops at PAPERFEED_DIGEST_MAX_PAPERS.
"""

from __future__ import annotations

import datetime as dt
import textwrap
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from paperfeed.digests import links, sources
from paperfeed.digests.forms import SAVED_SEARCHES_RUN
from paperfeed.digests.models import DeliveredPaper, Subscription
from paperfeed.digests.windows import Window, ids_with_words, paper_tokens, window_index
from paperfeed.papers.models import DAY_FIELDS, Paper
from paperfeed.papers.store import author_key
from paperfeed.recs.service import recommend

AUTHORS_SHOWN = 6
ABSTRACT_SHOWN = 300  # characters of the abstract an email shows, cut at a word
CODE_LINKS_SHOWN = 3
EXCLUDED_MARGIN = 5  # recommendations beyond the digest's room, for those an excluded keyword drops


@dataclass
class Item:
    """A paper in a digest; its lines are worked out once, as both templates read them (some twice).

    Its blocks in the emails (``html_block``, ``text_block``: all but the reason) are rendered
    once per process for every reader who gets the paper, keyed by everything they show.
    """

    paper: Paper
    reason: str = ""

    @property
    def shown(self) -> tuple[object, ...]:
        """What the paper's blocks show (blocks with the same ``shown`` are the same): the lines,
        not the whole abstract and author list, so a kept block's key stays small."""
        p = self.paper
        return (self.url, p.arxiv_id, p.abs_url, p.title, self.authors_line, self.abstract_start,
                tuple(self.code_urls), self.counts_line)  # fmt: skip

    @property
    def html_block(self) -> str:
        return _block("html", self)

    @property
    def text_block(self) -> str:
        return _block("txt", self)

    @property
    def url(self) -> str:
        return links.paper_url(self.paper.arxiv_id)

    @cached_property
    def authors_line(self) -> str:
        names = self.paper.authors
        return ", ".join(names[:AUTHORS_SHOWN]) + (", et al." if len(names) > AUTHORS_SHOWN else "")

    @cached_property
    def abstract_start(self) -> str:
        """The first ABSTRACT_SHOWN characters of the abstract, cut at a word, with "…" if cut."""
        text = " ".join(self.paper.abstract.split())
        if len(text) <= ABSTRACT_SHOWN:
            return text
        cut = text[: ABSTRACT_SHOWN + 1].rsplit(" ", 1)[0] or text[:ABSTRACT_SHOWN]
        return cut.rstrip(",;:.") + "…"

    @cached_property
    def abstract_lines(self) -> list[str]:
        """``abstract_start`` wrapped for the plain-text email."""
        return textwrap.wrap(self.abstract_start, 74)

    @cached_property
    def code_urls(self) -> list[str]:
        """The paper's code repositories (GitHub and the like): http(s) links only."""
        links = [str(link).strip() for link in self.paper.code_links]
        return [link for link in links if link.lower().startswith(("https://", "http://"))][:CODE_LINKS_SHOWN]

    @property
    def votes(self) -> int:
        """Hugging Face upvotes plus community votes (``community_votes`` is annotated by contents.py)."""
        return (self.paper.upvotes or 0) + int(getattr(self.paper, "community_votes", 0) or 0)

    @cached_property
    def counts_line(self) -> str:
        """``12 upvotes · 340 GitHub stars``, or "" when neither is known."""
        parts = [f"{self.votes} upvote{'s' if self.votes != 1 else ''}"] if self.votes else []
        stars = self.paper.github_stars
        if stars:
            parts.append(f"{stars} GitHub star{'s' if stars != 1 else ''}")
        return " · ".join(parts)


# Blocks kept per process (a few KB each with their key): a batch's windows hold a few thousand papers.
BLOCKS_KEPT = 8192
_blocks: dict[tuple[str, tuple[object, ...]], str] = {}
_blocks_lock = threading.Lock()  # a web process's threads render previews at once


def _block(kind: str, item: Item) -> str:
    """``digests/email/_paper.<kind>`` of ``item``, rendered once for everything it shows."""
    key = (kind, item.shown)
    block = _blocks.get(key)
    if block is None:
        rendered = render_to_string(f"digests/email/_paper.{kind}", {"item": item})  # the HTML one autoescaped
        block = mark_safe(rendered.removesuffix("\n"))
        with _blocks_lock:
            while len(_blocks) >= BLOCKS_KEPT:
                _blocks.pop(next(iter(_blocks)))
            _blocks[key] = block
    return block


@dataclass
class Section:
    title: str
    items: list[Item] = field(default_factory=list)
    cap: int | None = None  # at most this many items kept


# (subscription, window, most papers wanted, ids never to include) -> sections
SectionBuilder = Callable[[Subscription, Window, int, set[int]], list[Section]]
# What the emails show (contents.py reads them in one query per digest)
LISTED_FIELDS = (
    "id", "arxiv_id", "title", "authors", "abstract", "code_links", "upvotes", "github_stars", *DAY_FIELDS,
)  # fmt: skip


def matching_section(subscription: Subscription, window: Window, limit: int, excluded: set[int]) -> list[Section]:
    """Papers in a followed category, by a followed author, or with a wanted keyword."""
    index = window_index(window.first_day, window.last_day)
    wanted = index.in_categories(subscription.categories)
    wanted |= index.by_authors(author_key(name) for name in subscription.authors)
    wanted |= index.with_words(subscription.include_keywords)
    wanted -= index.with_words(subscription.exclude_keywords) | excluded
    ids = [pk for pk in index.order if pk in wanted][:limit]
    papers = Paper.objects.only(*LISTED_FIELDS).in_bulk(ids)
    return [Section("New in what you follow", [Item(papers[pk]) for pk in ids if pk in papers])]


def trending_section(subscription: Subscription, window: Window, limit: int, excluded: set[int]) -> list[Section]:
    if not subscription.trending_count:
        return []
    count = subscription.trending_count
    return [Section("Trending", [Item(p) for p in sources.trending(window, count * 2 + 10)], cap=count)]


def saved_search_sections(subscription: Subscription, window: Window, limit: int, excluded: set[int]) -> list[Section]:
    return [
        Section(f"Saved search: {query}", [Item(p) for p in sources.saved_search(query, window, limit)])
        for query in subscription.saved_searches[:SAVED_SEARCHES_RUN]  # rows saved before the form's caps
    ]


def recommendation_section(subscription: Subscription, window: Window, limit: int, excluded: set[int]) -> list[Section]:
    if not subscription.recommendations or subscription.user is None:
        return []
    shared = window_index(window.first_day, window.last_day).order  # the window's papers, read once per process
    recs = recommend(subscription.user, limit=limit + EXCLUDED_MARGIN, candidate_ids=shared, exclude=excluded)
    return [Section("Recommended for you", [Item(r.paper, r.reason) for r in recs])]


SECTIONS: dict[str, SectionBuilder] = {
    "recommendations": recommendation_section,
    "matching": matching_section,
    "saved-searches": saved_search_sections,
    "trending": trending_section,
}


def excluded_ids(subscription: Subscription) -> set[int]:
    """Papers this subscriber already received, or saved in their library."""
    ids = set(DeliveredPaper.objects.filter(subscription=subscription).values_list("paper_id", flat=True))
    if subscription.user_id:
        ids |= sources.saved_paper_ids(subscription.user_id)
    return ids


def _with_excluded_words(items: list[Item], keywords: list[str], window: Window) -> set[int]:
    """Ids among ``items`` whose title or abstract has one of ``keywords`` as whole words.

    Papers of the window are looked up in its index (each keyword matched once per process);
    any other paper is read (one query).
    """
    if not keywords or not items:
        return set()
    index = window_index(window.first_day, window.last_day)
    ids = {item.paper.pk for item in items}
    found = index.with_words(keywords) & ids
    others = [pk for pk in ids if pk not in index.texts]
    if others:
        rows = Paper.objects.filter(pk__in=others).values_list("pk", "title", "abstract")
        found |= ids_with_words({pk: paper_tokens(title, abstract) for pk, title, abstract in rows}, keywords)
    return found


def compose_digest(subscription: Subscription, slot: dt.datetime) -> list[Section]:
    """The sections of the digest for the period ending at ``slot``, empty ones left out."""
    window = Window.ending_at(subscription, slot)
    limit = settings.DIGEST_MAX_PAPERS
    seen = excluded_ids(subscription)
    sections: list[Section] = []
    for build in SECTIONS.values():
        for section in build(subscription, window, limit, seen):
            kept: list[Item] = []
            unwanted = _with_excluded_words(section.items, subscription.exclude_keywords, window)
            for item in section.items:
                if item.paper.pk in seen or item.paper.pk in unwanted:
                    continue
                if section.cap is not None and len(kept) >= section.cap:
                    break
                seen.add(item.paper.pk)
                kept.append(item)
                limit -= 1
                if limit == 0:
                    break
            if kept:
                sections.append(Section(section.title, kept))
            if limit == 0:
                return sections
    return sections
