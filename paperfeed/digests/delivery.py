"""Sending digests: two small claimed steps over rows, safe with any number of workers.

1. ``handle_one_due_subscription`` claims a due subscription by moving its ``next_digest_at``
   forward with a conditional UPDATE, and in the same transaction creates the Delivery of the
   claimed period (unique per subscription and period). A crash leaves either both or neither.
2. ``handle_one_delivery`` claims a pending Delivery (or a retry that is due, or one left
   ``sending`` by a worker whose lease ran out) by a conditional UPDATE that also counts the
   attempt. On its first attempt it writes the paper ids and a Message-ID *before* the SMTP
   call; every later attempt re-sends exactly that message. Then it records the outcome.

The remaining window (docs/digests.md): a worker that dies after the SMTP server accepted a
message but before ``sent`` is written leaves the row ``sending``; once the lease runs out the
message is sent again, with the same Message-ID and papers. That is at-least-once for a window
of one database write; everything else is exactly once.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import random
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.db import DatabaseError, transaction
from django.db import connection as db_connection
from django.db.models import F, Q
from django.utils import timezone

from paperfeed.digests import email, sources
from paperfeed.digests.compose import Section, compose_digest
from paperfeed.digests.contents import email_context, layout_of, shown_sections
from paperfeed.digests.models import DeliveredPaper, Delivery, Subscription
from paperfeed.digests.schedule import next_slot, period_of
from paperfeed.digests.windows import Window

log = logging.getLogger(__name__)
# Tries to record "sent" after the SMTP server accepted a digest (0.25 s doubling, ~16 s in all).
SENT_RECORD_ATTEMPTS = 8
BATCH = 20
SCHEDULE_FIELDS = ("id", "frequency", "timezone", "send_hour", "send_weekday", "next_digest_at")


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def due_subscriptions(now: dt.datetime) -> Q:
    return Q(status=Subscription.ACTIVE, next_digest_at__lte=now)


def handle_one_due_subscription(only: Q | None = None) -> bool:
    """Claim one due subscription and create its period's Delivery; False when none is due."""
    now = timezone.now()
    due = Subscription.objects.filter(due_subscriptions(now), only or Q()).order_by("next_digest_at", "pk")
    for subscription in due.only(*SCHEDULE_FIELDS)[:BATCH]:
        slot = subscription.next_digest_at
        assert slot is not None  # due means next_digest_at <= now
        following = next_slot(subscription, max(now, slot))
        with transaction.atomic():
            won = Subscription.objects.filter(
                pk=subscription.pk, status=Subscription.ACTIVE, next_digest_at=slot
            ).update(next_digest_at=following)
            if won != 1:
                continue  # another worker took it
            period = period_of(subscription, slot)
            row = Delivery(
                subscription=subscription, period=period, scheduled_for=slot, next_attempt_at=now, created_at=now
            )
            Delivery.objects.bulk_create([row], ignore_conflicts=True)  # the period's delivery may exist: keep it
        return True
    return False


def _claimable(now: dt.datetime) -> Q:
    waiting = Q(state__in=[Delivery.PENDING, Delivery.RETRY], next_attempt_at__lte=now)
    abandoned = Q(state=Delivery.SENDING, lease_until__lt=now)
    return waiting | abandoned


def claim_delivery(worker: str, only: Q | None = None) -> Delivery | None:
    """Take one delivery: only the worker whose UPDATE changes the row sends it."""
    now = timezone.now()
    lease = now + dt.timedelta(seconds=settings.DIGEST_LEASE)
    candidates = Delivery.objects.filter(_claimable(now), only or Q()).order_by("next_attempt_at", "pk")
    for pk, state, attempts in candidates.values_list("pk", "state", "attempts")[:BATCH]:
        won = Delivery.objects.filter(_claimable(now), pk=pk, state=state, attempts=attempts).update(
            state=Delivery.SENDING, claimed_by=worker, lease_until=lease, attempts=attempts + 1
        )
        if won == 1:
            return Delivery.objects.select_related("subscription").get(pk=pk)
    return None


@dataclass
class Outcome:
    delivery: Delivery
    state: str
    error: str = ""


