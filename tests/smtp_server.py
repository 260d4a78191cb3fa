"""A real SMTP server on 127.0.0.1 for tests (aiosmtpd): mail arrives over the wire.

    with SmtpServer() as server:
        ...send to 127.0.0.1:server.port...
        server.messages            # email.message.EmailMessage objects, in arrival order
        server.replies.append("451 4.3.0 try again later")   # the next DATA gets this reply
        server.refuse["bob@example.org"] = "550 5.1.1 no such user"  # RCPT refused
        server.hold(after=2)        # the 3rd DATA waits until server.release(); see hold

Use the ``smtp_server`` fixture (tests/conftest.py), or ``smtp_settings`` to point Django's
SMTP backend at it.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import threading
from email.message import EmailMessage
from types import TracebackType
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Recorder:
    """aiosmtpd handler: records what it accepts, answers what the test scripted."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.replies: list[str] = []
        self.refuse: dict[str, str] = {}
        self.held = threading.Event()  # set while a DATA is being held
        self._hold_at: int | None = None  # hold the DATA that arrives when this many were accepted
        self._release = threading.Event()
        self.lock = threading.Lock()

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:  # noqa: N802 (aiosmtpd hook name)
        reply = self.refuse.get(address.lower())
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd hook name)
        with self.lock:
            hold = self._hold_at is not None and len(self.messages) >= self._hold_at
            if hold:
                self._hold_at = None
            scripted = None if hold or not self.replies else self.replies.pop(0)
        if hold:
            self.held.set()
            while not self._release.is_set():
                await asyncio.sleep(0.02)
            # The sender vanished while we held its message: a real server that has not yet
            # answered 250 has not taken responsibility for it either.
            return "451 4.4.2 connection lost before the message was accepted"
        if scripted:
            return scripted
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)  # type: ignore[arg-type]
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self) -> None:
        self.handler = Recorder()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def messages(self) -> list[EmailMessage]:
        with self.handler.lock:
            return list(self.handler.messages)

    @property
    def replies(self) -> list[str]:
        return self.handler.replies

    @property
    def refuse(self) -> dict[str, str]:
        return self.handler.refuse

    def hold(self, after: int = 0) -> threading.Event:
        """Hold the DATA that comes once ``after`` messages were accepted, until ``release()``,
        then refuse it with a 4xx (its sender is gone by then); returns the "held" event."""
        with self.handler.lock:
            self.handler._hold_at = after
        return self.handler.held

    def release(self) -> None:
        self.handler._release.set()

    def env(self) -> dict[str, str]:
        """Environment for a `paperfeed` subprocess to send here."""
        return {"PAPERFEED_EMAIL_HOST": "127.0.0.1", "PAPERFEED_EMAIL_PORT": str(self.port)}

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.release()
        self.controller.stop()
