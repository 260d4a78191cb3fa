"""The one model of the lowest layer: rate-limit events, shared by every app's writes."""

from __future__ import annotations

from django.db import models


class RateEvent(models.Model):
    """One rate-limited action (a vote, a submission, a sign-up) by one key (user or address)."""

    action = models.CharField(max_length=32)
    key = models.CharField(max_length=128)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["action", "key", "at"], name="rate_event_idx")]

    def __str__(self) -> str:
        return f"{self.action} by {self.key} at {self.at}"


class OutboundMail(models.Model):
    """One email waiting to be sent, or sent: written by a web request, sent by the worker.

    No request ever talks to SMTP: a confirmation or password-reset email is this row, and
    ``paperfeed.lib.mail.send_queued_mail`` (the worker's ``send-mail`` job) sends it with the
    same retries as digests. Rows are kept after sending: they are what the per-recipient
    limits count.
    """

    PENDING, SENDING, SENT, FAILED, CANCELLED = "pending", "sending", "sent", "failed", "cancelled"
    STATES = [(s, s) for s in (PENDING, SENDING, SENT, FAILED, CANCELLED)]

    kind = models.CharField(max_length=32, help_text="confirm, manage, password-reset, ...")
    to = models.EmailField(max_length=254)
    subject = models.CharField(max_length=500)
    text = models.TextField()
    html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True, help_text="Message-ID included, fixed when queued")
    state = models.CharField(max_length=20, choices=STATES, default=PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_try_at = models.DateTimeField()
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, help_text="For operators only; never shown to visitors")
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["kind", "to", "created_at"], name="mail_recipient_idx"),
            models.Index(fields=["state", "next_try_at"], name="mail_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to} ({self.state})"
