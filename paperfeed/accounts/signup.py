"""Signing up: a username, an email address (for password resets) and a password.

Every POST of the form counts against the client's sign-up limit before the form is read, so
the form's answers cannot be probed faster than PAPERFEED_SIGNUPS_PER_HOUR. The form never
looks up the email address: several accounts may share one (a password reset mails each of
them), so signing up neither confirms nor denies that an address has an account. A taken user
name is reported, as it must be; user names are public on the site (/submitted/, paper pages).
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User

from paperfeed.lib.ratelimit import take


class SignupForm(UserCreationForm):  # type: ignore[type-arg]
    email = forms.EmailField(required=True, help_text="Used only to reset your password.")

    class Meta:
        model = User
        fields = ("username", "email")

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip().lower()
        return email


def count_attempt(address: str) -> None:
    """One sign-up attempt by the client at ``address``; RateLimited when it tried too often."""
    take("signup", f"ip:{address}")


def sign_up(form: SignupForm) -> User:
    """Create the account from a valid form."""
    user: User = form.save()
    return user
