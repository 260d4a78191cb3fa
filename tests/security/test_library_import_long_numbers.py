"""A CSL-JSON library holding a number of more digits than Python converts (4,300): the JSON
parser raised ValueError, which the reader did not catch, so the site's form and the API
answered 500 and the CLI stopped with a traceback. It is now reported at its line, with the
items before it kept, like a syntax error."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from paperfeed.accounts.models import LibraryEntry
from paperfeed.accounts.tokens import create_token
from paperfeed.papers.models import Paper
from tests.conftest import call
from tests.personas import add_paper, signed_in

pytestmark = pytest.mark.django_db
LONG = "9" * 5000


def library(paper: Paper) -> bytes:
    return f'[\n{{"URL": "https://arxiv.org/abs/{paper.arxiv_id}"}},\n{{"id": "x", "note": {LONG}}}\n]'.encode()


def test_the_api_reports_the_number_at_its_line_and_keeps_the_items_before(alice: User) -> None:
    paper = add_paper()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {create_token(alice, 't')[1]}"}
    response = Client().post("/api/library-import?name=my.json", library(paper), content_type="text/plain", **auth)
    assert response.status_code == 200
    assert response.json()["added"] == [paper.arxiv_id]
    [problem] = response.json()["notMatched"]
    assert problem["message"] == "my.json:3: a number too long to read; the rest of the file is not read"


@pytest.mark.parametrize("text", [f'{{"id": {LONG}}}', f'{{"items": [{{"id": -{LONG}}}]}}', f"[{LONG}]"])
def test_the_form_answers_with_the_report(alice: User, text: str) -> None:
    upload = SimpleUploadedFile("my.json", text.encode())
    response = signed_in(alice).post("/library/import/", {"file": upload})
    assert response.status_code == 200 and "a number too long to read" in response.content.decode()


def test_the_cli_reports_it_and_exits_cleanly(alice: User, tmp_path: Path) -> None:
    paper = add_paper()
    path = tmp_path / "my.json"
    path.write_bytes(library(paper))
    code, out, err = call("library", "import", "alice", str(path))
    assert code == 0 and "1 added" in out
    assert err.strip() == f"{path}:3: a number too long to read; the rest of the file is not read"
    assert LibraryEntry.objects.filter(user=alice, paper=paper).exists()
