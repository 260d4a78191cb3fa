"""Real Hugging Face Daily Papers laid out as the API's JSON (huggingface.co/api/daily_papers).

No raw API response is stored in ../shared/data: hf-daily-papers-hfbot-2026-02 holds the real
records of each day, normalised by a scraper. ``daily_papers_json(day)`` puts them back into the
API's shape with the API's field names. Only what the records hold is written: the day a paper
was featured is real but its time of day is not recorded (midnight UTC is written), and fields
the scraper did not keep (githubStars, numComments, ai_keywords, the arXiv publishedAt) are left out.
"""

from __future__ import annotations

import json

from tests.conftest import shared

HF_DAILY = "hf-daily-papers-hfbot-2026-02"


def daily_papers_json(day: str) -> bytes:
    """The papers featured on ``day`` (``2026-02-02`` ... ``2026-02-27``, weekdays) as the API lists them."""
    listing = json.loads(shared(HF_DAILY, "dates", f"{day}.json").read_text(encoding="utf-8"))
    return json.dumps([_api_item(paper) for paper in listing["papers"]], ensure_ascii=False).encode("utf-8")


def _api_item(paper: dict[str, object]) -> dict[str, object]:
    featured = f"{paper['date']}T00:00:00.000Z"
    abstract = _abstract(paper)
    inner: dict[str, object] = {
        "id": paper["paper_id"],
        "authors": [{"name": name, "hidden": False} for name in paper["authors"]],
        "submittedOnDailyAt": featured,
        "title": paper["title"],
        "summary": abstract,
        "upvotes": paper["upvotes"],
    }
    if paper.get("summary_en"):
        inner["ai_summary"] = paper["summary_en"]
    if paper.get("github_url"):
        inner["githubRepo"] = paper["github_url"]
    return {"paper": inner, "publishedAt": featured, "title": paper["title"], "summary": abstract}


def _abstract(paper: dict[str, object]) -> str:
    """The scraper glued the AI summary sentence in front of most abstracts; the API keeps them apart."""
    abstract = str(paper.get("abstract") or "")
    summary = str(paper.get("summary_en") or "")
    if summary and abstract.startswith(summary):
        return abstract[len(summary) :].strip()
    return abstract
