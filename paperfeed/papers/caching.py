"""Whole pages cached for anonymous visitors, keyed by the store's last change.

Signed-in visitors always get a fresh page (their votes show at once). Anonymous pages carry
no CSRF token or cookie, so one copy serves everyone; community votes reach them within
PAPERFEED_PAGE_CACHE_SECONDS, stored papers (new, changed or hidden) at once.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max
from django.http import HttpRequest, HttpResponse

from paperfeed.papers.models import Paper

View = Callable[..., HttpResponse]


def store_version() -> str:
    changed = Paper.objects.aggregate(changed=Max("changed_at"))["changed"]
    return changed.isoformat() if changed else "empty"


def _key(path: str) -> str:
    return f"page:{store_version()}:{path}"


def forget_pages(*paths: str) -> None:
    """Drop the cached copies of ``paths`` (as requested: with their query strings), so a change
    that does not touch a paper's row (a comment) shows at once."""
    cache.delete_many([_key(path) for path in paths])


def cached_for_anonymous(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        seconds: int = getattr(settings, "PAGE_CACHE_SECONDS", 0)
        if seconds == 0 or request.method != "GET" or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        key = _key(request.get_full_path())
        stored = cache.get(key)
        if stored is not None:
            return HttpResponse(stored[0], content_type=stored[1])
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.cookies and not response.streaming:
            cache.set(key, (response.content, response["Content-Type"]), seconds)
        return response

    return wrapper
