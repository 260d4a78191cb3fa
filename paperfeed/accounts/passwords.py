"""Password reset mail through the outbox: queued for the worker, never sent inside the request.

Django's reset form, with two changes: the link in the email is built from PAPERFEED_SITE_URL
(never from the request's Host header), and the email is a row in the outbox
(paperfeed.lib.mail), under its per-address and per-client limits. The page answers the same
whether or not the address has an account, or a mail was queued.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.template.loader import render_to_string

from paperfeed.lib.clients import client_address
from paperfeed.lib.mail import queue_mail


class QueuedPasswordResetForm(PasswordResetForm):
    """Several accounts may share an address: the address gets one email with every account's link."""

    def save(self, *args: Any, **kwargs: Any) -> None:
        site = urlsplit(settings.SITE_URL)
        request = kwargs.get("request")
        self._mails: list[tuple[str, str, str, str]] = []  # (to, subject, text, html) per account
        kwargs.update(domain_override=site.netloc, use_https=site.scheme == "https")
        super().save(*args, **kwargs)  # calls send_mail once per account
        client = client_address(request) if request is not None else ""
        for to in dict.fromkeys(mail[0] for mail in self._mails):
            mine = [mail for mail in self._mails if mail[0] == to]
            text = "\n\n-- \n\n".join(mail[2] for mail in mine)
            html = mine[0][3] if len(mine) == 1 else ""  # several accounts: the text part carries every link
            queue_mail("password-reset", to, mine[0][1], text, html, client=client)

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        subject = " ".join(render_to_string(subject_template_name, context).split())
        text = render_to_string(email_template_name, context)
        html = render_to_string(html_email_template_name, context) if html_email_template_name else ""
        self._mails.append((to_email.strip().lower(), subject, text, html))
