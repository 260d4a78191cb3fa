"""Full text as markdown on the site: ``/papers/ID.md`` (Hugging Face's path, read by
``huggingface_hub.HfApi.read_paper`` and ``hf papers read``), and which papers the worker fetches.

The view only reads, and asks for the full text with a bounded conditional write
(``request_full_text``); the fetch itself is the worker's ``fetch-full-texts`` job, whose run
first asks for the papers people upvoted or saved lately and the week's trending ones.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from paperfeed.feed.trending import rank_trending
from paperfeed.lib.arxiv_ids import InvalidArxivId, parse_arxiv_id
from paperfeed.papers.fulltext.document import paper_markdown
from paperfeed.papers.fulltext.fetching import request_full_text, request_many
from paperfeed.papers.models import FullText, Paper
from paperfeed.papers.visible import visible_papers

MARKDOWN = "text/markdown; charset=utf-8"
WANTED_DAYS = 7  # upvotes and saves this recent ask for a paper's full text
WANTED_MOST = 100  # papers of each kind asked for per run
TRENDING = 30  # the week's top trending papers


@require_safe
def paper_md(request: HttpRequest, arxiv_id: str) -> HttpResponse:
    """The visible paper as markdown (any version suffix names the paper); 404 for a bad id or unknown paper."""
    try:
        base = parse_arxiv_id(arxiv_id).base
    except InvalidArxivId as error:
        return _not_found(f"{error}: use an arXiv id such as 2507.00150 or 2507.00150v1")
    paper = visible_papers().filter(arxiv_id=base).first()
    if paper is None:
        return _not_found(f"no paper {base} here")
    request_full_text(paper, "opened", bounded=True)
    full_text = FullText.objects.filter(paper=paper).first()
    return HttpResponse(paper_markdown(paper, full_text), content_type=MARKDOWN)


def _not_found(message: str) -> HttpResponse:
    return HttpResponse(message + "\n", status=404, content_type="text/plain; charset=utf-8")


def request_wanted() -> int:
    """Ask for the full text of papers upvoted or saved in the last week and of the week's trending ones."""
    since = timezone.now() - dt.timedelta(days=WANTED_DAYS)
    visible = visible_papers().filter(full_text__isnull=True)
    upvoted = list(visible.filter(votes__created_at__gte=since).distinct()[:WANTED_MOST])
    saved = list(visible.filter(library_entries__added_at__gte=since).distinct()[:WANTED_MOST])
    trending: list[Paper] = [entry.paper for entry in rank_trending("week", limit=TRENDING).entries]
    return request_many(upvoted, "upvoted") + request_many(saved, "saved") + request_many(trending, "trending")