def handle_one_delivery(worker: str, connection: BaseEmailBackend, only: Q | None = None) -> Outcome | None:
    """Claim and send one delivery; None when nothing is waiting."""
    delivery = claim_delivery(worker, only)
    if delivery is None:
        return None
    try:
        return deliver(delivery, connection)
    except Exception as error:  # a bug or a lost database: this digest waits, the batch goes on
        log.exception("digest %s failed", delivery.pk)
        return transient_failure(delivery, f"{type(error).__name__}: {error}")


def _mine(delivery: Delivery) -> Q:
    """The row is still ours: nobody reclaimed it after our lease ran out."""
    return Q(pk=delivery.pk, claimed_by=delivery.claimed_by, attempts=delivery.attempts, state=Delivery.SENDING)


def _finish(delivery: Delivery, state: str, **fields: object) -> Outcome:
    changed = Delivery.objects.filter(_mine(delivery)).update(state=state, lease_until=None, **fields)
    if changed != 1:
        log.warning("delivery %s was taken over by another worker; its outcome is theirs", delivery.pk)
    delivery.state = state
    return Outcome(delivery, state, str(fields.get("last_error", "")))


def deliver(delivery: Delivery, connection: BaseEmailBackend) -> Outcome:
    """Send a claimed delivery and record what happened."""
    subscription = delivery.subscription
    if subscription.status != Subscription.ACTIVE:
        release_papers(delivery)
        return _finish(delivery, Delivery.CANCELLED, last_error=f"subscription is {subscription.status}")
    sections = None
    if delivery.paper_ids is None:
        sections = record_contents(delivery)
        if sections is None:
            return Outcome(delivery, "lost", "another worker took the delivery over")
    if not delivery.paper_ids and not settings.DIGEST_SEND_EMPTY:
        return _finish(delivery, Delivery.EMPTY)
    message = email.build("digest", subscription, digest_context(delivery, sections), delivery.message_id)
    if sections is None and not renew_lease(delivery):  # just recorded: the lease was renewed with it
        return Outcome(delivery, "lost", "another worker took the delivery over")
    try:
        email.send(message, connection)
    except email.TransientError as error:
        return transient_failure(delivery, str(error))
    except email.PermanentError as error:
        return permanent_failure(delivery, str(error))
    return record_sent(delivery, subscription)


def record_sent(delivery: Delivery, subscription: Subscription, pause: Callable[[float], None] = time.sleep) -> Outcome:
    """The server accepted the message: record it, riding out a database that is briefly away.

    A database restart cuts every connection at once; giving up here would leave the row
    "sending" and the digest would go out again after the lease. Retrying (a fresh connection
    each time) shrinks the at-least-once window to a process that dies within these lines.
    """
    for attempt in range(SENT_RECORD_ATTEMPTS):
        try:
            if subscription.permanent_failures:
                Subscription.objects.filter(pk=subscription.pk).update(permanent_failures=0)
            return _finish(delivery, Delivery.SENT, sent_at=timezone.now(), last_error="")
        except DatabaseError:
            if attempt == SENT_RECORD_ATTEMPTS - 1 or not db_connection.get_autocommit():
                raise
            log.warning("digest %s was sent but not yet recorded; retrying", delivery.pk)
            db_connection.close()
            pause(min(0.25 * 2**attempt, 5.0))
    raise AssertionError("unreachable")


def renew_lease(delivery: Delivery) -> bool:
    """Right before the SMTP call: a full lease for it, or False if the row is no longer ours."""
    lease = timezone.now() + dt.timedelta(seconds=settings.DIGEST_LEASE)
    return Delivery.objects.filter(_mine(delivery)).update(lease_until=lease) == 1


def record_contents(delivery: Delivery) -> list[Section] | None:
    """Write the digest's papers and Message-ID before any SMTP call; its sections, or None if we lost the row."""
    sections = compose_digest(delivery.subscription, delivery.scheduled_for)
    wanted = [item.paper.pk for section in sections for item in section.items]
    message_id = email.new_message_id("digest")
    with transaction.atomic():
        DeliveredPaper.objects.bulk_create(
            [DeliveredPaper(subscription_id=delivery.subscription_id, paper_id=pk, delivery=delivery) for pk in wanted],
            ignore_conflicts=True,  # another digest of this subscriber got it first: it stays there
        )
        mine = set(DeliveredPaper.objects.filter(delivery=delivery).values_list("paper_id", flat=True))
        ids = [pk for pk in wanted if pk in mine]
        layout = [
            {"title": s.title, "items": [[i.paper.pk, i.reason] for i in s.items if i.paper.pk in mine]}
            for s in sections
        ]
        layout = [section for section in layout if section["items"]]
        lease = timezone.now() + dt.timedelta(seconds=settings.DIGEST_LEASE)
        changed = Delivery.objects.filter(_mine(delivery), paper_ids__isnull=True).update(
            paper_ids=ids, sections=layout, message_id=message_id, lease_until=lease
        )
        if changed != 1:
            transaction.set_rollback(True)
            return None
    delivery.paper_ids, delivery.sections, delivery.message_id = ids, layout, message_id
    kept = [Section(s.title, [i for i in s.items if i.paper.pk in mine]) for s in sections]
    return [section for section in kept if section.items]


