"""The recorded arXiv HTML pages (tests/fixtures/arxiv-html, SOURCE.md there) and the papers they belong to."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from paperfeed.papers.models import Paper
from tests.personas import add_paper
from tests.upstream_server import Reply, Upstream

RECORDINGS = Path(__file__).parent / "fixtures" / "arxiv-html"
MATH = "2507.00150v1.html"  # astro-ph: inline math, a pmatrix, a figure, a table, author-year references
TABLES = "2410.00260v2.html"  # cs.CL: a display equation, a list, a table with header cells, numbered references
NO_HTML = "no-html-2401.00001v1.html"  # arXiv's 404 answer for a paper without an HTML rendering

PAPERS: dict[str, dict[str, Any]] = {
    MATH: {
        "arxiv_id": "2507.00150",
        "title": "Searching for new hypervelocity stars with $Gaia$ DR3 and VLT/FORS2 spectroscopy",
        "authors": ["Julio A. Carballo-Bello", "Pau Ramos", "Jesús M. Corral-Santana"],
        "categories": ["astro-ph.GA"],
        "version": 1,
    },
    TABLES: {
        "arxiv_id": "2410.00260",
        "title": "DoPAMine: Domain-specific Pre-training Adaptation from seed-guided data Mining",
        "authors": ["Vinayak Arannil", "Neha Narwal", "Sourav Sanjukta Bhabesh"],
        "categories": ["cs.CL"],
        "version": 2,
    },
    NO_HTML: {"arxiv_id": "2401.00001", "title": "A paper arXiv has no HTML for", "version": 1},
}


def recording(name: str) -> bytes:
    return (RECORDINGS / name).read_bytes()


def add_recorded_paper(name: str, **fields: Any) -> Paper:
    """The paper a recording belongs to, in the store (its id, title, authors and version)."""
    known = dict(PAPERS[name])
    return add_paper(known.pop("arxiv_id"), known.pop("title"), **{**known, **fields})


def html_path(paper: Paper) -> str:
    return f"/html/{paper.arxiv_id}v{paper.version}"


def serve_recording(upstream: Upstream, paper: Paper, name: str) -> None:
    """Answer arXiv's HTML URL of ``paper`` with the recording, as arXiv does (the no-HTML page with 404)."""
    status = 404 if name == NO_HTML else 200
    upstream.route(html_path(paper), Reply(recording(name), status, {"Content-Type": "text/html; charset=utf-8"}))
