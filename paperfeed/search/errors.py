"""Why a search cannot run, as types: callers tell the cases apart by class, never by message text."""

from __future__ import annotations


class SearchError(ValueError):
    """A search that cannot run; the message says why, in words for the user."""


class QueryError(SearchError):
    """The query cannot be understood (a filter's value, an unknown category); the message names the part."""


class IndexMissing(SearchError):
    """No search index has been built on this node yet."""

    def __init__(self, message: str = "the search index is not built yet: run `paperfeed index`") -> None:
        super().__init__(message)


class UnknownPaper(SearchError):
    """Similar papers were asked for a paper that is not in the store."""
