"""The paper page `/paper/ID/`: abstract, linked authors and categories, links, votes, BibTeX, similar papers."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.template.loader import render_to_string
from django.test import Client

from paperfeed.papers.bibtex import bibtex, citation_key
from paperfeed.papers.models import MetricSnapshot, Paper, Submission
from paperfeed.search.indexing import index_papers
from tests.conftest import import_day
from tests.personas import add_paper, signed_in

pytestmark = pytest.mark.django_db


def test_it_shows_the_paper_with_authors_and_categories_linked(client: Client) -> None:
    paper = add_paper(
        "2603.01234",
        title="Attention $O(n^2)$ is all you need",
        authors=["Ashish Vaswani", "Noam Shazeer"],
        categories=["cs.CL", "cs.LG"],
        code_links=["https://github.com/example/attention"],
    )
    html = client.get(f"/paper/{paper.arxiv_id}/").content.decode()
    assert "Attention $O(n^2)$ is all you need" in html
    assert '<a href="/author/Ashish%20Vaswani/">Ashish Vaswani</a>' in html
    assert '<a class="cat" href="/category/cs.CL/">cs.CL</a>' in html
    assert 'href="https://arxiv.org/abs/2603.01234"' in html and 'href="https://arxiv.org/pdf/2603.01234"' in html
    assert '<a class="code" href="https://github.com/example/attention">code</a>' in html


def test_a_versioned_id_finds_the_paper_and_an_unknown_one_is_not_found(client: Client) -> None:
    add_paper("2603.01234")
    assert client.get("/paper/2603.01234v2/").status_code == 200
    assert client.get("/paper/2603.99999/").status_code == 404
    assert client.get("/paper/not-an-id/").status_code == 404


def test_a_hidden_paper_is_not_found(client: Client) -> None:
    paper = add_paper()
    Paper.objects.filter(pk=paper.pk).update(is_hidden=True)
    assert client.get(f"/paper/{paper.arxiv_id}/").status_code == 404


def test_titles_and_abstracts_with_markup_and_malicious_math_are_escaped(client: Client) -> None:
    paper = add_paper(
        title="<script>alert(1)</script> $x<y$",
        abstract="Click $\\href{javascript:alert(1)}{here}$ <img src=x onerror=alert(2)>",
        code_links=["javascript:alert(3)"],
    )
    html = client.get(f"/paper/{paper.arxiv_id}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; $x&lt;y$" in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    assert "<script>" not in html and "<img" not in html and 'href="javascript:' not in html


def test_the_bibtex_entry_is_arxivs_misc_form() -> None:
    paper = add_paper(
        "2603.01234",
        title="Attention Is All You Need",
        authors=["Ashish Vaswani", "Noam Shazeer"],
        categories=["cs.CL"],
        published=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
    )
    entry = bibtex(paper)
    assert entry.startswith("@misc{vaswani2026attention,\n")
    assert "  author = {Ashish Vaswani and Noam Shazeer},\n" in entry
    assert "  eprint = {2603.01234},\n  archivePrefix = {arXiv},\n  primaryClass = {cs.CL}," in entry
    assert entry.endswith("  url = {https://arxiv.org/abs/2603.01234}\n}\n")


def test_bibtex_fields_cannot_be_closed_early_by_a_stray_brace() -> None:
    paper = add_paper(title="Sets } and {braces", authors=["Émile Borel"])
    entry = bibtex(paper)
    assert "title = {Sets  and {braces}}," in entry
    assert citation_key(paper).startswith("borel")


def test_the_page_shows_the_upvote_count_and_the_vote_form_when_signed_in(alice: User) -> None:
    paper = add_paper(upvotes=12)
    html = signed_in(alice).get(f"/paper/{paper.arxiv_id}/").content.decode()
    assert f'action="/vote/{paper.arxiv_id}/"' in html and '<span class="count">12</span>' in html
    assert f'action="/library/save/{paper.arxiv_id}/"' in html


def test_it_names_who_submitted_the_paper(client: Client, bob: User) -> None:
    paper = add_paper()
    Submission.objects.create(paper=paper, user=bob, submitted_at=paper.changed_at)
    assert "Submitted by bob" in client.get(f"/paper/{paper.arxiv_id}/").content.decode()


def test_similar_papers_say_so_when_the_search_index_is_not_built(client: Client, data_dir: object) -> None:
    paper = add_paper()
    html = client.get(f"/paper/{paper.arxiv_id}/").content.decode()
    assert "Similar papers" in html and "search index is not built" in html


def test_similar_papers_say_how_many_papers_are_not_searchable_by_meaning_yet(client: Client, data_dir: object) -> None:
    """Before the embed lane is done, neighbours by meaning come from the papers embedded so far: the page says so."""
    import_day()
    index_papers(embed=False)
    paper = Paper.objects.order_by("arxiv_id").first()
    assert paper is not None
    html = client.get(f"/paper/{paper.arxiv_id}/").content.decode()
    count = Paper.objects.count()
    assert f"By meaning among the papers embedded so far: {count:,} are not searchable by meaning yet." in html
    assert html.count('<ul class="plain similar"><li>') == 1  # and the words-alike papers still come


def test_it_draws_the_upvote_and_star_history_from_metric_snapshots(client: Client) -> None:
    paper = add_paper()
    assert "<svg" not in client.get(f"/paper/{paper.arxiv_id}/").content.decode()
    for day, upvotes, stars in ((1, 2, None), (2, 5, 10), (4, 9, 30)):
        MetricSnapshot.objects.create(paper=paper, taken_on=dt.date(2026, 3, day), upvotes=upvotes, github_stars=stars)
    cache.clear()
    html = client.get(f"/paper/{paper.arxiv_id}/").content.decode()
    upvotes = re.search(r'<svg class="chart line"[^>]*aria-label="Hugging Face upvotes by day">.*?</svg>', html)
    stars = re.search(r'<svg class="chart line"[^>]*aria-label="GitHub stars by day">.*?</svg>', html)
    assert upvotes and stars
    points = re.compile(r"<title>([\d-]+: \d+)</title>")
    assert points.findall(upvotes.group(0)) == ["2026-03-01: 2", "2026-03-02: 5", "2026-03-04: 9"]
    assert points.findall(stars.group(0)) == ["2026-03-02: 10", "2026-03-04: 30"]


def test_a_missing_paper_answers_the_sites_own_404_page(client: Client, settings: object) -> None:
    settings.DEBUG = False  # type: ignore[attr-defined]
    response = client.get("/paper/2603.99999/")
    html = response.content.decode()
    assert response.status_code == 404
    assert '<header class="site">' in html and 'href="/search/"' in html
    assert "no paper 2603.99999" in html and "<h1>Not found</h1>" in html


def test_the_500_page_is_the_sites_and_needs_no_request() -> None:
    html = render_to_string("500.html")
    assert '<header class="site">' in html and "Something went wrong" in html
