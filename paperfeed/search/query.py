"""The search query language, parsed into a ParsedQuery; pure, no Django, no index.

    graph "neural network" -transformer author:lecun cat:cs.LG year:2026
    date:2026-03-01..2026-03-31 has:code

Bare words are scored terms; quoted phrases must appear; ``-word`` and ``-"a phrase"``
exclude; ``author:`` must match an author's name; ``cat:``, ``year:``, ``date:`` and
``has:code`` are filters that every search mode honours. An unknown ``name:value`` is
searched as plain words.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

_TOKEN = re.compile(r'(?P<neg>-)?(?:(?P<key>[A-Za-z]+):)?(?:"(?P<quoted>[^"]*)"?|(?P<bare>[^\s"]+))')
_CATEGORY = re.compile(r"^[A-Za-z-]+(\.[A-Za-z-]+)?$")
_DAY = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class QueryError(ValueError):
    """A filter's value cannot be understood; the message names it."""


@dataclass(frozen=True)
class Filters:
    """Filters every mode applies: any of ``categories``, the day range (inclusive), code."""

    categories: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    has_code: bool | None = None

    def __bool__(self) -> bool:
        return (
            bool(self.categories) or self.date_from is not None or self.date_to is not None or self.has_code is not None
        )


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    filters: Filters = field(default_factory=Filters)

    @property
    def text(self) -> str:
        """The words to search by meaning: terms and phrases, in order of kind."""
        return " ".join((*self.phrases, *self.terms))

    @property
    def has_constraints(self) -> bool:
        """Whether anything beyond the filters restricts which papers match."""
        return bool(self.phrases or self.excluded or self.authors)


def parse_query(query: str) -> ParsedQuery:
    parts: dict[str, list[str]] = {"terms": [], "phrases": [], "excluded": [], "authors": []}
    filters: dict[str, object] = {"categories": []}
    for match in _TOKEN.finditer(query):
        negated, key = bool(match["neg"]), (match["key"] or "").lower()
        quoted = match["quoted"] is not None
        value = (match["quoted"] if quoted else match["bare"] or "").strip()
        if value:
            _add(parts, filters, key, value, quoted=quoted, negated=negated)
    filters["categories"] = tuple(dict.fromkeys(filters["categories"]))  # type: ignore[call-overload]
    return ParsedQuery(**{name: tuple(values) for name, values in parts.items()}, filters=Filters(**filters))  # type: ignore[arg-type]


def _add(
    parts: dict[str, list[str]], filters: dict[str, object], key: str, value: str, *, quoted: bool, negated: bool
) -> None:
    if key == "author":
        parts["authors"].append(value)
    elif key == "cat":
        filters["categories"].append(parse_category(value))  # type: ignore[attr-defined]
    elif key in {"year", "date"}:
        filters["date_from"], filters["date_to"] = parse_day_range(value)
    elif key == "has" and value.lower() == "code":
        filters["has_code"] = not negated
    else:
        words = f"{key}:{value}" if key and not quoted else value
        target = "excluded" if negated else "phrases" if quoted else "terms"
        parts[target].append(words)


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
    return (_first_day(start) if start else None), (_last_day(end) if end else None)


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