def release_papers(delivery: Delivery) -> None:
    """A digest that will never arrive gives its papers back to later digests."""
    DeliveredPaper.objects.filter(delivery=delivery).delete()


def transient_failure(delivery: Delivery, error: str) -> Outcome:
    """Retry with exponential backoff and jitter, up to PAPERFEED_DIGEST_RETRIES times."""
    if delivery.attempts > settings.DIGEST_RETRIES:
        release_papers(delivery)
        return _finish(delivery, Delivery.FAILED, last_error=f"gave up after {delivery.attempts} attempts: {error}")
    delay = settings.DIGEST_RETRY_DELAY * 2 ** (delivery.attempts - 1) * (1 + random.random() / 2)
    return _finish(
        delivery, Delivery.RETRY, next_attempt_at=timezone.now() + dt.timedelta(seconds=delay), last_error=error
    )


def permanent_failure(delivery: Delivery, error: str) -> Outcome:
    """Counts against the address; after PAPERFEED_DIGEST_MAX_PERMANENT_FAILURES in a row it is disabled."""
    release_papers(delivery)
    subscription = delivery.subscription
    with transaction.atomic():
        Subscription.objects.filter(pk=subscription.pk).update(permanent_failures=F("permanent_failures") + 1)
        Subscription.objects.filter(
            pk=subscription.pk, permanent_failures__gte=settings.DIGEST_MAX_PERMANENT_FAILURES
        ).update(status=Subscription.DISABLED, next_digest_at=None)
    return _finish(delivery, Delivery.FAILED, last_error=error)


def digest_context(delivery: Delivery, sections: list[Section] | None = None) -> dict[str, object]:
    """The sections just composed, or as recorded (read back on a retry), for the templates.

    Either way the papers are read again in one query (contents.py), whatever section they came from.
    """
    if sections is not None:
        layout = layout_of(sections)
    else:
        layout = [(entry["title"], [(pk, why) for pk, why in entry["items"]]) for entry in delivery.sections]
    window = Window.ending_at(delivery.subscription, delivery.scheduled_for)
    return {**email_context(shown_sections(layout), window), "delivery": delivery}


def send_due_digests(
    worker: str,
    connection: BaseEmailBackend | None = None,
    progress: Callable[[Outcome], None] | None = None,
    to: str | None = None,
    stop: threading.Event | None = None,
) -> dict[str, int]:
    """Claim every due subscription (or only ``to``'s), then send every waiting delivery; counts by outcome."""
    stop = stop or threading.Event()
    only_subscription = Q(email=to.strip().lower()) if to else None
    only_delivery = Q(subscription__email=to.strip().lower()) if to else None
    while not stop.is_set() and handle_one_due_subscription(only_subscription):
        pass
    counts: dict[str, int] = {}
    connection = connection or email.open_connection()
    try:
        with sources.one_batch():
            while not stop.is_set() and (outcome := handle_one_delivery(worker, connection, only_delivery)) is not None:
                counts[outcome.state] = counts.get(outcome.state, 0) + 1
                if progress:
                    progress(outcome)
    finally:
        connection.close()
    return counts


def preview_due_digests(to: str | None = None) -> list[tuple[Subscription, list[Section]]]:
    """What the due subscriptions would get now, claiming and writing nothing (``--dry-run``)."""
    now = timezone.now()
    due = Subscription.objects.filter(due_subscriptions(now)).order_by("next_digest_at", "pk")
    if to:
        due = due.filter(email=to.strip().lower())
    return [(s, compose_digest(s, s.next_digest_at or now)) for s in due]
