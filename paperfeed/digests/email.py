"""The one email module: every kind of email is three templates (subject, text, HTML).

Templates live in ``digests/email/<kind>_subject.txt``, ``<kind>.txt`` and ``<kind>.html``.
The HTML is rendered with autoescape; the text templates switch it off for themselves (plain
text has nothing to escape). Scheduled mail carries ``List-Unsubscribe`` and
``List-Unsubscribe-Post`` (RFC 8058) with a signed one-click URL.
"""

from __future__ import annotations

import contextlib
import smtplib
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import make_msgid
from django.template.loader import render_to_string

from paperfeed.digests import links
from paperfeed.digests.models import Subscription


class TransientError(Exception):
    """Try again later: a 4xx reply, a dropped or refused connection, a timeout."""


class PermanentError(Exception):
    """The server refused for good (5xx): counts against the address."""


def render(kind: str, context: Mapping[str, Any]) -> tuple[str, str, str]:
    """(subject, text, html) of email ``kind``."""
    subject = render_to_string(f"digests/email/{kind}_subject.txt", context)
    text = render_to_string(f"digests/email/{kind}.txt", context)
    html = render_to_string(f"digests/email/{kind}.html", context)
    return " ".join(subject.split()), text, html


def new_message_id() -> str:
    domain = str(settings.DEFAULT_FROM_EMAIL).rpartition("@")[2].strip(">") or "paperfeed"
    return make_msgid("digest", domain=domain)


def build(
    kind: str, subscription: Subscription, context: Mapping[str, Any], message_id: str | None = None
) -> EmailMultiAlternatives:
    """The message of ``kind`` to ``subscription``; scheduled kinds get the unsubscribe headers."""
    full = {
        "subscription": subscription,
        "manage_url": links.manage_url(subscription),
        "unsubscribe_url": links.unsubscribe_url(subscription),
        **context,
    }
    subject, text, html = render(kind, full)
    headers = {"Message-ID": message_id or new_message_id()}
    if kind != "confirm":
        headers["List-Unsubscribe"] = f"<{links.one_click_url(subscription)}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [subscription.email], headers=headers)
    message.attach_alternative(html, "text/html")
    return message


def open_connection() -> BaseEmailBackend:
    connection: BaseEmailBackend = get_connection(fail_silently=False)
    return connection


def send(message: EmailMultiAlternatives, connection: BaseEmailBackend) -> None:
    """Send one message; raises TransientError or PermanentError, closing a broken connection."""
    try:
        connection.open()  # kept open across messages: send_messages alone opens and closes each time
        connection.send_messages([message])
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _ in error.recipients.values()]
        _close(connection)
        raise (TransientError if all(400 <= c < 500 for c in codes) else PermanentError)(str(error)) from error
    except smtplib.SMTPResponseException as error:
        _close(connection)
        raise (TransientError if 400 <= error.smtp_code < 500 else PermanentError)(
            f"{error.smtp_code} {error.smtp_error!r}"
        ) from error
    except (TimeoutError, smtplib.SMTPException, OSError) as error:
        _close(connection)
        raise TransientError(f"{type(error).__name__}: {error}") from error


def _close(connection: BaseEmailBackend) -> None:
    with contextlib.suppress(Exception):  # already broken: the next send opens a new one
        connection.close()
