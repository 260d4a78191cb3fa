"""A library import touches only the importing account: another account's library and queue are
left as they were; the site's form needs the CSRF token; imports are rate-limited per account
(counted before the file is read, so refused files count too)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from paperfeed.accounts.imports.service import import_library
from paperfeed.accounts.library import save_paper
from paperfeed.accounts.models import LibraryEntry, LibraryFetch
from paperfeed.accounts.tokens import create_token
from paperfeed.lib.ratelimit import RateLimited
from tests.personas import add_paper, signed_in

pytestmark = pytest.mark.django_db


def rows(user: User) -> tuple[list[dict], list[dict]]:  # type: ignore[type-arg]
    return (
        list(LibraryEntry.objects.filter(user=user).order_by("pk").values()),
        list(LibraryFetch.objects.filter(user=user).order_by("pk").values()),
    )


def test_another_accounts_library_and_queue_are_untouched(alice: User, bob: User) -> None:
    shared = add_paper("2602.23370")
    save_paper(bob, shared, ["bobs-tag"])
    import_library(bob, "bob.txt", b"2501.00001\n")
    before = rows(bob)
    report = import_library(alice, "alice.txt", b"2602.23370\n2501.00001\n2501.00002\n")
    assert report.added == ["2602.23370"] and report.queued == ["2501.00001", "2501.00002"]
    assert rows(bob) == before
    assert [tag.name for tag in LibraryEntry.objects.get(user=bob).tags.all()] == ["bobs-tag"]


def test_the_form_needs_its_csrf_token(alice: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post("/library/import/", {"file": SimpleUploadedFile("ids.txt", b"2501.00001\n")})
    assert response.status_code == 403 and not LibraryFetch.objects.exists()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get("/library/").content.decode())
    assert token is not None
    form = {"file": SimpleUploadedFile("ids.txt", b"2501.00001\n"), "csrfmiddlewaretoken": token[1]}
    assert client.post("/library/import/", form).status_code == 200 and LibraryFetch.objects.count() == 1


def test_imports_are_rate_limited_per_account_and_refused_files_count(alice: User, bob: User, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LIBRARY_IMPORTS_PER_HOUR = 2
    client = signed_in(alice)
    for data in (b"\x00binary", b"2501.00001\n"):
        client.post("/library/import/", {"file": SimpleUploadedFile("f.txt", data)})
    response = client.post("/library/import/", {"file": SimpleUploadedFile("f.txt", b"2501.00002\n")})
    assert response.status_code == 429 and "at most 2 per hour" in response.content.decode()
    assert list(LibraryFetch.objects.values_list("arxiv_id", flat=True)) == ["2501.00001"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {create_token(alice, 't')[1]}"}
    api = Client().post("/api/library-import", b"2501.00003\n", content_type="text/plain", **auth)
    assert api.status_code == 429 and "at most 2 per hour" in api.json()["detail"]
    with pytest.raises(RateLimited):
        import_library(alice, "f.txt", b"2501.00004\n")
    assert import_library(bob, "f.txt", b"2501.00005\n").queued == ["2501.00005"], "other accounts have their own"
