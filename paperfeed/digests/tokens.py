"""Signed tokens in the links of every email: confirm, manage, unsubscribe.

A token signs the subscription's id and its ``secret`` with a salt per purpose, so a token
for one purpose never works for another and a new secret kills every old link. Confirmation
tokens expire; manage and unsubscribe tokens do not, so the links of an old digest still work.
"""

from __future__ import annotations

from django.core import signing

from paperfeed.digests.models import Subscription

CONFIRM, MANAGE, UNSUBSCRIBE = "confirm", "manage", "unsubscribe"
CONFIRM_MAX_AGE = 7 * 24 * 3600


def make_token(subscription: Subscription, purpose: str) -> str:
    return signing.dumps([subscription.pk, subscription.secret], salt=f"paperfeed.digests.{purpose}", compress=False)


def read_token(token: str, purpose: str) -> Subscription | None:
    """The subscription a valid, unexpired token of ``purpose`` names; None otherwise."""
    max_age = CONFIRM_MAX_AGE if purpose == CONFIRM else None
    try:
        pk, secret = signing.loads(token, salt=f"paperfeed.digests.{purpose}", max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return Subscription.objects.filter(pk=pk, secret=secret).first()
