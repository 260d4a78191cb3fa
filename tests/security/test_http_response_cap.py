"""Huge upstream responses: a body streamed without end (chunked), one whose Content-Length lies
about it, one that declares more than the cap, and a gzip bomb. The one HTTP client stops reading
at the cap and fails with an error naming the URL and the cap; the server shows how much it sent."""

from __future__ import annotations

import contextlib
import gzip
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from paperfeed.lib.http import HttpClient, Politeness, ResponseTooLarge
from paperfeed.papers.sources import make_client

MiB = 2**20
CAP = 1 * MiB
ENDLESS = 512 * MiB  # what the server would send if nobody stopped it
CHUNK = b"x" * (64 * 1024)


@dataclass
class Streamer:
    """A loopback server whose every path streams ``ENDLESS`` bytes; it counts what it got out."""

    headers: dict[str, str] = field(default_factory=dict)
    chunked: bool = True
    body: bytes | None = None  # a fixed body instead of the endless one
    sent: int = 0
    done: threading.Event = field(default_factory=threading.Event)

    def serve(self) -> Iterator[str]:
        streamer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                self.send_response(200)
                for name, value in streamer.headers.items():
                    self.send_header(name, value)
                if streamer.chunked:
                    self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                try:
                    streamer.stream(self.wfile)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client hung up: what we hoped for
                finally:
                    streamer.done.set()
                    self.close_connection = True

            def log_message(self, format: str, *args: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/listing"
        finally:
            server.shutdown()
            server.server_close()

    def stream(self, out: object) -> None:
        write = out.write  # type: ignore[attr-defined]
        if self.body is not None:
            write(self.body)
            self.sent += len(self.body)
            return
        while self.sent < ENDLESS:
            write(b"%x\r\n%s\r\n" % (len(CHUNK), CHUNK) if self.chunked else CHUNK)
            self.sent += len(CHUNK)
        if self.chunked:
            write(b"0\r\n\r\n")


def client(**politeness: object) -> HttpClient:
    options: dict[str, object] = {"user_agent": "paperfeed-test", "retries": 2, "min_interval": 0.0, **politeness}
    return HttpClient(Politeness(**options), sleep=lambda seconds: None)  # type: ignore[arg-type]


@contextlib.contextmanager
def streaming(streamer: Streamer) -> Iterator[str]:
    yield from streamer.serve()


def test_an_endless_chunked_body_is_cut_off_at_the_cap_with_an_error_naming_url_and_cap() -> None:
    streamer = Streamer()
    with streaming(streamer) as url:
        http = client(max_bytes=CAP)
        with pytest.raises(ResponseTooLarge) as raised:
            http.get(url)
        http.close()
        assert streamer.done.wait(60)
    assert str(raised.value) == f"GET {url}: the response is larger than {CAP:,} bytes"
    assert raised.value.url == url
    assert streamer.sent < 64 * MiB, f"the server got {streamer.sent / MiB:.0f} MiB out before the client stopped"


def test_a_content_length_over_the_cap_is_refused_before_the_body_is_read() -> None:
    streamer = Streamer(headers={"Content-Length": str(ENDLESS)}, chunked=False)
    with streaming(streamer) as url:
        http = client(max_bytes=CAP)
        with pytest.raises(ResponseTooLarge):
            http.get(url)
        http.close()
        assert streamer.done.wait(60)
    assert streamer.sent < 64 * MiB


def test_a_content_length_that_lies_low_is_read_no_further_than_it_says() -> None:
    streamer = Streamer(headers={"Content-Length": "1000"}, chunked=False)
    with streaming(streamer) as url:
        http = client(max_bytes=CAP)
        assert len(http.get(url).content) == 1000
        http.close()
        assert streamer.done.wait(60)
    assert streamer.sent < 64 * MiB


def test_a_gzip_bomb_is_measured_after_decompression() -> None:
    bomb = gzip.compress(b"\0" * (8 * MiB))
    assert len(bomb) < CAP // 10
    streamer = Streamer(
        headers={"Content-Encoding": "gzip", "Content-Length": str(len(bomb))}, chunked=False, body=bomb
    )
    with streaming(streamer) as url, pytest.raises(ResponseTooLarge):
        client(max_bytes=CAP).get(url)


def test_one_call_may_allow_more_than_the_clients_cap() -> None:
    body = b"y" * (2 * CAP)
    streamer = Streamer(headers={"Content-Length": str(len(body))}, chunked=False, body=body)
    with streaming(streamer) as url:
        http = client(max_bytes=CAP)
        response = http.get(url, max_bytes=4 * CAP)
        assert response.content == body and response.headers["Content-Length"] == str(len(body))


def test_the_client_from_settings_takes_its_cap_from_paperfeed_http_max_bytes(settings) -> None:
    settings.HTTP_MAX_BYTES = 12345
    assert make_client().politeness.max_bytes == 12345
