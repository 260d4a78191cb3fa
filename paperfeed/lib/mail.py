"""Sending email: SMTP with its errors sorted into transient and permanent, and the outbox.

No web request talks to SMTP. A request that wants an email sent (a subscription's
confirmation, a password reset) calls ``queue_mail``: a row in ``OutboundMail`` that the
worker's ``send-mail`` job sends with ``send_queued_mail``, retrying transient failures with
backoff like digests. A slow or failing SMTP server never holds a web process, and the
response is the same whether or not a mail was queued.

Nobody can use the site to flood an address: at most PAPERFEED_MAIL_PER_RECIPIENT mails of one
kind reach one address in 24 hours, none while another of that kind waits to be sent, and one
client address may ask for at most PAPERFEED_MAIL_PER_CLIENT mails an hour.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import random
import smtplib
from collections.abc import Mapping

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import make_msgid
from django.db import transaction
from django.utils import timezone

from paperfeed.lib.claims import claim_one
from paperfeed.lib.models import OutboundMail
from paperfeed.lib.ratelimit import RateLimited, lock_key, take

log = logging.getLogger(__name__)
DAY = dt.timedelta(hours=24)


class TransientError(Exception):
    """Try again later: a 4xx reply, a dropped or refused connection, a timeout."""


class PermanentError(Exception):
    """The server refused for good (5xx): counts against the address."""


def new_message_id(kind: str = "mail") -> str:
    domain = str(settings.DEFAULT_FROM_EMAIL).rpartition("@")[2].strip(">") or "paperfeed"
    return make_msgid(kind, domain=domain)


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


# The outbox ---------------------------------------------------------------------------------


def queue_mail(
    kind: str,
    to: str,
    subject: str,
    text: str,
    html: str = "",
    headers: Mapping[str, str] | None = None,
    client: str = "",
) -> bool:
    """Queue one email for the worker; False (nothing queued, no error) when a limit says no.

    Callers answer the same either way, so the answer reveals nothing about the address.
    """
    to = to.strip().lower()
    try:
        if client:
            take("mail", f"client:{client}")
    except RateLimited:
        log.info("mail %s to %s not queued: client %s over its limit", kind, to, client)
        return False
    with transaction.atomic():  # count and insert as one step: racing requests see each other
        lock_key("mail", f"{kind}:{to}")
        if not _recipient_has_room(kind, to):
            log.info("mail %s to %s not queued: recipient limit", kind, to)
            return False
        now = timezone.now()
        OutboundMail.objects.create(
            kind=kind,
            to=to,
            subject=subject,
            text=text,
            html=html,
            headers={"Message-ID": new_message_id(kind), **(headers or {})},
            next_try_at=now,
            created_at=now,
        )
    return True


def _recipient_has_room(kind: str, to: str) -> bool:
    mine = OutboundMail.objects.filter(kind=kind, to=to)
    if mine.filter(state__in=[OutboundMail.PENDING, OutboundMail.SENDING]).exists():
        return False
    recent = mine.filter(created_at__gt=timezone.now() - DAY).exclude(state=OutboundMail.CANCELLED)
    return recent.count() < settings.MAIL_PER_RECIPIENT


def claim_mail() -> OutboundMail | None:
    """Take one due mail: only the worker that changed the row sends it (lib/claims.py)."""
    lease = dt.timedelta(seconds=settings.DIGEST_LEASE)
    return claim_one(OutboundMail, OutboundMail.PENDING, OutboundMail.SENDING, lease)


def message_of(mail: OutboundMail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        mail.subject, mail.text, settings.DEFAULT_FROM_EMAIL, [mail.to], headers=dict(mail.headers)
    )
    if mail.html:
        message.attach_alternative(mail.html, "text/html")
    return message


def handle_one_mail(connection: BaseEmailBackend) -> str | None:
    """Send one due mail; its new state, or None when none is due."""
    mail = claim_mail()
    if mail is None:
        return None
    try:
        send(message_of(mail), connection)
    except TransientError as error:
        return _retry(mail, str(error))
    except PermanentError as error:
        return _finish(mail, OutboundMail.FAILED, last_error=str(error))
    return _finish(mail, OutboundMail.SENT, sent_at=timezone.now())


def _retry(mail: OutboundMail, error: str) -> str:
    if mail.attempts > settings.DIGEST_RETRIES:
        return _finish(mail, OutboundMail.FAILED, last_error=f"gave up after {mail.attempts} attempts: {error}")
    delay = settings.DIGEST_RETRY_DELAY * 2 ** (mail.attempts - 1) * (1 + random.random() / 2)
    when = timezone.now() + dt.timedelta(seconds=delay)
    return _finish(mail, OutboundMail.PENDING, next_try_at=when, last_error=error)


def _finish(mail: OutboundMail, state: str, **fields: object) -> str:
    OutboundMail.objects.filter(pk=mail.pk, state=OutboundMail.SENDING).update(state=state, lease_until=None, **fields)
    return state


def send_queued_mail(connection: BaseEmailBackend | None = None, most: int = 500) -> dict[str, int]:
    """Send due mails (at most ``most``) over one connection; counts by new state."""
    counts: dict[str, int] = {}
    own = connection is None
    connection = connection or open_connection()
    try:
        for _ in range(most):
            state = handle_one_mail(connection)
            if state is None:
                break
            counts[state] = counts.get(state, 0) + 1
    finally:
        if own:
            _close(connection)
    return counts
