"""Signing up: a username, an email address (for password resets) and a password; rate-limited by address."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User

from paperfeed.accounts.ratelimit import take


class SignupForm(UserCreationForm):  # type: ignore[type-arg]
    email = forms.EmailField(required=True, help_text="Used only to reset your password.")

    class Meta:
        model = User
        fields = ("username", "email")

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this email address already exists.")
        return email


def sign_up(form: SignupForm, address: str) -> User:
    """Create the account from a valid form; RateLimited when this address signed up too often."""
    take("signup", f"ip:{address}")
    user: User = form.save()
    return user
