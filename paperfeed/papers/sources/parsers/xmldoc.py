"""Reading the XML that arXiv serves: defused parsing and namespace-blind element lookup.

Elements are matched by local name because arXiv's responses are not consistent about
namespaces (recorded OAI-PMH ``<arXiv>`` records appear both in the arXiv namespace and,
without their own ``xmlns``, in the OAI-PMH one).
"""

from __future__ import annotations

from collections.abc import Iterator
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException  # type: ignore[import-untyped]
from defusedxml.ElementTree import fromstring  # type: ignore[import-untyped]

from paperfeed.papers.sources.errors import SourceFormatError


def parse_xml(body: bytes, what: str) -> Element:
    """The root element of ``body``; no DTD entities are ever expanded."""
    try:
        root: Element = fromstring(body, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except ParseError as error:
        line, column = error.position
        raise SourceFormatError(f"{what}: malformed XML at line {line}, column {column}: {error.msg}") from None
    except DefusedXmlException as error:
        raise SourceFormatError(f"{what}: refused XML that declares entities ({error})") from None
    except (ValueError, LookupError) as error:  # e.g. an encoding Python does not know
        raise SourceFormatError(f"{what}: unreadable XML ({error})") from None
    return root


def local_name(element: Element) -> str:
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag.rpartition("}")[2]


def children(element: Element, name: str) -> Iterator[Element]:
    return (child for child in element if local_name(child) == name)


def first_child(element: Element, name: str) -> Element | None:
    return next(children(element, name), None)


def child_text(element: Element, name: str) -> str:
    """The text of the first child called ``name`` (markup inside it flattened), or ""."""
    child = first_child(element, name)
    return "" if child is None else text_of(child)


def texts(element: Element, name: str) -> list[str]:
    return [text_of(child) for child in children(element, name)]


def text_of(element: Element) -> str:
    return "".join(element.itertext())


def optional_int(text: str | None) -> int | None:
    """A count such as ``completeListSize`` or ``totalResults``; None when absent or not a number."""
    value = (text or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None
