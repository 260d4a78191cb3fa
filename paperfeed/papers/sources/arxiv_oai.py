"""arXiv OAI-PMH: ListRecords for a set and date range, following resumption tokens.

Resumes from its checkpoint (the last resumption token stored with the last page's
papers); an expired token (``badResumptionToken``) starts the list again from the
beginning once. ``noRecordsMatch`` is the normal answer when nothing changed.
"""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser
from collections.abc import Mapping
from typing import Any

from paperfeed.lib.dates import parse_day
from paperfeed.lib.http import HttpClient
from paperfeed.papers.sources.errors import OaiError
from paperfeed.papers.sources.harvest import CursorExpired, Harvest, IngestResult, Page, Progress, base_url, run_harvest
from paperfeed.papers.sources.parsers.oai import parse_list_records

NAME = "arxiv-oai"
HELP = "harvest arXiv's OAI-PMH ListRecords for a set, following resumption tokens (resumable)"
PREFIXES = ("arXiv", "arXivRaw", "oai_dc")


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--set", dest="set", default="cs", help="OAI set, e.g. cs, math, physics:hep-th")
    parser.add_argument("--from", dest="from_date", type=parse_day, help="first datestamp (YYYY-MM-DD)")
    parser.add_argument("--until", dest="until_date", type=parse_day, help="last datestamp (YYYY-MM-DD)")
    parser.add_argument("--metadata-prefix", dest="metadata_prefix", choices=PREFIXES, default="arXiv")
    parser.add_argument("--restart", action="store_true", help="ignore an unfinished checkpoint")


def run(options: Mapping[str, Any], client: HttpClient, progress: Progress) -> IngestResult:
    request = _first_request(options)
    key = " ".join(f"{name}={request.get(name, '')}" for name in ("set", "from", "until", "metadataPrefix"))
    url = base_url("ARXIV_OAI_URL")

    def fetch(cursor: str) -> Page:
        params = {"verb": "ListRecords", "resumptionToken": cursor} if cursor else request
        return fetch_page(client, url, params, resuming=bool(cursor))

    harvest = Harvest(NAME, key, fetch, progress, restart=bool(options.get("restart")))
    return run_harvest(harvest)


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
