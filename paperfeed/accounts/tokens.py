"""API tokens: made once and shown once; only their SHA-256 digest is kept."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractBaseUser, User
from django.utils import timezone

from paperfeed.accounts.models import ApiToken

PREFIX = "pf_"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user: AbstractBaseUser, name: str) -> tuple[ApiToken, str]:
    """A new token row and the token itself, which is never stored."""
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        user_id=user.pk, name=name or "token", digest=_digest(token), prefix=token[:10], created_at=timezone.now()
    )
    return row, token


def user_for_token(token: str) -> User | None:
    """The active user a token belongs to, or None; marks the token used."""
    row = ApiToken.objects.select_related("user").filter(digest=_digest(token)).first()
    if row is None or not row.user.is_active:
        return None
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
    return row.user


def revoke_token(user: AbstractBaseUser, token_id: int) -> bool:
    deleted, _ = ApiToken.objects.filter(user_id=user.pk, pk=token_id).delete()
    return deleted > 0
