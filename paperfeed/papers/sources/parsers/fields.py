"""Turning the strings a source writes into PaperRecord fields, with the field named on failure."""

from __future__ import annotations

import datetime as dt

from paperfeed.lib.dates import parse_datetime
from paperfeed.papers.records import RecordError


def record_datetime(text: str, name: str) -> dt.datetime | None:
    """An aware UTC datetime, None for an empty value; RecordError naming the field otherwise."""
    if not text.strip():
        return None
    try:
        return parse_datetime(text)
    except ValueError as error:
        raise RecordError(f"{name}: {error}") from None


def unique(values: list[str]) -> list[str]:
    """The non-empty values in their first order, each once (categories, keywords)."""
    return list(dict.fromkeys(value for value in values if value))
