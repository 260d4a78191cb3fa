"""Paper pages: one paper, an author's papers, a category's papers. (The daily feed lives in feed/.)"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from paperfeed.feed.caching import cached_for_anonymous
from paperfeed.feed.details import paper_details
from paperfeed.feed.listings import author_papers, category_papers, paged, voted_ids


@cached_for_anonymous
def paper(request: HttpRequest, arxiv_id: str) -> HttpResponse:
    details = paper_details(arxiv_id, request.user)
    if details is None:
        raise Http404(f"no paper {arxiv_id}")
    return render(request, "papers/paper.html", {"details": details})


@cached_for_anonymous
def author(request: HttpRequest, name: str) -> HttpResponse:
    page = paged(author_papers(name), request.GET.get("page"))
    if not page.object_list:
        raise Http404(f"no papers by {name}")
    context = {"name": name, "page": page, "voted": voted_ids(request.user, page.object_list)}
    return render(request, "papers/author.html", context)


@cached_for_anonymous
def category(request: HttpRequest, category: str) -> HttpResponse:
    page = paged(category_papers(category), request.GET.get("page"))
    if not page.object_list:
        raise Http404(f"no papers in {category}")
    context = {"category": category, "page": page, "voted": voted_ids(request.user, page.object_list)}
    return render(request, "papers/category.html", context)
