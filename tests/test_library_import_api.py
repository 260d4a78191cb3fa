"""``POST /api/library-import`` (the exported file as the body) and ``GET /api/library-import``."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

from paperfeed.accounts.library import library_entries
from paperfeed.accounts.models import LibraryFetch
from paperfeed.accounts.tokens import create_token
from paperfeed.papers.models import Paper

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "library"


def bearer(user: User) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {create_token(user, 'test')[1]}"}


def post(user: User, body: bytes, query: str = "") -> tuple[int, dict]:  # type: ignore[type-arg]
    response = Client().post(f"/api/library-import{query}", body, content_type="text/plain", **bearer(user))
    return response.status_code, response.json()


def test_a_zotero_csl_json_export_is_imported_with_a_report(alice: User, real_day: list[Paper]) -> None:
    status, body = post(alice, (FIXTURES / "zotero.json").read_bytes(), "?name=My%20Library.json")
    assert status == 200
    assert body["format"] == "csl-json" and body["entries"] == 4
    assert body["added"] == ["2602.23520", "2602.23741", "2602.23370"] and body["queued"] == []
    [problem] = body["notMatched"]
    assert problem["line"] == 74 and problem["key"] == "Deep learning"
    assert problem["message"].startswith("My Library.json:74: Deep learning: no arXiv id")
    assert {entry.paper.arxiv_id for entry in library_entries(alice)} == set(body["added"])


def test_the_queue_of_papers_to_fetch_can_be_read(alice: User, real_day: list[Paper]) -> None:
    post(alice, (FIXTURES / "zotero.bib").read_bytes(), "?name=zotero.bib")
    response = Client().get("/api/library-import", **bearer(alice))
    assert response.status_code == 200
    body = response.json()
    assert body["waiting"] == 1 and [(f["id"], f["state"]) for f in body["fetches"]] == [("1605.08386", "waiting")]


def test_the_format_can_be_named_and_a_wrong_one_is_a_422(alice: User, real_day: list[Paper]) -> None:
    status, body = post(alice, b"2602.23370\n", "?format=bibtex")
    assert status == 200 and body["format"] == "bibtex" and body["entries"] == 0
    status, body = post(alice, b"2602.23370\n", "?format=endnote")
    assert status == 422


def test_bad_files_get_a_4xx_that_names_the_problem(alice: User, settings) -> None:  # type: ignore[no-untyped-def]
    status, body = post(alice, b"\x89PNG\r\n\x1a\n\x00\x00", "?name=photo.png")
    assert status == 400 and body["detail"].startswith("photo.png holds binary data")
    settings.LIBRARY_IMPORT_MAX_BYTES = 100
    status, body = post(alice, b"2602.23370\n" * 20, "?name=ids.txt")
    assert (
        status == 413 and body["detail"] == "ids.txt is 220 bytes: an import may be at most 100 bytes; split the file"
    )


def test_the_import_needs_a_token(client: Client) -> None:
    response = client.post("/api/library-import", b"2602.23370\n", content_type="text/plain")
    assert response.status_code == 401
    assert client.get("/api/library-import").status_code == 401


def test_the_openapi_document_describes_the_body(client: Client) -> None:
    operation = client.get("/api/openapi.json").json()["paths"]["/api/library-import"]["post"]
    assert "text/plain" in operation["requestBody"]["content"]
    assert {"200", "400", "413", "429"} <= set(operation["responses"])


def test_a_banned_accounts_token_and_a_session_cookie_do_not_import(alice: User) -> None:
    from tests.personas import signed_in

    headers = bearer(alice)
    User.objects.filter(pk=alice.pk).update(is_active=False)
    banned = Client().post("/api/library-import", b"2501.00001\n", content_type="text/plain", **headers)
    assert banned.status_code == 401
    User.objects.filter(pk=alice.pk).update(is_active=True)
    cookie = signed_in(alice).post("/api/library-import", b"2501.00001\n", content_type="text/plain")
    assert cookie.status_code == 401
    assert not LibraryFetch.objects.exists()
