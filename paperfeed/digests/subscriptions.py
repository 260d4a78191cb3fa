"""Subscribing, confirming (double opt-in), changing and ending a subscription.

Views, the API and the CLI call these; nothing else changes a subscription's status.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from paperfeed.digests import email, links
from paperfeed.digests.models import Subscription
from paperfeed.digests.schedule import next_slot

SCHEDULE_FIELDS = ("frequency", "timezone", "send_hour", "send_weekday")


def subscribe(address: str, profile: dict[str, Any], user: User | None = None) -> Subscription:
    """A pending subscription for ``address`` (an existing one keeps its settings) and a confirmation email.

    Nothing but the confirmation email is sent until the link in it is followed. Asking again
    for an address that already has a subscription only sends the email again, so nobody can
    change someone else's subscription by typing their address.
    """
    address = address.strip().lower()
    subscription = Subscription.objects.filter(email=address).first()
    if subscription is None:
        try:
            with transaction.atomic():
                subscription = Subscription.objects.create(
                    email=address, user=user, created_at=timezone.now(), **profile
                )
        except IntegrityError:  # the same address, at the same moment
            subscription = Subscription.objects.get(email=address)
    send_confirmation(subscription)
    return subscription


def send_confirmation(subscription: Subscription) -> None:
    message = email.build("confirm", subscription, {"confirm_url": links.confirm_url(subscription)})
    connection = email.open_connection()
    try:
        email.send(message, connection)
    finally:
        connection.close()


def confirm(subscription: Subscription) -> bool:
    """Start sending; True if this call activated it (a pending or ended subscription)."""
    now = timezone.now()
    changed = Subscription.objects.filter(
        pk=subscription.pk, status__in=[Subscription.PENDING, Subscription.UNSUBSCRIBED]
    ).update(
        status=Subscription.ACTIVE,
        confirmed_at=now,
        unsubscribed_at=None,
        permanent_failures=0,
        next_digest_at=next_slot(subscription, now),
    )
    subscription.refresh_from_db()
    return changed == 1


def unsubscribe(subscription: Subscription) -> None:
    """Stop sending at once; a delivery already waiting is cancelled when a worker picks it up."""
    Subscription.objects.filter(pk=subscription.pk).update(
        status=Subscription.UNSUBSCRIBED, next_digest_at=None, unsubscribed_at=timezone.now()
    )
    subscription.refresh_from_db()


def update(subscription: Subscription, profile: dict[str, Any]) -> None:
    """Change what and when; a new schedule moves the next digest to the new slot."""
    rescheduled = any(name in profile and getattr(subscription, name) != profile[name] for name in SCHEDULE_FIELDS)
    for name, value in profile.items():
        setattr(subscription, name, value)
    fields = list(profile)
    if rescheduled and subscription.status == Subscription.ACTIVE:
        subscription.next_digest_at = next_slot(subscription, timezone.now())
        fields.append("next_digest_at")
    # Only the fields changed here: a worker may be moving next_digest_at or the status meanwhile.
    subscription.save(update_fields=fields)
