"""arXiv OAI-PMH: ListRecords for a set and date range, following resumption tokens.

Resumes from its checkpoint (the last resumption token stored with the last page's
papers); an expired token (``badResumptionToken``) starts the list again from the
beginning once. ``noRecordsMatch`` is the normal answer when nothing changed.

``--by-month`` harvests a large set from the beginning (``--from``, else arXiv's earliest
datestamp) as one list per calendar month, each with its own checkpoint: a run stopped on
any day resumes in the month it stopped in, months finished before are skipped, and an
expired token costs one month, not the whole set.
"""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser
from collections.abc import Iterator, Mapping
from typing import Any

from django.utils import timezone

from paperfeed.lib.dates import parse_day
from paperfeed.lib.http import HttpClient
from paperfeed.papers.models import HarvestCheckpoint
from paperfeed.papers.sources.errors import OaiError
from paperfeed.papers.sources.harvest import (
    CursorExpired,
    Harvest,
    IngestFailed,
    IngestResult,
    Page,
    Progress,
    base_url,
    run_harvest,
)
from paperfeed.papers.sources.parsers.oai import parse_list_records

NAME = "arxiv-oai"
HELP = "harvest arXiv's OAI-PMH ListRecords for a set, following resumption tokens (resumable)"
PREFIXES = ("arXiv", "arXivRaw", "oai_dc")
EARLIEST = dt.date(2007, 5, 23)  # arXiv's earliestDatestamp (Identify): every record was stamped on or after it


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--set", dest="set", default="cs", help="OAI set, e.g. cs, math, physics:hep-th")
    parser.add_argument("--from", dest="from_date", type=parse_day, help="first datestamp (YYYY-MM-DD)")
    parser.add_argument("--until", dest="until_date", type=parse_day, help="last datestamp (YYYY-MM-DD)")
    parser.add_argument("--metadata-prefix", dest="metadata_prefix", choices=PREFIXES, default="arXiv")
    parser.add_argument("--restart", action="store_true", help="ignore an unfinished checkpoint")
    parser.add_argument(
        "--by-month",
        action="store_true",
        help="a full harvest, resumable across days: one list per month from --from (default and earliest "
        "2007-05-23, arXiv's first datestamp) to --until (default and latest today)",
    )


def run(options: Mapping[str, Any], client: HttpClient, progress: Progress) -> IngestResult:
    if options.get("by_month"):
        return run_by_month(options, client, progress)
    return _run_list(options, client, progress)


def _run_list(options: Mapping[str, Any], client: HttpClient, progress: Progress) -> IngestResult:
    request = _first_request(options)
    key = _key(request)
    url = base_url("ARXIV_OAI_URL")

    def fetch(cursor: str) -> Page:
        params = {"verb": "ListRecords", "resumptionToken": cursor} if cursor else request
        return fetch_page(client, url, params, resuming=bool(cursor))

    harvest = Harvest(NAME, key, fetch, progress, restart=bool(options.get("restart")))
    return run_harvest(harvest)


def run_by_month(
    options: Mapping[str, Any], client: HttpClient, progress: Progress, today: dt.date | None = None
) -> IngestResult:
    """One list per month of [--from, --until or today]; a month finished after it ended is not read again."""
    today = today or timezone.now().date()
    first = max(_day(options.get("from_date")) or EARLIEST, EARLIEST)  # no month before it holds a record
    last = min(_day(options.get("until_date")) or today, today)
    if last < first:
        raise IngestFailed(f"--until {last} is before --from {first}")
    result, skipped = IngestResult(), 0
    for start, end in months(first, last):
        window = {**options, "from_date": start, "until_date": end, "by_month": False}
        if not options.get("restart") and _finished_after(window, end):
            skipped += 1
            continue
        progress(f"month {start:%Y-%m}: {start} to {end}")
        result += _run_list(window, client, progress)
    if skipped:
        result.notes.append(f"{skipped} month{'' if skipped == 1 else 's'} harvested before, skipped")
    return result


def months(first: dt.date, last: dt.date) -> Iterator[tuple[dt.date, dt.date]]:
    """[first, last] cut at month ends: (2026-01-15, 2026-01-31), (2026-02-01, 2026-02-28), ..."""
    start = first
    while start <= last:
        following = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        yield start, min(last, following - dt.timedelta(days=1))
        start = following


def _finished_after(window: Mapping[str, Any], end: dt.date) -> bool:
    """The month's list was read to its end on a day after the month ended (nothing can join it since)."""
    done = HarvestCheckpoint.objects.filter(
        source=NAME, key=_key(_first_request(window)), status=HarvestCheckpoint.DONE
    ).values_list("updated_at", flat=True)
    return any(at.date() > end for at in done)


def _day(value: object) -> dt.date | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, dt.date) else parse_day(str(value))


def _key(request: Mapping[str, str]) -> str:
    return " ".join(f"{name}={request.get(name, '')}" for name in ("set", "from", "until", "metadataPrefix"))


def _first_request(options: Mapping[str, Any]) -> dict[str, str]:
    request = {"verb": "ListRecords", "metadataPrefix": options.get("metadata_prefix") or "arXiv"}
    if options.get("set"):
        request["set"] = str(options["set"])
    for option, param in (("from_date", "from"), ("until_date", "until")):
        value = options.get(option)
        if value:
            request[param] = value.isoformat() if isinstance(value, dt.date) else str(value)
    return request


def fetch_page(client: HttpClient, url: str, params: Mapping[str, str], resuming: bool) -> Page:
    response = client.get(url, params)
    try:
        parsed = parse_list_records(response.content)
    except OaiError as error:
        if error.code == "noRecordsMatch":
            return Page([], None, note="nothing new (noRecordsMatch)")
        if error.code == "badResumptionToken" and resuming:
            raise CursorExpired(f"arXiv refused the stored resumption token: {error.message}") from error
        raise
    return Page(
        parsed.records,
        parsed.resumption_token or None,
        parsed.rejected,
        parsed.complete_list_size,
        deleted=parsed.deleted,
    )
