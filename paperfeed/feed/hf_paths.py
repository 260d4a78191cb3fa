"""Hugging Face's page paths, so a huggingface.co/papers link with the host swapped lands on the same page.

Each redirects (302, query string kept) to paperfeed's own path: ``/papers/2502.08025`` to
``/paper/2502.08025/``, ``/papers/date/D`` to ``/day/D/``, ``/papers/week/W``, ``/papers/month/M``,
``/papers/trending`` and ``/papers`` (with HF's older ``?date=``, ``?week=``, ``?month=`` or ``?q=``).
A paper id here is an arXiv id and nothing else, so ``/papers/ID.md`` (the markdown route) is never taken.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.urls import path, register_converter, reverse
from django.views.generic import RedirectView


class ArxivIdConverter:
    """An arXiv id with an optional version: 2502.08025, 2502.08025v2, hep-th/9901001 (never a ``.md`` name)."""

    regex = r"(?:\d{4}\.\d{4,5}|[a-z][a-z-]{0,19}(?:\.[A-Za-z-]+)?/\d{7})(?:v\d+)?"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ArxivIdConverter, "arxiv_id")

PERIODS = (("date", "daily-day", "day"), ("week", "week-of", "week"), ("month", "month-of", "month"))


def papers_index(request: HttpRequest) -> HttpResponseRedirect:
    """``/papers``: the latest day, or the day, week, month or search its query string names."""
    for name, pattern, argument in PERIODS:
        value = request.GET.get(name, "")
        if value and "/" not in value:
            return HttpResponseRedirect(reverse(pattern, kwargs={argument: value}))
    if request.GET.get("q"):
        return HttpResponseRedirect(f"{reverse('search')}?{request.GET.urlencode()}")
    return HttpResponseRedirect(reverse("daily"))


def _to(pattern: str) -> Callable[..., HttpResponseBase]:
    return RedirectView.as_view(pattern_name=pattern, query_string=True)


urlpatterns = [
    path("papers", papers_index, name="hf-papers"),
    path("papers/trending", _to("trending"), name="hf-trending"),
    *[path(f"papers/{name}/<str:{argument}>", _to(pattern), name=f"hf-{name}") for name, pattern, argument in PERIODS],
    path("papers/<arxiv_id:arxiv_id>", _to("paper"), name="hf-paper"),
]
