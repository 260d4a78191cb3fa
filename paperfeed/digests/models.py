"""Subscriptions, the deliveries made for them, and the papers each subscriber has received.

The rows are the queue (docs/digests.md): ``Subscription.next_digest_at`` says when the next
digest is due, a ``Delivery`` per (subscription, period) carries one digest through its states,
and ``DeliveredPaper`` is unique per (subscription, paper) so no paper is ever sent twice.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

from paperfeed.papers.models import Paper


def new_secret() -> str:
    return secrets.token_hex(8)


class Subscription(models.Model):
    PENDING, ACTIVE, UNSUBSCRIBED, DISABLED = "pending", "active", "unsubscribed", "disabled"
    STATUSES = [(s, s) for s in (PENDING, ACTIVE, UNSUBSCRIBED, DISABLED)]
    DAILY, WEEKLY = "daily", "weekly"
    FREQUENCIES = [(DAILY, DAILY), (WEEKLY, WEEKLY)]

    email = models.EmailField(max_length=254, unique=True, help_text="Lower-case")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    secret = models.CharField(
        max_length=32, default=new_secret, help_text="Signed into every link; new = old links dead"
    )
    status = models.CharField(max_length=20, choices=STATUSES, default=PENDING)
    frequency = models.CharField(max_length=10, choices=FREQUENCIES, default=DAILY)
    timezone = models.CharField(max_length=64, default="UTC")
    send_hour = models.PositiveSmallIntegerField(default=7, help_text="Local hour, 0-23")
    send_weekday = models.PositiveSmallIntegerField(default=0, help_text="Weekly digests: 0 = Monday")
    trending_count = models.PositiveSmallIntegerField(default=0, help_text="Top-N trending papers; 0 = none")
    saved_searches = models.JSONField(default=list, blank=True, help_text="Search queries")
    categories = models.JSONField(default=list, blank=True)
    authors = models.JSONField(default=list, blank=True)
    include_keywords = models.JSONField(default=list, blank=True)
    exclude_keywords = models.JSONField(default=list, blank=True)
    recommendations = models.BooleanField(default=False, help_text="Personal recommendations (needs an account)")
    next_digest_at = models.DateTimeField(null=True, blank=True, db_index=True)
    permanent_failures = models.PositiveIntegerField(default=0, help_text="5xx replies in a row")
    created_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.email} ({self.status})"


class Delivery(models.Model):
    """One digest of one period: what it holds is written before the SMTP call, the outcome after."""

    PENDING, SENDING, RETRY, SENT, EMPTY, FAILED, CANCELLED = (
        "pending", "sending", "retry", "sent", "empty", "failed", "cancelled",
    )  # fmt: skip
    STATES = [(s, s) for s in (PENDING, SENDING, RETRY, SENT, EMPTY, FAILED, CANCELLED)]
    FINAL = (SENT, EMPTY, FAILED, CANCELLED)

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    period = models.CharField(max_length=16, help_text="Local day (2026-03-06) or ISO week (2026-W10)")
    scheduled_for = models.DateTimeField(help_text="The slot that was claimed")
    state = models.CharField(max_length=20, choices=STATES, default=PENDING)
    next_attempt_at = models.DateTimeField(db_index=True)
    attempts = models.PositiveIntegerField(default=0, help_text="Claims so far; every claim adds one")
    claimed_by = models.CharField(max_length=200, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True, help_text="While sending: others wait until then")
    paper_ids = models.JSONField(null=True, blank=True, help_text="Written before the first SMTP call")
    sections = models.JSONField(default=list, blank=True, help_text='[{"title": ..., "items": [[paper id, why]]}]')
    message_id = models.CharField(max_length=255, blank=True, help_text="The same on every attempt")
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subscription", "period"], name="delivery_subscription_period")]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="delivery_queue_idx")]

    def __str__(self) -> str:
        return f"{self.subscription.email} {self.period} {self.state}"


class DeliveredPaper(models.Model):
    """A paper put in a subscriber's digest; unique, so it is never put in another."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="delivered_papers")
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="+")
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="papers")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subscription", "paper"], name="delivered_once")]
