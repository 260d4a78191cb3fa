"""arXiv's OAI-PMH responses (export.arxiv.org/oai2): ListRecords and GetRecord pages.

Three metadata formats are read: ``arXiv`` (authors split into keyname/forenames/suffix),
``arXivRaw`` (every version with its date, the author string as submitted) and ``oai_dc``
(Dublin Core: "Last, First" creators; only the archive, e.g. ``quant-ph`` or ``cs``, is known
from the header's setSpec, since dc:subject holds long names). An OAI-PMH ``<error>`` raises
OaiError. Recordings that kept only the ``<ListRecords>`` element are read as well.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from paperfeed.lib.arxiv_ids import InvalidArxivId, parse_arxiv_id
from paperfeed.papers.records import PaperRecord, RecordError, clean_abstract, clean_line, make_record
from paperfeed.papers.sources.errors import OaiError, SourceFormatError
from paperfeed.papers.sources.parsers.fields import record_datetime, unique
from paperfeed.papers.sources.parsers.xmldoc import (
    child_text,
    children,
    first_child,
    local_name,
    optional_int,
    parse_xml,
    text_of,
    texts,
)
from paperfeed.papers.texts import latex_to_text, split_authors


@dataclass
class OaiPage:
    records: list[PaperRecord] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)  # arXiv ids whose header has status="deleted"
    rejected: list[str] = field(default_factory=list)  # one reason per record that could not be read
    resumption_token: str | None = None  # None: this was the last page
    complete_list_size: int | None = None
    cursor: int | None = None


def parse_list_records(body: bytes) -> OaiPage:
    """One page of a ListRecords harvest."""
    return _parse(body, "ListRecords")


def parse_get_record(body: bytes) -> OaiPage:
    """A GetRecord answer: a page of (usually) one record and no resumption token."""
    return _parse(body, "GetRecord")


def _parse(body: bytes, verb: str) -> OaiPage:
    container = _container(parse_xml(body, f"OAI-PMH {verb}"), verb)
    page = OaiPage()
    for number, record in enumerate(children(container, "record"), start=1):
        _read_record(record, number, page)
    token = first_child(container, "resumptionToken")
    if token is not None:
        page.resumption_token = text_of(token).strip() or None
        page.complete_list_size = optional_int(token.get("completeListSize"))
        page.cursor = optional_int(token.get("cursor"))
    return page


def _container(root: Element, verb: str) -> Element:
    if local_name(root) == verb:
        return root
    if local_name(root) != "OAI-PMH":
        raise SourceFormatError(f"OAI-PMH {verb}: expected an <OAI-PMH> document, got <{local_name(root)}>")
    error = first_child(root, "error")
    if error is not None:
        raise OaiError(error.get("code") or "unknown", clean_line(text_of(error)))
    container = first_child(root, verb)
    if container is None:
        raise SourceFormatError(f"OAI-PMH {verb}: the response has no <{verb}> element")
    return container


def _read_record(record: Element, number: int, page: OaiPage) -> None:
    header = first_child(record, "header")
    identifier = clean_line(child_text(header, "identifier")) if header is not None else ""
    label = identifier or f"record {number}"
    try:
        if header is not None and header.get("status") == "deleted":
            page.deleted.append(parse_arxiv_id(identifier).base)
        else:
            page.records.append(_to_record(record, header))
    except (RecordError, InvalidArxivId) as error:
        page.rejected.append(f"{label}: {error}")


def _to_record(record: Element, header: Element | None) -> PaperRecord:
    metadata = first_child(record, "metadata")
    content = next(iter(metadata), None) if metadata is not None else None
    if content is None:
        raise RecordError("no metadata")
    convert = _FORMATS.get(local_name(content))
    if convert is None:
        raise RecordError(f"unsupported metadata format <{local_name(content)}>")
    return convert(content, header)


def _arxiv_record(meta: Element, header: Element | None) -> PaperRecord:
    return make_record(
        child_text(meta, "id").strip(),
        child_text(meta, "title"),
        abstract=clean_abstract(child_text(meta, "abstract")),
        authors=[_author_name(author) for author in _authors(meta)],
        categories=child_text(meta, "categories").split(),
        published=record_datetime(child_text(meta, "created"), "created"),
        updated=record_datetime(child_text(meta, "updated"), "updated"),
        **_bibliographic(meta),
    )


def _authors(meta: Element) -> list[Element]:
    block = first_child(meta, "authors")
    return [] if block is None else list(children(block, "author"))


def _author_name(author: Element) -> str:
    parts = (child_text(author, name) for name in ("forenames", "keyname", "suffix"))
    return clean_line(latex_to_text(" ".join(parts)))


def _arxiv_raw_record(meta: Element, header: Element | None) -> PaperRecord:
    dates = _version_dates(meta)
    return make_record(
        child_text(meta, "id").strip(),
        child_text(meta, "title"),
        abstract=clean_abstract(child_text(meta, "abstract")),
        authors=split_authors(child_text(meta, "authors")),
        categories=child_text(meta, "categories").split(),
        version=len(dates) or None,
        published=dates[0] if dates else None,
        updated=dates[-1] if len(dates) > 1 else None,
        **_bibliographic(meta),
    )


def _version_dates(meta: Element) -> list[dt.datetime]:
    dates = []
    for version in children(meta, "version"):
        when = record_datetime(child_text(version, "date"), f"version {version.get('version', '?')} date")
        if when is None:
            raise RecordError(f"version {version.get('version', '?')} has no date")
        dates.append(when)
    return dates


def _bibliographic(meta: Element) -> dict[str, object]:
    return {
        "comment": clean_line(child_text(meta, "comments")),
        "journal_ref": clean_line(child_text(meta, "journal-ref")),
        "doi": clean_line(child_text(meta, "doi")),
        "license": clean_line(child_text(meta, "license")),
    }


def _dublin_core_record(meta: Element, header: Element | None) -> PaperRecord:
    descriptions = [d for d in texts(meta, "description") if d.strip()]
    comments = [d.strip().removeprefix("Comment:") for d in descriptions if d.strip().startswith("Comment:")]
    abstracts = [d for d in descriptions if not d.strip().startswith("Comment:")]
    dates = [record_datetime(d, "dc:date") for d in texts(meta, "date") if d.strip()]
    identifiers = [clean_line(i) for i in texts(meta, "identifier") if i.strip()]
    return make_record(
        _dublin_core_id(identifiers, header),
        child_text(meta, "title"),
        abstract=clean_abstract(abstracts[0] if abstracts else ""),
        authors=[_creator_name(creator) for creator in texts(meta, "creator") if creator.strip()],
        categories=_archives(header),
        published=dates[0] if dates else None,
        updated=dates[-1] if len(dates) > 1 else None,
        comment=clean_line(comments[0] if comments else ""),
        doi=next((i.removeprefix("doi:").strip() for i in identifiers if i.startswith("doi:")), ""),
        journal_ref=next((i for i in identifiers if not i.startswith(("http", "doi:"))), ""),
    )


def _dublin_core_id(identifiers: list[str], header: Element | None) -> str:
    abs_urls = [i for i in identifiers if "arxiv.org/abs/" in i.lower()]
    if abs_urls:
        return abs_urls[0]
    return clean_line(child_text(header, "identifier")) if header is not None else ""


def _creator_name(creator: str) -> str:
    """Dublin Core writes "Keyname Suffix, Forenames"; collaborations have no comma."""
    keyname, _, forenames = clean_line(creator).partition(", ")
    return clean_line(latex_to_text(f"{forenames} {keyname}"))


def _archives(header: Element | None) -> list[str]:
    """``physics:quant-ph`` -> ``quant-ph``; ``cs`` -> ``cs``."""
    sets = texts(header, "setSpec") if header is not None else []
    return unique([clean_line(spec).rpartition(":")[2] for spec in sets])


_FORMATS: dict[str, Callable[[Element, Element | None], PaperRecord]] = {
    "arXiv": _arxiv_record,
    "arXivRaw": _arxiv_raw_record,
    "dc": _dublin_core_record,
}
