"""Helpers for the digest tests: subscribers with keyword defaults, parsed mail (real papers:
``import_day`` in tests/conftest.py)."""

from __future__ import annotations

import datetime as dt
import re
from email.message import EmailMessage
from urllib.parse import urlsplit

from django.conf import settings

from paperfeed.digests.models import Subscription

DAY = "2026-03-02"  # a real daily listing: 220 cs papers announced that day
SLOT = dt.datetime(2026, 3, 2, 7, 0, tzinfo=dt.UTC)  # 07:00 UTC that day


def subscriber(email: str = "alice@example.org", **fields: object) -> Subscription:
    """An active daily subscriber, due at SLOT, following cs.LG unless told otherwise."""
    values: dict[str, object] = {
        "status": Subscription.ACTIVE,
        "categories": ["cs.LG"],
        "next_digest_at": SLOT,
        "created_at": SLOT - dt.timedelta(days=30),
        "confirmed_at": SLOT - dt.timedelta(days=30),
    }
    values.update(fields)
    return Subscription.objects.create(email=email, **values)


def body(message: EmailMessage, subtype: str) -> str:
    part = message.get_body(preferencelist=(subtype,))
    assert part is not None, f"no text/{subtype} part"
    return str(part.get_content())


def links(message: EmailMessage) -> list[str]:
    """Every absolute link in the text part, in order."""
    return re.findall(r"https?://\S+", body(message, "plain"))


def local_path(url: str) -> str:
    """The path of one of our absolute links, to follow with the test client."""
    assert url.startswith(settings.SITE_URL), url
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
