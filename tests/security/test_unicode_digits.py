"""Numbers that are digits to ``str.isdigit`` but not to ``int``: ``²``, ``③``. Django's own server
(``paperfeed serve``, what ``make run`` starts) passes a ``Content-Length: ²`` header through, and
the library import's size check read it with ``int()``: a 500 for anyone, signed in or not. The
token page's ``revoke=²`` was a 500 too. Each is now refused or ignored."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from paperfeed.accounts.models import ApiToken, LibraryFetch
from paperfeed.accounts.tokens import create_token
from tests.personas import signed_in

pytestmark = pytest.mark.django_db
DIGITS = ["\u00b2", "\u2462", "\u0663", "\uff11"]  # isdigit() of each is true; int() reads the last two


@pytest.mark.parametrize("length", DIGITS)
def test_the_import_form_refuses_a_length_that_is_not_ascii_digits(alice: User, length: str) -> None:
    for client in (Client(), signed_in(alice)):
        response = client.post("/library/import/", b"x", content_type="text/plain", CONTENT_LENGTH=length)
        assert response.status_code == 413
    assert not LibraryFetch.objects.exists()


@pytest.mark.parametrize("length", DIGITS)
def test_the_import_api_refuses_a_length_it_cannot_read_with_411_not_500(alice: User, length: str) -> None:
    auth = {"HTTP_AUTHORIZATION": f"Bearer {create_token(alice, 't')[1]}"}
    response = Client().post(
        "/api/library-import", b"2501.00001\n", content_type="text/plain", CONTENT_LENGTH=length, **auth
    )
    assert response.status_code == 411, response.content


@pytest.mark.parametrize("number", [*DIGITS, "", "abc", "-1"])
def test_revoking_a_token_by_a_number_that_is_no_id_changes_nothing(alice: User, number: str) -> None:
    create_token(alice, "kept")
    response = signed_in(alice).post("/accounts/tokens/", {"revoke": number})
    assert response.status_code == 302
    assert list(ApiToken.objects.values_list("name", flat=True)) == ["kept"]
