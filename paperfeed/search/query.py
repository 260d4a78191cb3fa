"""The search query language, parsed into a ParsedQuery; pure, no Django, no index.

    graph "neural network" -transformer author:lecun cat:cs.LG year:2026
    date:2026-03-01..2026-03-31 has:code

Bare words are scored terms; quoted phrases must appear; ``author:`` must match an author's
name; ``cat:``, ``year:``, ``date:`` and ``has:code`` are filters that every search mode
honours. A leading ``-`` negates anything: ``-word``, ``-"a phrase"``, ``-author:lecun``,
``-cat:cs.CV``, ``-year:2025``, ``-has:code``. An unknown ``name:value`` is searched as plain
words.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field, replace

from paperfeed.search.errors import QueryError

_TOKEN = re.compile(r'(?P<neg>-)?(?:(?P<key>[A-Za-z]+):)?(?:"(?P<quoted>[^"]*)"?|(?P<bare>[^\s"]+))')
_CATEGORY = re.compile(r"^[A-Za-z-]+(\.[A-Za-z-]+)?$")
_DAY = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")
# The days a filter may name: wider than arXiv's (1991 on), inside what the indexes can hold.
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2199, 12, 31)


DayRange = tuple[dt.date | None, dt.date | None]  # inclusive; None leaves that end open


@dataclass(frozen=True)
class Filters:
    """Filters every mode applies: any of ``categories`` and none of ``excluded_categories``, the
    day range (inclusive) and none of ``excluded_days``, with or without code."""

    categories: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    has_code: bool | None = None
    excluded_categories: tuple[str, ...] = ()
    excluded_days: tuple[DayRange, ...] = ()

    def __bool__(self) -> bool:
        return bool(
            self.categories
            or self.date_from is not None
            or self.date_to is not None
            or self.has_code is not None
            or self.excluded_categories
            or self.excluded_days
        )

    def overridden_by(self, other: Filters) -> Filters:
        """These filters with each one that ``other`` sets replaced by ``other``'s (exclusions added)."""
        return Filters(
            categories=other.categories or self.categories,
            date_from=other.date_from if other.date_from or other.date_to else self.date_from,
            date_to=other.date_to if other.date_from or other.date_to else self.date_to,
            has_code=other.has_code if other.has_code is not None else self.has_code,
            excluded_categories=tuple(dict.fromkeys(self.excluded_categories + other.excluded_categories)),
            excluded_days=self.excluded_days + other.excluded_days,
        )


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    excluded_authors: tuple[str, ...] = ()
    filters: Filters = field(default_factory=Filters)

    @property
    def text(self) -> str:
        """The words to search by meaning: terms and phrases, in order of kind."""
        return " ".join((*self.phrases, *self.terms))

    @property
    def has_constraints(self) -> bool:
        """Whether anything beyond the filters restricts which papers match."""
        return bool(self.phrases or self.excluded or self.authors or self.excluded_authors)

    def with_filters(self, filters: Filters) -> ParsedQuery:
        """This query with ``filters`` in place of the same filters of its text."""
        return replace(self, filters=self.filters.overridden_by(filters))


def parse_query(query: str) -> ParsedQuery:
    parts: dict[str, list[str]] = {"terms": [], "phrases": [], "excluded": [], "authors": [], "excluded_authors": []}
    filters: dict[str, list[object]] = {"categories": [], "excluded_categories": [], "days": [], "excluded_days": []}
    has_code: bool | None = None
    for match in _TOKEN.finditer(query):
        negated, key = bool(match["neg"]), (match["key"] or "").lower()
        quoted = match["quoted"] is not None
        value = (match["quoted"] if quoted else match["bare"] or "").strip()
        if not value:
            continue
        if key == "has":
            has_code = _has(value, negated)
        elif key in {"author", "cat", "year", "date"}:
            _add_operator(parts, filters, key, value, negated)
        else:
            words = f"{key}:{value}" if key and not quoted else value
            parts["excluded" if negated else "phrases" if quoted else "terms"].append(words)
    days: list[DayRange] = filters["days"]  # type: ignore[assignment]
    date_from, date_to = days[-1] if days else (None, None)
    return ParsedQuery(
        **{name: tuple(values) for name, values in parts.items()},
        filters=Filters(
            categories=tuple(dict.fromkeys(filters["categories"])),  # type: ignore[arg-type]
            excluded_categories=tuple(dict.fromkeys(filters["excluded_categories"])),  # type: ignore[arg-type]
            date_from=date_from,
            date_to=date_to,
            has_code=has_code,
            excluded_days=tuple(filters["excluded_days"]),  # type: ignore[arg-type]
        ),
    )


def _add_operator(
    parts: dict[str, list[str]], filters: dict[str, list[object]], key: str, value: str, negated: bool
) -> None:
    """``author:``, ``cat:``, ``year:`` or ``date:``, or with ``-`` before it the same left out."""
    if key == "author":
        parts["excluded_authors" if negated else "authors"].append(value)
    elif key == "cat":
        filters["excluded_categories" if negated else "categories"].append(parse_category(value))
    else:
        filters["excluded_days" if negated else "days"].append(parse_day_range(value))


def _has(value: str, negated: bool) -> bool:
    if value.lower() != "code":
        raise QueryError(f"has:{value}: the only has: filter is has:code (or -has:code)")
    return not negated


def parse_category(value: str) -> str:
    if not _CATEGORY.match(value):
        raise QueryError(f"cat:{value}: not an arXiv category such as cs.LG")
    archive, _, subject = value.partition(".")
    return f"{archive.lower()}.{subject.upper() if len(subject) == 2 else subject}" if subject else archive.lower()


def parse_day_range(value: str) -> tuple[dt.date | None, dt.date | None]:
    """``2026``, ``2026-03``, ``2026-03-01``, or ``FROM..TO`` of those with either end open."""
    start, dots, end = value.partition("..")
    if not dots:
        return _first_day(value), _last_day(value)
    if not start and not end:
        raise QueryError(f"{value!r}: give a day on at least one side of ..")
    days = (_first_day(start) if start else None), (_last_day(end) if end else None)
    if days[0] and days[1] and days[0] > days[1]:
        raise QueryError(f"{value!r}: the range ends before it starts")
    return days


def check_days(filters: Filters) -> None:
    """QueryError for a filter day outside FIRST_DAY..LAST_DAY (from the text or from a form)."""
    named = [filters.date_from, filters.date_to, *(day for days in filters.excluded_days for day in days)]
    for day in named:
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            raise QueryError(f"{day.isoformat()}: dates from {FIRST_DAY.year} to {LAST_DAY.year} only")


def _split_day(value: str) -> tuple[int, int | None, int | None]:
    match = _DAY.match(value)
    if not match:
        raise QueryError(f"{value!r} is not a year, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(group) if group else None for group in match.groups())
    return year or 0, month, day


def _first_day(value: str) -> dt.date:
    year, month, day = _split_day(value)
    return _date(value, year, month or 1, day or 1)


def _last_day(value: str) -> dt.date:
    year, month, day = _split_day(value)
    month = month or 12
    if not 1 <= month <= 12:
        raise QueryError(f"{value!r}: no month {month}")
    return _date(value, year, month, day or calendar.monthrange(year, month)[1])


def _date(value: str, year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise QueryError(f"{value!r} is not a real date") from None
