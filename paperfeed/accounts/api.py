"""/api/library-import: bring a library in by the API (the body is the exported file), and see what waits.

Mounted by paperfeed/api/api.py. (Not under /api/library/: that path's ``DELETE
/api/library/{id}`` route would take every path below it.)
"""

from __future__ import annotations

from typing import Any, Literal

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from paperfeed.accounts.imports.formats import Unreadable, check_size
from paperfeed.accounts.imports.service import import_library, recent_fetches, waiting_fetches
from paperfeed.lib.ratelimit import RateLimited

router = Router(tags=["library"])
Format = Literal["bibtex", "ris", "csl-json", "text"]
BODY = {
    "required": True,
    "description": "The exported file as it is: BibTeX, RIS, CSL-JSON, or arXiv ids or URLs one a line (UTF-8)",
    "content": {"text/plain": {"schema": {"type": "string"}}},
}


class NotMatchedOut(Schema):
    line: int
    key: str
    reason: str
    message: str  # FILE:LINE: key: reason


class ImportOut(Schema):
    name: str
    format: str
    entries: int
    added: list[str]
    already: int
    queued: list[str]
    twice: int
    notMatched: list[NotMatchedOut]  # noqa: N815 - the API's camelCase


class FetchOut(Schema):
    id: str
    state: str
    message: str
    requestedAt: str  # noqa: N815


class FetchesOut(Schema):
    waiting: int
    fetches: list[FetchOut]


class ErrorOut(Schema):
    detail: str


def _user(request: HttpRequest) -> User:
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise HttpError(401, "needs Authorization: Bearer TOKEN")
    return user


@router.post(
    "",
    response={200: ImportOut, 400: ErrorOut, 413: ErrorOut, 429: ErrorOut},
    openapi_extra={"requestBody": BODY},
)
def post_import(
    request: HttpRequest,
    name: str = Query("upload", min_length=1, max_length=200),  # type: ignore[type-arg]
    format: Format | None = None,
) -> dict[str, Any]:
    """Import a library: papers here are saved at once, others are fetched from arXiv by the worker.

    ``name`` is the file's name (its extension hints the format; messages say ``NAME:LINE``).
    """
    user = _user(request)
    length = request.META.get("CONTENT_LENGTH") or ""
    if not (length.isascii() and length.isdigit()):  # chunked: Django would read an empty body
        raise HttpError(411, "send the file with a Content-Length header (a chunked upload is not read)")
    try:
        check_size(name, int(length))  # before the body is read
        report = import_library(user, name, request.read(settings.LIBRARY_IMPORT_MAX_BYTES + 1), format)
    except Unreadable as refused:
        raise HttpError(refused.status, str(refused)) from None
    except RateLimited as limited:
        raise HttpError(429, str(limited)) from None
    problems = [
        {"line": e.line, "key": e.key, "reason": e.reason, "message": e.where(name)} for e in report.not_matched
    ]
    counts = {"entries": report.entries, "already": report.already, "twice": report.twice}
    return {
        "name": name,
        "format": report.format,
        "added": report.added,
        "queued": report.queued,
        **counts,
        "notMatched": problems,
    }


@router.get("", response=FetchesOut)
def get_fetches(request: HttpRequest) -> dict[str, Any]:
    """Imported papers being fetched from arXiv (``waiting``), and the latest 100 fetches with how they ended."""
    user = _user(request)
    rows = [
        {"id": row.arxiv_id, "state": row.state, "message": row.message, "requestedAt": row.requested_at.isoformat()}
        for row in recent_fetches(user)
    ]
    return {"waiting": waiting_fetches(user), "fetches": rows}
