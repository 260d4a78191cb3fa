"""Hostile comment bodies: huge, binary, control characters, invalid UTF-8, markup. Each is
refused with a 400 that says why, or stored and shown as inert text; never a 500."""

from __future__ import annotations

import os
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from paperfeed.discussion.models import Comment
from paperfeed.lib.texmath import ELEMENTS
from tests.personas import add_paper, signed_in

pytestmark = pytest.mark.django_db


def post_raw(client: Client, arxiv_id: str, body: bytes):  # type: ignore[no-untyped-def]
    """A form post whose body field is ``body``, byte for byte (percent-encoded)."""
    from urllib.parse import quote_from_bytes

    data = b"body=" + quote_from_bytes(body).encode()
    return client.post(f"/comment/{arxiv_id}/", data, content_type="application/x-www-form-urlencoded")


def test_a_megabyte_body_is_refused_with_the_cap(alice: User) -> None:
    paper = add_paper()
    response = signed_in(alice).post(f"/comment/{paper.arxiv_id}/", {"body": "a" * 1_000_000})
    assert response.status_code == 400 and "1,000,000 characters long; at most 5,000" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_body_past_djangos_request_cap_is_a_400(alice: User) -> None:
    paper = add_paper()
    response = signed_in(alice).post(f"/comment/{paper.arxiv_id}/", {"body": "a" * 3_000_000})
    assert response.status_code == 400 and not Comment.objects.exists()


def test_random_binary_is_refused_or_stored_as_text_never_a_500(alice: User) -> None:
    paper, client = add_paper(), signed_in(alice)
    for seed in range(20):
        blob = os.urandom(200 + seed)
        response = post_raw(client, paper.arxiv_id, blob)
        assert response.status_code in (302, 400), response.status_code
    for comment in Comment.objects.all():
        assert "\x00" not in comment.body
        assert set(re.findall(r"</?([a-z]+)", comment.html)) <= {"p", "br", "a"} | ELEMENTS


@pytest.mark.parametrize("character", ["\x00", "\x1b", "\x7f", "\u0085", "\ufffe"])
def test_control_characters_are_refused_by_name(alice: User, character: str) -> None:
    paper = add_paper()
    response = post_raw(signed_in(alice), paper.arxiv_id, f"text{character}text".encode())
    assert response.status_code == 400
    assert f"not text (U+{ord(character):04X})" in response.content.decode()


def test_invalid_utf8_becomes_replacement_characters(alice: User) -> None:
    paper = add_paper()
    assert post_raw(signed_in(alice), paper.arxiv_id, b"caf\xc3 \xff ok").status_code == 302
    assert Comment.objects.get().body == "caf\ufffd \ufffd ok"


def test_markup_in_every_shape_is_shown_as_text(alice: User) -> None:
    paper = add_paper()
    bodies = [
        "<svg onload=alert(1)>",
        '"><script>alert(1)</script>',
        "<iframe src=javascript:alert(1)>",
        "<math><mtext><script>alert(1)</script></mtext></math>",
        "$\\text{<img src=x onerror=alert(1)>}$",
        "https://example.org/<img/src=x/onerror=alert(1)>",
        "&lt;script&gt; already escaped",
    ]
    client = signed_in(alice)
    for body in bodies:
        assert client.post(f"/comment/{paper.arxiv_id}/", {"body": body}).status_code == 302
    html = client.get(f"/paper/{paper.arxiv_id}/").content.decode()
    section = html[html.index('id="comments"') :]
    for tag in ("<svg", "<script", "<iframe", "<img", "onerror=alert(1)>"):
        assert tag not in section, tag
    assert "&amp;lt;script&amp;gt; already escaped" in section
