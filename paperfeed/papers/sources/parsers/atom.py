"""The arXiv API's Atom feeds (export.arxiv.org/api/query), in the 2016 and the current format.

Each entry's id is its versioned abs URL. Categories list ``arxiv:primary_category`` first.
The API answers a bad query with a feed of one entry whose id is ``.../api/errors#...``:
that raises ArxivApiError.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from paperfeed.papers.records import PaperRecord, RecordError, clean_abstract, clean_line, make_record
from paperfeed.papers.sources.errors import ArxivApiError, SourceFormatError
from paperfeed.papers.sources.parsers.fields import record_datetime, unique
from paperfeed.papers.sources.parsers.xmldoc import (
    child_text,
    children,
    first_child,
    local_name,
    optional_int,
    parse_xml,
)

_DOI_URLS = ("http://dx.doi.org/", "https://dx.doi.org/", "http://doi.org/", "https://doi.org/")


@dataclass
class AtomPage:
    records: list[PaperRecord] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)  # one reason per entry that could not be read
    total_results: int | None = None  # opensearch:totalResults, over all pages
    start_index: int | None = None
    items_per_page: int | None = None


def parse_atom(body: bytes) -> AtomPage:
    feed = parse_xml(body, "arXiv API feed")
    if local_name(feed) != "feed":
        raise SourceFormatError(f"arXiv API feed: expected an Atom <feed>, got <{local_name(feed)}>")
    entries = list(children(feed, "entry"))
    _raise_api_error(entries)
    page = AtomPage(
        total_results=optional_int(child_text(feed, "totalResults")),
        start_index=optional_int(child_text(feed, "startIndex")),
        items_per_page=optional_int(child_text(feed, "itemsPerPage")),
    )
    for number, entry in enumerate(entries, start=1):
        try:
            page.records.append(_to_record(entry))
        except RecordError as error:
            page.rejected.append(f"{clean_line(child_text(entry, 'id')) or f'entry {number}'}: {error}")
    return page


def _raise_api_error(entries: list[Element]) -> None:
    for entry in entries:
        if "/api/errors" in child_text(entry, "id"):
            raise ArxivApiError(clean_line(child_text(entry, "summary")) or clean_line(child_text(entry, "id")))


def _to_record(entry: Element) -> PaperRecord:
    return make_record(
        clean_line(child_text(entry, "id")),
        child_text(entry, "title"),
        abstract=clean_abstract(child_text(entry, "summary")),
        authors=[name for name in (clean_line(child_text(a, "name")) for a in children(entry, "author")) if name],
        categories=_categories(entry),
        published=record_datetime(child_text(entry, "published"), "published"),
        updated=record_datetime(child_text(entry, "updated"), "updated"),
        comment=clean_line(child_text(entry, "comment")),
        journal_ref=clean_line(child_text(entry, "journal_ref")),
        doi=clean_line(child_text(entry, "doi")) or _doi_link(entry),
    )


def _categories(entry: Element) -> list[str]:
    primary = first_child(entry, "primary_category")
    terms = [primary.get("term", "")] if primary is not None else []
    terms += [category.get("term", "") for category in children(entry, "category")]
    return unique([clean_line(term) for term in terms])


def _doi_link(entry: Element) -> str:
    """The DOI from a ``<link title="doi">`` when the entry has no ``arxiv:doi``."""
    for link in children(entry, "link"):
        href = link.get("href", "")
        if link.get("title") == "doi" and href.startswith(_DOI_URLS):
            return clean_line(href.split(".org/", 1)[1])
    return ""
