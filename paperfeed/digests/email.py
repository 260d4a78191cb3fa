"""The digests' emails: every kind of email is three templates (subject, text, HTML).

Sending (SMTP, its errors, the outbox that web requests use) is paperfeed.lib.mail's.

Templates live in ``digests/email/<kind>_subject.txt``, ``<kind>.txt`` and ``<kind>.html``.
The HTML is rendered with autoescape; the text templates switch it off for themselves (plain
text has nothing to escape). Scheduled mail carries ``List-Unsubscribe`` and
``List-Unsubscribe-Post`` (RFC 8058) with a signed one-click URL.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from paperfeed.digests import links
from paperfeed.digests.models import Subscription
from paperfeed.lib.mail import PermanentError, TransientError, new_message_id, open_connection, send

__all__ = ["PermanentError", "TransientError", "build", "new_message_id", "open_connection", "render", "send"]


def render(kind: str, context: Mapping[str, Any]) -> tuple[str, str, str]:
    """(subject, text, html) of email ``kind``."""
    subject = render_to_string(f"digests/email/{kind}_subject.txt", context)
    text = render_to_string(f"digests/email/{kind}.txt", context)
    html = render_to_string(f"digests/email/{kind}.html", context)
    return " ".join(subject.split()), text, html


def build(
    kind: str, subscription: Subscription, context: Mapping[str, Any], message_id: str | None = None
) -> EmailMultiAlternatives:
    """The message of ``kind`` to ``subscription``; scheduled kinds get the unsubscribe headers."""
    full = {
        "subscription": subscription,
        "manage_url": links.manage_url(subscription),
        "unsubscribe_url": links.unsubscribe_url(subscription),
        **context,
    }
    subject, text, html = render(kind, full)
    headers = {"Message-ID": message_id or new_message_id("digest")}
    if kind not in {"confirm", "manage"}:  # scheduled mail only: the digests
        headers["List-Unsubscribe"] = f"<{links.one_click_url(subscription)}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [subscription.email], headers=headers)
    message.attach_alternative(html, "text/html")
    return message
