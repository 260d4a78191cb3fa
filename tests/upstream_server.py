"""A real HTTP server on 127.0.0.1 that answers like arXiv and Hugging Face, from recordings.

Tests route a path to a list of replies (used in order, the last one repeated) or to a
function of the request; every request is kept in ``requests``. A reply may ``hold`` until the
test releases it, so a test can act (kill a process, send SIGTERM) while a client waits.

The bodies are the real recorded responses in ../shared/data. Where no multi-page recording
exists (OAI-PMH with a resumption token), ``oai_pages`` wraps real records in the OAI-PMH
envelope, a few per page, with made-up tokens: the only thing not recorded is the paging.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from tests.conftest import shared
from tests.hf_fixtures import daily_papers_json


@dataclass
class Request:
    path: str
    params: dict[str, str]
    headers: dict[str, str]


@dataclass
class Reply:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    hold: threading.Event | None = None  # wait for this before answering


Route = Callable[[Request], Reply]


class Upstream:
    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.routes: dict[str, Route] = {}
        self.waiting = threading.Event()  # set when a held reply starts waiting
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> Upstream:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def route(self, path: str, *replies: Reply | Route) -> None:
        """Answer ``path`` with ``replies`` in turn (the last one repeats); a callable gets the request."""
        queue = list(replies)

        def answer(request: Request) -> Reply:
            reply = queue.pop(0) if len(queue) > 1 else queue[0]
            return reply(request) if callable(reply) else reply

        self.routes[path] = answer

    def hits(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]

    def env(self) -> dict[str, str]:
        """Settings for a subprocess: every source at this server, no pauses between requests."""
        return {
            "PAPERFEED_ARXIV_OAI_URL": self.url("/oai"),
            "PAPERFEED_ARXIV_API_URL": self.url("/api/query"),
            "PAPERFEED_ARXIV_RSS_URL": self.url("/rss"),
            "PAPERFEED_HF_API_URL": self.url("/hfapi"),
            "PAPERFEED_ARXIV_HTML_URL": self.url("/html"),
            "PAPERFEED_ARXIV_MIN_INTERVAL": "0",
            "PAPERFEED_HTTP_MIN_INTERVAL": "0",
            "PAPERFEED_HTTP_BACKOFF": "0",
        }


def _handler_for(upstream: Upstream) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            params = {name: values[-1] for name, values in parse_qs(parts.query, keep_blank_values=True).items()}
            request = Request(parts.path, params, dict(self.headers.items()))
            upstream.requests.append(request)
            route = upstream.routes.get(parts.path)
            reply = route(request) if route else Reply(b"no route", 404)
            if reply.hold is not None:
                upstream.waiting.set()
                reply.hold.wait(30)
            self.send_response(reply.status)
            for name, value in {"Content-Length": str(len(reply.body)), **reply.headers}.items():
                self.send_header(name, value)
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client was killed
                self.wfile.write(reply.body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


# --- OAI-PMH -------------------------------------------------------------------------------

OAI_DC_RECORDS = ("arxiv-quantph-oaidc-1992-2016", "raw_listrecords", "xmltest2.xml")
_RECORD = re.compile(rb"<record>.*?</record>", re.DOTALL)
_ENVELOPE = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" '
    b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
    b"<responseDate>2016-06-26T00:00:00Z</responseDate>\n"
    b'<request verb="ListRecords">http://export.arxiv.org/oai2</request>\n'
)


def oai_dc_records(count: int) -> list[bytes]:
    """The first ``count`` real oai_dc records of the 2,000 in xmltest2.xml."""
    return _RECORD.findall(shared(*OAI_DC_RECORDS).read_bytes())[:count]


def record_ids(records: list[bytes]) -> list[str]:
    return [re.search(rb"oai:arXiv.org:(\S+?)</identifier>", r).group(1).decode() for r in records]  # type: ignore[union-attr]


def oai_pages(records: list[bytes], per_page: int) -> list[bytes]:
    """Real records in the OAI-PMH envelope, ``per_page`` a page, tokens ``page-1``, ``page-2``...

    Like arXiv, every page but the last ends with a token; the last has an empty one.
    """
    chunks = [records[i : i + per_page] for i in range(0, len(records), per_page)]
    pages = []
    for number, chunk in enumerate(chunks):
        token = f"page-{number + 1}".encode() if number < len(chunks) - 1 else b""
        cursor = str(number * per_page).encode()
        pages.append(
            _ENVELOPE
            + b"<ListRecords>\n"
            + b"\n".join(chunk)
            + b'\n<resumptionToken cursor="'
            + cursor
            + b'" completeListSize="'
            + str(len(records)).encode()
            + b'">'
            + token
            + b"</resumptionToken>\n</ListRecords>\n</OAI-PMH>\n"
        )
    return pages


def oai_error(code: str, message: str) -> bytes:
    """An OAI-PMH error answer, as the protocol defines it (no such recording is stored)."""
    return _ENVELOPE + f'<error code="{code}">{message}</error>\n</OAI-PMH>\n'.encode()


def serve_oai_pages(pages: list[bytes], holds: dict[int, threading.Event] | None = None) -> Route:
    """Answer ListRecords from ``pages``: the first without a token, page N+1 for ``page-N``."""

    def answer(request: Request) -> Reply:
        token = request.params.get("resumptionToken")
        if token is None:
            index = 0
        elif re.fullmatch(r"page-\d+", token) and int(token[5:]) < len(pages):
            index = int(token[5:])
        else:
            return Reply(oai_error("badResumptionToken", f"unknown token {token}"))
        return Reply(pages[index], hold=(holds or {}).get(index))

    return answer


def serve_oai_by_datestamp(
    records: list[bytes], per_page: int, fail: Callable[[Request], Reply | None] | None = None
) -> Route:
    """ListRecords as arXiv answers it: the records whose datestamp is within ``from``/``until``, paged.

    Tokens name the range and the next page (``2007-05-01/2007-05-31/2``); a range with no
    record is ``noRecordsMatch``. ``fail`` may answer a request instead (a 503, an expired token).
    """

    def answer(request: Request) -> Reply:
        if fail is not None and (reply := fail(request)) is not None:
            return reply
        token = request.params.get("resumptionToken")
        if token is not None:
            start, end, page = token.split("/")
        else:
            start, end, page = request.params.get("from", ""), request.params.get("until", ""), "0"
        chosen = [r for r in records if (start or "0") <= _datestamp(r) <= (end or "9")]
        if not chosen:
            return Reply(oai_error("noRecordsMatch", "no records in the range"))
        pages = oai_pages(chosen, per_page)
        body = pages[int(page)]
        if int(page) < len(pages) - 1:
            body = body.replace(f">page-{int(page) + 1}<".encode(), f">{start}/{end}/{int(page) + 1}<".encode())
        return Reply(body)

    return answer


def _datestamp(record: bytes) -> str:
    return re.search(rb"<datestamp>(.*?)</datestamp>", record).group(1).decode()  # type: ignore[union-attr]


# --- arXiv API -----------------------------------------------------------------------------


def _recording_key(params: dict[str, str]) -> tuple[str, ...]:
    return tuple(params.get(name, "") for name in ("search_query", "id_list", "start", "max_results"))


def arxiv_api_recordings() -> Route:
    """Answer /api/query from arxiv-api-atom-arxivpy/current: matched by query, ids, start and size."""
    recordings = {}
    for path in shared("arxiv-api-atom-arxivpy", "current").glob("*.json"):
        recorded = json.loads(path.read_text(encoding="utf-8"))
        query = {k: v[-1] for k, v in parse_qs(urlsplit(recorded["url"]).query, keep_blank_values=True).items()}
        recordings[_recording_key(query)] = Reply(recorded["body"].encode("utf-8"), recorded["status_code"])

    def answer(request: Request) -> Reply:
        return recordings.get(_recording_key(request.params), Reply(b"not recorded", 404))

    return answer


# --- Hugging Face ----------------------------------------------------------------------------

HF_DAYS = sorted(p.stem for p in shared("hf-daily-papers-hfbot-2026-02", "dates").glob("*.json"))


def _iso_week(day: str) -> str:
    year, week, _ = dt.date.fromisoformat(day).isocalendar()
    return f"{year}-W{week:02d}"


def hf_items(params: dict[str, str]) -> list[object]:
    """The day's, ISO week's or month's papers, from the real records of each day."""
    if "date" in params:
        days = [params["date"]] if params["date"] in HF_DAYS else []
    elif "week" in params:
        days = [d for d in HF_DAYS if _iso_week(d) == params["week"]]
    else:
        days = [d for d in HF_DAYS if d.startswith(params.get("month", "?"))]
    return [item for day in days for item in json.loads(daily_papers_json(day))]


def serve_hf(items: Callable[[dict[str, str]], list[object]] = hf_items) -> Route:
    """Answer /hfapi/daily_papers with ``limit`` items of page ``p`` (0-based)."""

    def answer(request: Request) -> Reply:
        limit, page = int(request.params.get("limit", 50)), int(request.params.get("p", 0))
        chosen = items(request.params)[page * limit : (page + 1) * limit]
        return Reply(json.dumps(chosen).encode(), headers={"Content-Type": "application/json"})

    return answer
