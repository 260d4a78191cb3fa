"""The site's side of search: the search service's hits as visible papers, for the page, API and feeds.

The ranking itself is paperfeed.search.service's; this module only turns its hits into the
papers a visitor may see (hidden ones dropped) and its errors into messages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from types import ModuleType

from django import forms
from django.core.paginator import Page, Paginator

from paperfeed.feed.listings import visible_papers, with_votes
from paperfeed.papers.models import Paper

MODES = ("hybrid", "keyword", "semantic")
PAGE_SIZE = 20
NOT_BUILT = "The search index is not built yet: run `paperfeed index`."


class SearchUnavailable(Exception):
    """No search index has been built (or the search module is missing)."""


@dataclass(frozen=True)
class Found:
    paper: Paper
    score: float
    snippet: str  # HTML from the search service: escaped text with <mark> around matched words


@dataclass
class FoundPapers:
    query: str
    mode: str
    found: list[Found] = field(default_factory=list)
    total: int = 0
    papers_without_vectors: int = 0


def find_papers(query: str, mode: str = "hybrid", limit: int = 20, offset: int = 0) -> FoundPapers:
    """Visible papers for ``query``, best first; ValueError for a bad query, SearchUnavailable without an index."""
    service = _service()
    try:
        results = service.search(query, mode=mode, limit=limit, offset=offset)
    except ValueError as error:  # SearchError and QueryError are ValueErrors
        raise _unavailable_or(error) from None
    found = _visible([(hit.arxiv_id, hit.score, hit.snippet) for hit in results.hits])
    return FoundPapers(query, mode, found, results.total, results.papers_without_vectors)


def similar_papers(arxiv_id: str, limit: int = 10) -> list[Found]:
    service = _service()
    try:
        results = service.similar(arxiv_id, limit=limit)
    except ValueError as error:
        raise _unavailable_or(error) from None
    return _visible([(hit.arxiv_id, hit.score, hit.snippet) for hit in results.hits])


def _service() -> ModuleType:
    try:
        from paperfeed.search import service
    except ImportError as error:
        raise SearchUnavailable(NOT_BUILT) from error
    return service


def _unavailable_or(error: ValueError) -> Exception:
    return SearchUnavailable(NOT_BUILT) if "no search index" in str(error) else ValueError(str(error))


def _visible(hits: list[tuple[str, float, str]]) -> list[Found]:
    papers = with_votes(visible_papers().filter(arxiv_id__in=[arxiv_id for arxiv_id, _, _ in hits]))
    by_id = {paper.arxiv_id: paper for paper in papers}
    return [Found(by_id[arxiv_id], score, snippet) for arxiv_id, score, snippet in hits if arxiv_id in by_id]


class SearchForm(forms.Form):
    q = forms.CharField(label="Search", max_length=500, required=False)
    mode = forms.ChoiceField(choices=[(mode, mode.title()) for mode in MODES], required=False, initial="hybrid")
    category = forms.RegexField(regex=r"^[A-Za-z-]+(\.[A-Za-z-]+)?$", max_length=32, required=False)
    date_from = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    has_code = forms.BooleanField(label="Has code", required=False)

    def query(self) -> str:
        """The query text with the filters written in the search language (cat:, date:, has:code)."""
        data = self.cleaned_data
        parts = [data["q"].strip()]
        if data["category"]:
            parts.append(f"cat:{data['category']}")
        if data["date_from"] or data["date_to"]:
            parts.append(f"date:{_day(data['date_from'])}..{_day(data['date_to'])}")
        if data["has_code"]:
            parts.append("has:code")
        return " ".join(part for part in parts if part)


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


@dataclass
class SearchPage:
    papers: list[Paper] = field(default_factory=list)
    found: list[Found] = field(default_factory=list)
    page: Page[int] | None = None
    total: int = 0
    papers_without_vectors: int = 0
    error: str = ""


def search_page(form: SearchForm, page_number: str | None) -> SearchPage | None:
    """One page of results for the search form; None when nothing was asked."""
    if not form.is_bound:
        return None
    if not form.is_valid():
        problems = [f"{name}: {' '.join(str(error) for error in errors)}" for name, errors in form.errors.items()]
        return SearchPage(error="; ".join(problems))
    query = form.query()
    if not query:
        return None
    page = Paginator(range(10_000), PAGE_SIZE).get_page(page_number)
    try:
        found = find_papers(query, form.cleaned_data["mode"] or "hybrid", PAGE_SIZE, page.start_index() - 1)
    except (ValueError, SearchUnavailable) as error:
        return SearchPage(error=str(error))
    page = Paginator(range(found.total), PAGE_SIZE).get_page(page.number)
    papers = [item.paper for item in found.found]
    return SearchPage(papers, found.found, page, found.total, found.papers_without_vectors)
