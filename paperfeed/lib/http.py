"""The one HTTP client for all outbound requests: polite, patient and testable.

- a descriptive User-Agent with a contact address;
- a minimum interval between two requests to the same host (arXiv asks for 3 s);
- timeouts, and retries with exponential backoff and jitter on 429, 5xx and connection
  errors, honouring ``Retry-After`` (seconds or an HTTP date);
- no retries when the host is unreachable (its name does not resolve, or the connection is
  refused): ``Unreachable`` at once, so an offline machine fails in a second, not in minutes;
- a cap on every response body (``Politeness.max_bytes``, or ``max_bytes`` per call): the body
  is streamed and the request fails with ``ResponseTooLarge`` as soon as it passes the cap
  (a Content-Length over the cap fails before the body is read);
- an injectable ``sleep``, ``clock`` and ``wall_clock`` so tests record the pauses instead
  of waiting them.

It knows nothing of Django: ``paperfeed.papers.sources.make_client`` builds it from settings.
"""

from __future__ import annotations

import datetime as dt
import random
import socket
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import httpx

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class HttpError(Exception):
    """A request that did not give a usable response; names the URL and the last status."""

    def __init__(self, message: str, url: str, status: int | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.status = status


class RetriesExhausted(HttpError):
    """Every attempt met a retryable failure (429, 5xx or a connection error)."""


class Unreachable(HttpError):
    """The host's name does not resolve or it refuses the connection: not worth retrying now."""

    def __init__(self, url: str, reason: str) -> None:
        self.host = urlsplit(url).hostname or url
        super().__init__(f"offline: {self.host} unreachable ({reason})", url)
        self.reason = reason


class ResponseTooLarge(HttpError):
    """The response body is larger than the cap; never retried (the next answer would be as large)."""


@dataclass
class Politeness:
    """How the client treats upstream servers."""

    user_agent: str
    timeout: float = 30.0
    retries: int = 4
    backoff: float = 2.0
    max_delay: float = 300.0
    min_interval: float = 1.0
    host_intervals: Mapping[str, float] = field(default_factory=dict)
    max_bytes: int = 64 * 2**20

    def interval_for(self, host: str) -> float:
        return self.host_intervals.get(host, self.min_interval)


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class HttpClient:
    """GET with politeness; ``sleep``, ``clock`` and ``jitter`` are injectable for tests."""

    def __init__(
        self,
        politeness: Politeness,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], dt.datetime] = _utcnow,
        jitter: Callable[[], float] = random.random,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.politeness = politeness
        self.sleep, self.clock, self.wall_clock, self.jitter = sleep, clock, wall_clock, jitter
        self._last_request: dict[str, float] = {}
        self._http = httpx.Client(
            headers={"User-Agent": politeness.user_agent},
            timeout=politeness.timeout,
            follow_redirects=True,
            transport=transport,
        )

    def close(self) -> None:
        self._http.close()

    def get(
        self,
        url: str,
        params: Mapping[str, str | int] | None = None,
        *,
        accept: tuple[int, ...] = (200,),
        max_bytes: int | None = None,
    ) -> httpx.Response:
        """The response to GET ``url``; statuses outside ``accept`` that are not retried raise HttpError.

        A body over ``max_bytes`` (default: the politeness's ``max_bytes``) raises ResponseTooLarge.
        """
        cap = self.politeness.max_bytes if max_bytes is None else max_bytes
        attempts = self.politeness.retries + 1
        last = "no response"
        last_status: int | None = None
        for attempt in range(attempts):
            self._wait_for_host(url)
            try:
                response = self._get_capped(url, params, accept, cap)
            except httpx.TransportError as error:
                reason = unreachable_reason(error)
                if reason:
                    raise Unreachable(url, reason) from error
                last, last_status = f"{type(error).__name__}: {error}", None
                delay = self._backoff(attempt)
            else:
                if response.status_code in accept:
                    return response
                if response.status_code not in RETRY_STATUSES:
                    raise HttpError(
                        f"GET {response.url}: HTTP {response.status_code}", str(response.url), response.status_code
                    )
                last, last_status = f"HTTP {response.status_code}", response.status_code
                delay = self._retry_after(response) or self._backoff(attempt)
            if attempt < attempts - 1:
                self.sleep(min(delay, self.politeness.max_delay))
        raise RetriesExhausted(f"GET {url}: gave up after {attempts} attempts, last: {last}", url, last_status)

    def _get_capped(
        self, url: str, params: Mapping[str, str | int] | None, accept: tuple[int, ...], cap: int
    ) -> httpx.Response:
        """The response, its body read (only for an accepted status) and never past ``cap`` bytes."""
        with self._http.stream("GET", url, params=params) as response:
            if response.status_code not in accept:
                return response
            return _read_capped(response, cap)

    def _wait_for_host(self, url: str) -> None:
        host = urlsplit(url).hostname or ""
        previous = self._last_request.get(host)
        if previous is not None:
            wait = previous + self.politeness.interval_for(host) - self.clock()
            if wait > 0:
                self.sleep(wait)
        self._last_request[host] = self.clock()

    def _backoff(self, attempt: int) -> float:
        """Exponential: backoff, 2x, 4x ... with up to 50% random jitter added."""
        base = self.politeness.backoff * 2.0**attempt
        return base * (1 + 0.5 * self.jitter())

    def _retry_after(self, response: httpx.Response) -> float | None:
        return parse_retry_after(response.headers.get("Retry-After"), self.wall_clock())


def unreachable_reason(error: BaseException) -> str:
    """ "no DNS" or "connection refused" when ``error`` (or what caused it) is one of those; else ""."""
    seen: BaseException | None = error
    for _ in range(8):  # httpx wraps httpcore's error, which wraps the socket's
        if seen is None:
            break
        if isinstance(seen, socket.gaierror):
            return "no DNS"
        if isinstance(seen, ConnectionRefusedError):
            return "connection refused"
        seen = seen.__cause__ or seen.__context__
    text = str(error)
    if "Name or service not known" in text or "nodename nor servname" in text or "name resolution" in text:
        return "no DNS"
    return "connection refused" if "Connection refused" in text else ""


def _too_large(response: httpx.Response, cap: int) -> ResponseTooLarge:
    url = str(response.url)
    return ResponseTooLarge(f"GET {url}: the response is larger than {cap:,} bytes", url, response.status_code)


def _read_capped(response: httpx.Response, cap: int) -> httpx.Response:
    """A copy of the streamed ``response`` holding its whole (decoded) body, at most ``cap`` bytes."""
    declared = response.headers.get("Content-Length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > cap:
        raise _too_large(response, cap)
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > cap:
            raise _too_large(response, cap)
    dropped = {"content-encoding", "content-length", "transfer-encoding"}  # the body is decoded now
    headers = [(name, value) for name, value in response.headers.multi_items() if name.lower() not in dropped]
    return httpx.Response(
        response.status_code, headers=headers, content=bytes(body), request=response.request, history=response.history
    )


def parse_retry_after(value: str | None, now: dt.datetime) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delay-seconds or an HTTP date; None if absent or bad."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isascii() and text.isdigit():  # "²".isdigit() too
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, float((when - now).total_seconds()))
