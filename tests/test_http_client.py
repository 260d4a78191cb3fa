"""paperfeed.lib.http: the one HTTP client, against a real loopback server; pauses are recorded, never slept."""

from __future__ import annotations

import datetime as dt
import socket
import threading
from email.utils import format_datetime

import pytest

from paperfeed.lib.http import HttpClient, HttpError, Politeness, RetriesExhausted, Unreachable, parse_retry_after
from paperfeed.papers.sources import make_client
from tests.upstream_server import Reply

NOW = dt.datetime(2026, 2, 2, 12, 0, tzinfo=dt.UTC)


class FakeTime:
    """A monotonic clock that only moves when something sleeps; keeps every pause asked for."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


def client(time: FakeTime, jitter: float = 0.0, **politeness: object) -> HttpClient:
    options = {"user_agent": "paperfeed-test", "retries": 3, "backoff": 2.0, "min_interval": 0.0, **politeness}
    return HttpClient(
        Politeness(**options),  # type: ignore[arg-type]
        sleep=time.sleep,
        clock=time.clock,
        wall_clock=lambda: NOW,
        jitter=lambda: jitter,
    )


def test_every_request_carries_a_user_agent_with_the_contact_address(upstream, settings):
    settings.CONTACT_EMAIL = "harvest@example.org"
    upstream.route("/x", Reply(b"ok"))
    make_client().get(upstream.url("/x"))
    agent = upstream.requests[0].headers["User-Agent"]
    assert agent.startswith("paperfeed/")
    assert "mailto:harvest@example.org" in agent


def test_the_client_from_settings_waits_the_arxiv_interval_between_requests_to_an_arxiv_host(upstream, settings):
    settings.ARXIV_MIN_INTERVAL = 3.0
    upstream.route("/api/query", Reply(b"ok"))
    time = FakeTime()
    http = make_client(sleep=time.sleep, clock=time.clock)
    http.get(upstream.url("/api/query"))
    http.get(upstream.url("/api/query"))
    assert time.sleeps == [3.0]


def test_it_waits_only_for_what_is_left_of_the_interval(upstream):
    upstream.route("/x", Reply(b"ok"))
    time = FakeTime()
    http = client(time, host_intervals={"127.0.0.1": 3.0})
    http.get(upstream.url("/x"))
    time.now += 2.0  # two seconds spent parsing and storing
    http.get(upstream.url("/x"))
    time.now += 10.0
    http.get(upstream.url("/x"))
    assert time.sleeps == [pytest.approx(1.0)]
    assert len(upstream.requests) == 3


def test_a_429_with_retry_after_seconds_is_retried_after_that_many_seconds(upstream):
    upstream.route("/x", Reply(b"slow down", 429, {"Retry-After": "7"}), Reply(b"fine"))
    time = FakeTime()
    response = client(time).get(upstream.url("/x"))
    assert response.content == b"fine"
    assert time.sleeps == [7.0]
    assert len(upstream.requests) == 2


def test_a_retry_after_http_date_is_turned_into_the_seconds_until_then(upstream):
    later = format_datetime(NOW + dt.timedelta(seconds=120), usegmt=True)
    upstream.route("/x", Reply(b"", 503, {"Retry-After": later}), Reply(b"fine"))
    time = FakeTime()
    assert client(time).get(upstream.url("/x")).content == b"fine"
    assert time.sleeps == [120.0]


def test_a_retry_after_longer_than_the_longest_delay_is_cut_to_it(upstream):
    upstream.route("/x", Reply(b"", 429, {"Retry-After": "86400"}), Reply(b"fine"))
    time = FakeTime()
    client(time, max_delay=600.0).get(upstream.url("/x"))
    assert time.sleeps == [600.0]


def test_a_5xx_storm_backs_off_exponentially_then_fails_naming_the_url_and_the_last_status(upstream):
    upstream.route("/x", Reply(b"busy", 503))
    time = FakeTime()
    with pytest.raises(RetriesExhausted) as raised:
        client(time).get(upstream.url("/x"), {"q": "cs"})
    assert time.sleeps == [2.0, 4.0, 8.0]
    assert len(upstream.requests) == 4
    assert raised.value.status == 503
    assert upstream.url("/x") in str(raised.value)
    assert "HTTP 503" in str(raised.value)


def test_backoff_adds_up_to_half_again_as_jitter(upstream):
    upstream.route("/x", Reply(b"", 500), Reply(b"", 502), Reply(b"ok"))
    time = FakeTime()
    client(time, jitter=1.0).get(upstream.url("/x"))
    assert time.sleeps == [3.0, 6.0]


def _closing_server() -> tuple[socket.socket, threading.Thread]:
    """A loopback server that accepts each connection and closes it at once (a dropped connection)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()

    def serve() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return server, thread


def test_dropped_connections_are_retried_then_reported():
    server, thread = _closing_server()
    port = server.getsockname()[1]
    time = FakeTime()
    try:
        with pytest.raises(RetriesExhausted) as raised:
            client(time, retries=2).get(f"http://127.0.0.1:{port}/oai")
    finally:
        server.close()
        thread.join(timeout=5)
    assert len(time.sleeps) == 2
    assert "gave up after 3 attempts, last: " in str(raised.value)  # RemoteProtocolError or ReadError (reset)
    assert raised.value.status is None


def test_a_refused_connection_fails_at_once_as_unreachable():
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    time = FakeTime()
    with pytest.raises(Unreachable) as raised:
        client(time, retries=4).get(f"http://127.0.0.1:{port}/oai")
    assert time.sleeps == []
    assert str(raised.value) == "offline: 127.0.0.1 unreachable (connection refused)"
    assert raised.value.host == "127.0.0.1"


def test_a_name_that_does_not_resolve_fails_at_once_as_unreachable():
    time = FakeTime()
    with pytest.raises(Unreachable) as raised:
        client(time, retries=4).get("http://no-such-host.invalid/oai")  # .invalid never resolves (RFC 2606)
    assert time.sleeps == []
    assert str(raised.value) == "offline: no-such-host.invalid unreachable (no DNS)"


def test_a_client_error_is_not_retried(upstream):
    upstream.route("/x", Reply(b"gone", 404))
    time = FakeTime()
    with pytest.raises(HttpError) as raised:
        client(time).get(upstream.url("/x"))
    assert not isinstance(raised.value, RetriesExhausted)
    assert raised.value.status == 404
    assert len(upstream.requests) == 1
    assert time.sleeps == []


def test_a_status_the_caller_accepts_is_returned_not_raised(upstream):
    upstream.route("/x", Reply(b"error feed", 400))
    assert client(FakeTime()).get(upstream.url("/x"), accept=(200, 400)).status_code == 400


@pytest.mark.parametrize("value", [None, "", "soon", "-5"])
def test_an_absent_or_unreadable_retry_after_gives_no_delay(value):
    assert parse_retry_after(value, NOW) is None


def test_a_retry_after_date_in_the_past_means_now():
    assert parse_retry_after(format_datetime(NOW - dt.timedelta(hours=1), usegmt=True), NOW) == 0.0
