"""Weak passwords: Django's validators on sign-up and on a password reset, with their own messages."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db


def sign_up(username: str, password: str):  # type: ignore[no-untyped-def]
    form = {"username": username, "email": f"{username}@example.org", "password1": password, "password2": password}
    return Client().post("/accounts/signup/", form)


def test_signing_up_with_password_123_is_refused_naming_each_rule_it_breaks() -> None:
    response = sign_up("dora", "123")
    page = response.content.decode()
    assert response.status_code == 400 and not User.objects.filter(username="dora").exists()
    assert "too short" in page and "at least 8 characters" in page
    assert "too common" in page and "entirely numeric" in page


def test_signing_up_with_a_password_like_the_user_name_is_refused() -> None:
    response = sign_up("dorothea.brooke", "dorothea.brooke1")
    assert response.status_code == 400 and "too similar to the username" in response.content.decode()


def test_signing_up_with_a_common_password_is_refused() -> None:
    response = sign_up("dora", "password123")
    assert response.status_code == 400 and "too common" in response.content.decode()


def test_a_passphrase_is_accepted() -> None:
    assert sign_up("dora", PASSWORD).status_code == 302


def test_a_password_reset_cannot_set_password_123(alice: User) -> None:
    client = Client()
    uid, token = urlsafe_base64_encode(force_bytes(alice.pk)), default_token_generator.make_token(alice)
    link = f"/accounts/reset/{uid}/{token}/"
    form_page = client.get(link)  # Django moves the token into the session and redirects
    response = client.post(form_page["Location"], {"new_password1": "123", "new_password2": "123"})
    page = response.content.decode()
    assert response.status_code == 200 and "too short" in page and "entirely numeric" in page
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)
