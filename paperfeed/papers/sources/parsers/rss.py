"""arXiv's daily RSS 2.0 feeds (rss.arxiv.org/rss/<category>), the format in use since January 2024.

The channel's ``pubDate`` is the announcement day; every record gets it as ``announced_on``.
Each item says whether the paper is new, a cross-list, a replacement or a replaced cross-list
(``arxiv:announce_type``); its description is "arXiv:ID Announce Type: TYPE" then "Abstract: ...".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from xml.etree.ElementTree import Element

from paperfeed.lib.dates import parse_day
from paperfeed.papers.records import PaperRecord, RecordError, clean_abstract, clean_line, make_record
from paperfeed.papers.sources.errors import SourceFormatError
from paperfeed.papers.sources.parsers.fields import unique
from paperfeed.papers.sources.parsers.xmldoc import child_text, children, first_child, local_name, parse_xml, texts
from paperfeed.papers.texts import split_authors

ANNOUNCE_TYPES = ("new", "cross", "replace", "replace-cross")
_DESCRIPTION = re.compile(r"^\s*arXiv:\S+\s+Announce Type:\s*(?P<type>[\w-]+)\s*(?:Abstract:)?", re.IGNORECASE)


@dataclass
class RssPage:
    records: list[PaperRecord] = field(default_factory=list)
    announce_types: dict[str, str] = field(default_factory=dict)  # arXiv id -> one of ANNOUNCE_TYPES
    day: dt.date | None = None  # the announcement day the feed is for
    rejected: list[str] = field(default_factory=list)  # one reason per item that could not be read


def parse_rss(body: bytes) -> RssPage:
    channel = _channel(parse_xml(body, "arXiv RSS feed"))
    page = RssPage(day=_announcement_day(channel))
    for number, item in enumerate(children(channel, "item"), start=1):
        try:
            record, announce_type = _to_record(item, page.day)
        except RecordError as error:
            label = clean_line(child_text(item, "guid")) or clean_line(child_text(item, "link")) or f"item {number}"
            page.rejected.append(f"{label}: {error}")
            continue
        page.records.append(record)
        page.announce_types[record.arxiv_id] = announce_type
    return page


def _channel(root: Element) -> Element:
    channel = first_child(root, "channel") if local_name(root) == "rss" else None
    if channel is None:
        raise SourceFormatError(f"arXiv RSS feed: expected <rss> with a <channel>, got <{local_name(root)}>")
    return channel


def _announcement_day(channel: Element) -> dt.date | None:
    """The day of the channel's pubDate (else lastBuildDate), in the feed's own time zone."""
    for name in ("pubDate", "lastBuildDate"):
        text = clean_line(child_text(channel, name))
        if text:
            try:
                return parsedate_to_datetime(text).date()
            except (TypeError, ValueError, IndexError, OverflowError):
                return _iso_day(text)
    return None


def _iso_day(text: str) -> dt.date | None:
    try:
        return parse_day(text)
    except ValueError:
        return None


def _to_record(item: Element, day: dt.date | None) -> tuple[PaperRecord, str]:
    description = child_text(item, "description")
    announce_type = _announce_type(item, description)
    record = make_record(
        clean_line(child_text(item, "guid")) or clean_line(child_text(item, "link")),
        child_text(item, "title"),
        abstract=clean_abstract(_abstract(description)),
        authors=split_authors(child_text(item, "creator")),
        categories=unique([clean_line(category) for category in texts(item, "category")]),
        comment=clean_line(child_text(item, "comment")),
        journal_ref=clean_line(child_text(item, "journal_reference")),
        doi=clean_line(child_text(item, "DOI")),
        license=clean_line(child_text(item, "rights")),
        announced_on=day,
    )
    return record, announce_type


def _announce_type(item: Element, description: str) -> str:
    match = _DESCRIPTION.match(description)
    announce_type = clean_line(child_text(item, "announce_type")) or (match["type"] if match else "")
    if announce_type.lower() not in ANNOUNCE_TYPES:
        raise RecordError(f"unknown announce type {announce_type!r}" if announce_type else "no announce type")
    return announce_type.lower()


def _abstract(description: str) -> str:
    match = _DESCRIPTION.match(description)
    return description[match.end() :] if match else description
