"""Signed tokens in the links of every email: confirm, manage, unsubscribe.

A token signs the subscription's id and its ``secret`` with a salt per purpose, so a token
for one purpose never works for another and a new secret (every unsubscribe makes one) kills
every old link. Confirmation tokens expire after a week and manage tokens after
PAPERFEED_MANAGE_LINK_DAYS (each digest carries a fresh one); unsubscribe tokens work until the
subscription ends, so the one-click link of any digest still works.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing

from paperfeed.digests.models import Subscription

CONFIRM, MANAGE, UNSUBSCRIBE = "confirm", "manage", "unsubscribe"
CONFIRM_MAX_AGE = 7 * 24 * 3600


def make_token(subscription: Subscription, purpose: str) -> str:
    return signing.dumps([subscription.pk, subscription.secret], salt=f"paperfeed.digests.{purpose}", compress=False)


def read_token(token: str, purpose: str) -> Subscription | None:
    """The subscription a valid, unexpired token of ``purpose`` names; None otherwise."""
    max_age = {CONFIRM: CONFIRM_MAX_AGE, MANAGE: settings.MANAGE_LINK_DAYS * 24 * 3600}.get(purpose)
    try:
        pk, secret = signing.loads(token, salt=f"paperfeed.digests.{purpose}", max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return Subscription.objects.filter(pk=pk, secret=secret).first()
