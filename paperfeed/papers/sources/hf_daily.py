"""Hugging Face Daily Papers (``/api/daily_papers``) for a day, an ISO week or a month.

Besides the papers, every pull stores one MetricSnapshot per paper and day (the day of the
pull): upvotes, GitHub stars and comments as they are now. A second pull the same day
updates that row instead of adding one.
"""

from __future__ import annotations

import datetime as dt
import re
from argparse import ArgumentParser
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils import timezone

from paperfeed.lib.dates import parse_day
from paperfeed.lib.http import HttpClient
from paperfeed.papers.models import MetricSnapshot, Paper
from paperfeed.papers.sources.harvest import Harvest, IngestResult, Page, Progress, base_url, run_harvest
from paperfeed.papers.sources.parsers.hf_daily import parse_daily_papers

NAME = "hf-daily"
HELP = "fetch Hugging Face Daily Papers for a day (default today), an ISO week or a month, with upvotes"
METRICS = ("upvotes", "github_stars", "num_comments")


def _week(value: str) -> str:
    if not re.fullmatch(r"\d{4}-W(0[1-9]|[1-4]\d|5[0-3])", value):
        raise ValueError(f"not an ISO week like 2026-W07: {value!r}")
    return value


def _month(value: str) -> str:
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
        raise ValueError(f"not a month like 2026-02: {value!r}")
    return value


def add_arguments(parser: ArgumentParser) -> None:
    period = parser.add_mutually_exclusive_group()
    period.add_argument("--date", type=parse_day, help="a day, YYYY-MM-DD (default: today, UTC)")
    period.add_argument("--week", type=_week, help="an ISO week, e.g. 2026-W07")
    period.add_argument("--month", type=_month, help="a month, e.g. 2026-02")


def period_params(options: Mapping[str, Any]) -> dict[str, str]:
    for name in ("week", "month"):
        if options.get(name):
            return {name: str(options[name])}
    day = options.get("date") or timezone.now().date()
    return {"date": day.isoformat() if isinstance(day, dt.date) else str(day)}


def run(options: Mapping[str, Any], client: HttpClient, progress: Progress) -> IngestResult:
    period, size = period_params(options), settings.HF_PAGE_SIZE
    url = f"{base_url('HF_API_URL')}/daily_papers"

    def fetch(cursor: str) -> Page:
        number = int(cursor or 0)
        parsed = parse_daily_papers(client.get(url, {**period, "limit": size, "p": number}).content)
        full = len(parsed.records) + len(parsed.rejected) >= size
        return Page(parsed.records, str(number + 1) if full else None, parsed.rejected)

    key = " ".join(f"{name}={value}" for name, value in period.items())
    return run_harvest(Harvest(NAME, key, fetch, progress, on_page=store_snapshots, restart=True))


def store_snapshots(page: Page) -> None:
    """Today's upvotes, stars and comments of the page's papers: one row per paper and day."""
    today = timezone.now().date()
    measured = {r.arxiv_id: r for r in page.records if any(getattr(r, m) is not None for m in METRICS)}
    pks = dict(Paper.objects.filter(arxiv_id__in=measured).values_list("arxiv_id", "pk"))
    snapshots = [
        MetricSnapshot(paper_id=pks[arxiv_id], taken_on=today, **{m: getattr(record, m) for m in METRICS})
        for arxiv_id, record in measured.items()
    ]
    MetricSnapshot.objects.bulk_create(
        snapshots, update_conflicts=True, unique_fields=["paper", "taken_on"], update_fields=list(METRICS)
    )
