"""Digests asked for now, off the schedule: a preview that changes nothing, and "send it now".

A preview composes what a digest made now would hold (papers of the current period not yet
received) and renders the very email, writing nothing. Sending now creates a Delivery whose
period is ``now-<unix seconds>`` (so it never takes the place of a scheduled period's digest)
and whose slot is now; the worker's usual step (``handle_one_delivery``) sends it, recording its
papers in DeliveredPaper and its Message-ID before the SMTP call like any digest. The
subscription's ``next_digest_at`` is left alone: the scheduled digest still comes, without the
papers already sent.

From the manage page a subscriber may ask at most ``SEND_NOW_PER_DAY`` times in 24 hours, and
not while an earlier request still waits for the worker; the CLI has no daily cap. A digest
that would hold nothing is refused (``NothingToSend``), and the preview says so, naming the
window's real dates and the newest day that has papers (on a copy of old data, months back).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from paperfeed.digests import email
from paperfeed.digests.compose import compose_digest
from paperfeed.digests.contents import email_context, layout_of, shown_sections
from paperfeed.digests.delivery import Outcome, handle_one_delivery
from paperfeed.digests.models import Delivery, Subscription
from paperfeed.digests.windows import Window
from paperfeed.lib.ratelimit import lock_key
from paperfeed.papers.visible import latest_day

SEND_NOW_PER_DAY = 3
NOW_PREFIX = "now-"


class SendNowRefused(Exception):
    """Not sent: the message says why (not active, a request still waiting, the daily cap)."""


class NothingToSend(SendNowRefused):
    """Not sent: no paper in the window is new to the subscriber and wanted."""


def find_subscription(address: str) -> Subscription | None:
    return Subscription.objects.filter(email=address.strip().lower()).first()


@dataclass
class Preview:
    message: EmailMultiAlternatives
    count: int
    window: Window

    @property
    def html(self) -> str:
        return next(str(body) for body, mimetype in self.message.alternatives if mimetype == "text/html")

    @property
    def empty_because(self) -> str:
        """Why the digest holds nothing ("" when it holds papers)."""
        return "" if self.count else nothing_matched(self.window)


def preview_digest(subscription: Subscription) -> Preview:
    """The email a digest made now would be: composed and rendered, nothing written."""
    now = timezone.now()
    window = Window.ending_at(subscription, now)
    shown = shown_sections(layout_of(compose_digest(subscription, now)))  # as deliver() renders them
    context = email_context(shown, window)
    return Preview(email.build("digest", subscription, context), sum(len(s.items) for s in shown), window)


def nothing_matched(window: Window) -> str:
    """``no papers matched between 28 Nov 2026 and 1 Dec 2026: the newest papers here are from 2 Jun 2026``."""
    said = f"no papers matched between {day_label(window.first_day)} and {day_label(window.last_day)}"
    newest = latest_day()
    if newest is None:
        return f"{said}: there are no papers here yet"
    if newest < window.first_day:
        return f"{said}: the newest papers here are from {day_label(newest)}"
    return f"{said}: none of those days' papers is both in what you follow and new to you"


def day_label(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def request_digest_now(subscription: Subscription, per_day: int | None = SEND_NOW_PER_DAY) -> Delivery:
    """A pending Delivery for now, which the worker sends; SendNowRefused when it may not be made."""
    if subscription.status != Subscription.ACTIVE:
        raise SendNowRefused(f"{subscription.email} is {subscription.status}: no digest is sent to it")
    now = timezone.now()
    if not compose_digest(subscription, now):  # the worker composes it again when it sends
        raise NothingToSend(f"nothing to send: {nothing_matched(Window.ending_at(subscription, now))}")
    with transaction.atomic():  # check and create as one step, or two clicks at once both pass
        lock_key("digest-now", str(subscription.pk))
        _check_allowed(subscription, now, per_day)
        try:
            with transaction.atomic():
                return Delivery.objects.create(
                    subscription=subscription,
                    period=f"{NOW_PREFIX}{int(now.timestamp())}",
                    scheduled_for=now,
                    next_attempt_at=now,
                    created_at=now,
                )
        except IntegrityError:  # one in this very second already
            raise SendNowRefused("a digest was just made for this address; try again in a moment") from None


def _check_allowed(subscription: Subscription, now: dt.datetime, per_day: int | None) -> None:
    asked = Delivery.objects.filter(subscription=subscription, period__startswith=NOW_PREFIX)
    if asked.exclude(state__in=Delivery.FINAL).exists():
        raise SendNowRefused("a digest asked for earlier is still on its way")
    if per_day is not None and asked.filter(created_at__gt=now - dt.timedelta(days=1)).count() >= per_day:
        raise SendNowRefused(f"at most {per_day} digests on request a day; the next scheduled one still comes")


def send_digest_now(subscription: Subscription, worker: str, connection: BaseEmailBackend | None = None) -> Outcome:
    """Make the Delivery and send it at once, through the worker's own step (the CLI's send-now)."""
    delivery = request_digest_now(subscription, per_day=None)
    connection = connection or email.open_connection()
    try:
        outcome = handle_one_delivery(worker, connection, only=Q(pk=delivery.pk))
    finally:
        connection.close()
    return outcome or Outcome(delivery, Delivery.SENDING, "a worker took it first and is sending it")
