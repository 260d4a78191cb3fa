"""Absolute links for emails: PAPERFEED_SITE_URL + the path Django reverses."""

from __future__ import annotations

import functools

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from paperfeed.digests import tokens
from paperfeed.digests.models import Subscription


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def paper_url(arxiv_id: str) -> str:
    """The paper's page on this site."""
    return absolute(_paper_path().replace(_PLACEHOLDER, arxiv_id))


_PLACEHOLDER = "0000.00000"


@functools.cache
def _paper_path() -> str:
    """Reversed once: a digest has dozens of papers and a worker sends thousands of digests."""
    try:
        return reverse("paper", args=[_PLACEHOLDER])
    except NoReverseMatch:  # no paper page: the daily listing's anchor
        return f"{reverse('daily')}#{_PLACEHOLDER}"


def confirm_url(subscription: Subscription) -> str:
    return absolute(reverse("digests:confirm", args=[tokens.make_token(subscription, tokens.CONFIRM)]))


def manage_url(subscription: Subscription) -> str:
    return absolute(reverse("digests:manage", args=[tokens.make_token(subscription, tokens.MANAGE)]))


def unsubscribe_url(subscription: Subscription) -> str:
    return absolute(reverse("digests:unsubscribe", args=[tokens.make_token(subscription, tokens.UNSUBSCRIBE)]))


def one_click_url(subscription: Subscription) -> str:
    """The RFC 8058 endpoint in List-Unsubscribe: mail clients POST to it without a CSRF token."""
    return absolute(reverse("digests:one-click", args=[tokens.make_token(subscription, tokens.UNSUBSCRIBE)]))
