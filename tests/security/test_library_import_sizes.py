"""Oversized library imports: a file past the byte cap is refused before its body is read (on the
site before Django parses the multipart form, on the API before the body is read), and a file
past the entry cap is refused with nothing written."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import multipartparser
from django.test import Client

from paperfeed.accounts.models import LibraryEntry, LibraryFetch
from paperfeed.accounts.tokens import create_token
from tests.personas import signed_in

pytestmark = pytest.mark.django_db


def test_a_huge_upload_is_refused_before_the_form_is_parsed(alice: User, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    settings.LIBRARY_IMPORT_MAX_BYTES = 64 * 1024

    def parse(self: object) -> None:
        raise AssertionError("the multipart body was parsed (and spooled to disk) before the size check")

    client = signed_in(alice)
    monkeypatch.setattr(multipartparser.MultiPartParser, "parse", parse)
    big = SimpleUploadedFile("huge.bib", b"@misc{k, title={x}}\n" * 10_000)
    response = client.post("/library/import/", {"file": big})
    assert response.status_code == 413
    assert response.content.decode() == "The upload is larger than 65,536 bytes, the most one import may be."


def test_a_file_just_past_the_cap_is_refused_by_its_own_size(alice: User, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LIBRARY_IMPORT_MAX_BYTES = 1000
    response = signed_in(alice).post("/library/import/", {"file": SimpleUploadedFile("ids.txt", b"2602.23370\n" * 91)})
    assert response.status_code == 413
    assert "ids.txt is 1,001 bytes: an import may be at most 1,000 bytes; split the file" in response.content.decode()


def test_a_huge_api_body_is_refused_by_its_content_length(alice: User, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LIBRARY_IMPORT_MAX_BYTES = 1000
    auth = {"HTTP_AUTHORIZATION": f"Bearer {create_token(alice, 't')[1]}"}
    response = Client().post(
        "/api/library-import?name=big.txt", b"2602.23370\n" * 5000, content_type="text/plain", **auth
    )
    assert response.status_code == 413 and "big.txt is 55,000 bytes" in response.json()["detail"]


def test_one_entry_past_the_cap_refuses_the_file_and_writes_nothing(alice: User, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LIBRARY_IMPORT_MAX_ENTRIES = 5000
    ids = "".join(f"2501.{n:05d}\n" for n in range(1, 5002)).encode()
    response = signed_in(alice).post("/library/import/", {"file": SimpleUploadedFile("ids.txt", ids)})
    assert response.status_code == 400
    assert "ids.txt:5001: more than 5,000 entries: an import may have at most 5,000" in response.content.decode()
    assert not LibraryEntry.objects.exists() and not LibraryFetch.objects.exists()


def test_a_bibtex_file_of_too_many_blocks_is_refused_before_it_is_parsed(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from paperfeed.accounts.imports import bibtex
    from paperfeed.accounts.imports.formats import Unreadable, read_library

    def parse(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed: bibtexparser takes about 10 s for the 222,222 blocks of this 2 MB file")

    monkeypatch.setattr(bibtex, "parse_string", parse)
    data = ("@misc{k,\n" * 222_222).encode()[: 2 * 2**20 - 100]
    with pytest.raises(Unreadable, match=r"^many.bib:5001: more than 5,000 entries: an import may have at most 5,000$"):
        read_library("many.bib", data)
