"""What a digest email shows: its papers read in one query, and the days they come from.

Whatever section a paper came from (followed categories, a saved search, trending,
recommendations), the email reads every paper it shows with one query: the fields in
``LISTED_FIELDS``, then their community votes (``paperfeed.papers.votes``) with a second. The
same context serves the sent email, a retry of it, the preview page and ``digest preview``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from paperfeed.digests.compose import LISTED_FIELDS, Item, Section
from paperfeed.digests.windows import Window
from paperfeed.papers.models import Paper
from paperfeed.papers.visible import visible_papers
from paperfeed.papers.votes import vote_counts

# (section title, [(paper id, reason)]): the layout a Delivery records
Layout = Sequence[tuple[str, Sequence[tuple[int, str]]]]


def listed_papers(ids: Iterable[int]) -> dict[int, Paper]:
    """The papers an email shows, by id, with ``community_votes``: two queries however many.

    The votes are counted by a query of their own: as an annotation (a subquery a paper) they
    cost more than a second query does (a profile of bench/digests.py).
    """
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return {}
    papers = visible_papers().only(*LISTED_FIELDS).in_bulk(wanted)  # hidden since: left out
    votes = vote_counts(list(papers))
    for pk, paper in papers.items():
        paper.community_votes = votes[pk]  # type: ignore[attr-defined]  # what with_votes would annotate
    return papers


def layout_of(sections: Iterable[Section]) -> list[tuple[str, list[tuple[int, str]]]]:
    return [(s.title, [(item.paper.pk, item.reason) for item in s.items]) for s in sections]


def shown_sections(layout: Layout) -> list[Section]:
    """The sections of ``layout`` with their papers read afresh (papers since deleted are left out)."""
    papers = listed_papers(pk for _, items in layout for pk, _ in items)
    sections = [Section(title, [Item(papers[pk], why) for pk, why in items if pk in papers]) for title, items in layout]
    return [section for section in sections if section.items]


DASH = "\N{EN DASH}"


def days_label(first: dt.date, last: dt.date) -> str:
    """``2 Jul 2026``, ``1 - 2 Jul 2026``, ``28 Jun - 2 Jul 2026`` or ``30 Dec 2025 - 2 Jan 2026`` (an en dash)."""
    end = f"{last.day} {last:%b %Y}"
    if first == last:
        return end
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day} {DASH} {end}"
    if first.year == last.year:
        return f"{first.day} {first:%b} {DASH} {end}"
    return f"{first.day} {first:%b %Y} {DASH} {end}"


def days_covered(sections: Iterable[Section], window: Window) -> str:
    """The days the digest's papers were announced on; the composed window when it has none."""
    days = [day for section in sections for item in section.items if (day := item.paper.day) is not None]
    if not days:
        return days_label(window.first_day, window.last_day)
    return days_label(min(days), max(days))


def email_context(sections: list[Section], window: Window) -> dict[str, object]:
    """The digest templates' context (besides the links email.build adds)."""
    return {"sections": sections, "count": sum(len(s.items) for s in sections), "days": days_covered(sections, window)}
