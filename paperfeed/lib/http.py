"""The one HTTP client for all outbound requests: polite, patient and testable.

- a descriptive User-Agent with a contact address;
- a minimum interval between two requests to the same host (arXiv asks for 3 s);
- timeouts, and retries with exponential backoff and jitter on 429, 5xx and connection
  errors, honouring ``Retry-After`` (seconds or an HTTP date);
- an injectable ``sleep``, ``clock`` and ``wall_clock`` so tests record the pauses instead
  of waiting them.

It knows nothing of Django: ``paperfeed.papers.sources.make_client`` builds it from settings.
"""

from __future__ import annotations

import datetime as dt
import random
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
        self, url: str, params: Mapping[str, str | int] | None = None, *, accept: tuple[int, ...] = (200,)
    ) -> httpx.Response:
        """The response to GET ``url``; statuses outside ``accept`` that are not retried raise HttpError."""
        attempts = self.politeness.retries + 1
        last = "no response"
        last_status: int | None = None
        for attempt in range(attempts):
            self._wait_for_host(url)
            try:
                response = self._http.get(url, params=params)
            except httpx.TransportError as error:
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


def parse_retry_after(value: str | None, now: dt.datetime) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delay-seconds or an HTTP date; None if absent or bad."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, float((when - now).total_seconds()))
