"""arXiv identifiers: parse, validate and split off the version.

New style: ``YYMM.NNNN`` (2007-2014) or ``YYMM.NNNNN`` (2015 on), optional ``vN``.
Old style: ``archive[.SUBJ]/YYMMNNN`` such as ``hep-th/9901001`` or ``math.AG/0202001``;
the subject class is not part of the identity and is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NEW = re.compile(r"^(?P<yymm>\d{4})\.(?P<num>\d{4,5})(?:v(?P<version>\d+))?$")
_OLD = re.compile(r"^(?P<archive>[a-z][a-z-]{0,19})(?:\.[A-Za-z-]+)?/(?P<num>\d{7})(?:v(?P<version>\d+))?$")
_PREFIXES = (
    "https://arxiv.org/abs/",
    "http://arxiv.org/abs/",
    "https://arxiv.org/pdf/",
    "http://arxiv.org/pdf/",
    "https://export.arxiv.org/abs/",
    "http://export.arxiv.org/abs/",
    "oai:arxiv.org:",
    "arxiv:",
)


class InvalidArxivId(ValueError):
    """Raised for a string that is not an arXiv identifier."""


@dataclass(frozen=True)
class ArxivId:
    base: str  # without version, e.g. "2403.01234" or "hep-th/9901001"
    version: int | None

    def __str__(self) -> str:
        return self.base if self.version is None else f"{self.base}v{self.version}"


def parse_arxiv_id(text: str) -> ArxivId:
    """Parse an id, an abs/pdf URL or an OAI identifier; raise InvalidArxivId otherwise."""
    raw = text.strip()
    lowered = raw.lower()
    for prefix in _PREFIXES:
        if lowered.startswith(prefix):
            raw = raw[len(prefix) :]
            break
    raw = raw.removesuffix(".pdf").strip("/")
    match = _NEW.match(raw)
    if match and _valid_month(match["yymm"]) and _valid_length(match["yymm"], match["num"]):
        return ArxivId(f"{match['yymm']}.{match['num']}", _version(match["version"]))
    match = _OLD.match(raw)
    if match and _valid_month(match["num"][:4]):
        return ArxivId(f"{match['archive']}/{match['num']}", _version(match["version"]))
    raise InvalidArxivId(f"malformed arXiv id {text!r}")


def _version(text: str | None) -> int | None:
    if text is None:
        return None
    version = int(text)
    if version < 1:
        raise InvalidArxivId(f"arXiv versions start at v1, got v{version}")
    return version


def _valid_month(yymm: str) -> bool:
    return 1 <= int(yymm[2:]) <= 12


def _valid_length(yymm: str, num: str) -> bool:
    # Five-digit sequence numbers started in January 2015 (1501.00001).
    # New-style ids started in April 2007 (0704.0001).
    return int(yymm) >= 704 and len(num) == (5 if int(yymm) >= 1501 else 4)


def abs_url(arxiv_id: str) -> str:
    return f"https://arxiv.org/abs/{arxiv_id}"


def pdf_url(arxiv_id: str) -> str:
    return f"https://arxiv.org/pdf/{arxiv_id}"
