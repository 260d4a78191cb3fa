"""Subscribing, confirming (double opt-in), changing and ending a subscription.

Views, the API and the CLI call these; nothing else changes a subscription's status.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from paperfeed.digests import email, links
from paperfeed.digests.models import Subscription, new_secret
from paperfeed.digests.schedule import next_slot
from paperfeed.lib.mail import queue_mail

SCHEDULE_FIELDS = ("frequency", "timezone", "send_hour", "send_weekday")


def subscribe(address: str, profile: dict[str, Any], user: User | None = None, client: str = "") -> Subscription:
    """A pending subscription for ``address`` (an existing one keeps its settings) and an email to it.

    Nothing but that email is sent until the link in it is followed. Asking again for an
    address that already has a subscription only emails the address again (a confirmation, or
    for an active subscription its manage link), so nobody can change someone else's
    subscription by typing their address. The email is queued for the worker (lib/mail.py,
    with its per-address and per-client limits); the caller answers the same whatever happens.
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
    if subscription.status == Subscription.ACTIVE:
        queue_email("manage", subscription, {}, client)
    else:
        queue_email("confirm", subscription, {"confirm_url": links.confirm_url(subscription)}, client)
    return subscription


def queue_email(kind: str, subscription: Subscription, context: dict[str, Any], client: str = "") -> bool:
    """Queue email ``kind`` to the subscriber; False when a limit held it back."""
    message = email.build(kind, subscription, context)
    html = next((body for body, mimetype in message.alternatives if mimetype == "text/html"), "")
    headers = {name: value for name, value in message.extra_headers.items() if name != "Message-ID"}
    return queue_mail(kind, subscription.email, str(message.subject), str(message.body), str(html), headers, client)


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
    """Stop sending at once; a delivery already waiting is cancelled when a worker picks it up.

    The subscription gets a new secret, so every link sent before (confirm, manage, unsubscribe)
    stops working: an old confirmation link cannot start the digests again.
    """
    Subscription.objects.filter(pk=subscription.pk).update(
        status=Subscription.UNSUBSCRIBED, next_digest_at=None, unsubscribed_at=timezone.now(), secret=new_secret()
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
