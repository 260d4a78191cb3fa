"""The site's 404 page (``handler404``): what was not found, and where to go instead.

A listing's page that is not there (``lib.paging.PageNotFound``) says how many pages the listing
has and links its first and last page, with the rest of the query (a search's words) kept.
"""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from paperfeed.lib.paging import PageNotFound, page_url


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    reason = exception.args[0] if exception.args and isinstance(exception.args[0], str) else ""
    context: dict[str, object] = {"request_path": quote(request.path), "exception": reason}
    if isinstance(exception, PageNotFound):
        last, first = page_url(request, exception.pages), page_url(request, 1)
        context |= {"pages": exception.pages, "last_page": last, "first_page": first}
    return render(request, "404.html", context, status=404)
