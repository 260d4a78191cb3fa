"""A library import sent chunked (no Content-Length): Django reads such a body as empty, so the
API used to answer 200 with 0 entries, as if the file were empty. It answers 411 and says why."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from paperfeed.accounts.models import LibraryEntry
from paperfeed.accounts.tokens import create_token

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("length", ["", "²", "12a"])
def test_an_upload_without_a_readable_content_length_is_411(alice: User, length: str) -> None:
    auth = {"HTTP_AUTHORIZATION": f"Bearer {create_token(alice, 't')[1]}"}
    response = Client().post(
        "/api/library-import?name=ids.txt", b"2602.23370\n", content_type="text/plain", CONTENT_LENGTH=length, **auth
    )
    assert response.status_code == 411 and "Content-Length" in response.json()["detail"]
    assert not LibraryEntry.objects.exists()
