"""What a source's response can be instead of a page of records."""

from __future__ import annotations


class SourceFormatError(ValueError):
    """The body is not what the source returns: malformed XML or JSON, the wrong root, ...

    The message says what was wrong and where (line and column, or a JSON path).
    """


class OaiError(Exception):
    """An OAI-PMH ``<error code="...">`` answer, such as ``noRecordsMatch`` or ``badResumptionToken``."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(code, message)

    def __str__(self) -> str:
        detail = f": {self.message}" if self.message else ""
        return f"OAI-PMH error {self.code}{detail}"


class ArxivApiError(Exception):
    """The arXiv API's error feed: one Atom entry whose id is ``.../api/errors#...``."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        return f"arXiv API error: {self.message}"
