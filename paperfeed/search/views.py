"""The search page: the form, one page of visible results with snippets, and clear errors."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from paperfeed.discussion.counts import count_comments
from paperfeed.lib.paging import page_number, page_of
from paperfeed.papers.votes import voted_ids
from paperfeed.search.forms import SearchForm
from paperfeed.search.progress import embedding_progress
from paperfeed.search.results import Found, find_papers
from paperfeed.search.service import SearchError

PAGE_SIZE = 20
MOST_RESULTS = 10_000


@dataclass
class SearchPage:
    found: list[Found] = field(default_factory=list)
    page: Page[int] | None = None
    mode: str = ""
    total: int = 0
    papers_without_vectors: int = 0
    error: str = ""


def search_page(form: SearchForm, page_number_text: str | None) -> SearchPage | None:
    """One page of results for the search form; None when nothing was asked; PageNotFound past the end."""
    if not form.is_bound:
        return None
    if not form.is_valid():
        return SearchPage(error=form.problems())
    if form.is_empty():
        return None
    asked = page_number(page_number_text)
    first = (asked - 1) * PAGE_SIZE if asked and asked <= MOST_RESULTS // PAGE_SIZE else 0  # else: counted only
    mode = form.cleaned_data["mode"] or "hybrid"
    try:
        found = find_papers(form.query(), mode, PAGE_SIZE, first, form.filters())
    except SearchError as error:
        return SearchPage(error=str(error))
    page = page_of(Paginator(range(min(found.total, MOST_RESULTS)), PAGE_SIZE), page_number_text)  # PageNotFound: 404
    return SearchPage(found.found, page, found.mode, found.total, found.papers_without_vectors)


def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    result = search_page(form, request.GET.get("page"))
    papers = [item.paper for item in result.found] if result else []
    count_comments(papers)
    context = {
        "form": form,
        "result": result,
        "voted": voted_ids(request.user, papers),
        "semantic_progress": embedding_progress(),  # "12,345 of 27,081 searchable by meaning, ..."
    }
    return render(request, "search/search.html", context, status=400 if result and result.error else 200)
