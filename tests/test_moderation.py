"""Moderation in the admin: hiding papers (gone from every list at once) and banning accounts."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from paperfeed.papers.models import Paper
from tests.personas import add_paper, signed_in

pytestmark = pytest.mark.django_db


def test_a_moderator_hides_a_paper_from_the_admin_and_cached_pages_drop_it(client: Client, moderator: User) -> None:
    paper = add_paper(title="Spam paper")
    assert "Spam paper" in client.get("/").content.decode()  # now cached for anonymous visitors
    response = signed_in(moderator).post(
        "/admin/papers/paper/", {"action": "hide", "_selected_action": [paper.pk]}, follow=True
    )
    assert response.status_code == 200 and "1 papers hidden." in response.content.decode()
    assert Paper.objects.get(pk=paper.pk).is_hidden
    assert "Spam paper" not in client.get("/").content.decode()


def test_a_moderator_bans_an_account(moderator: User, alice: User) -> None:
    alice_client = signed_in(alice)
    signed_in(moderator).post("/admin/auth/user/", {"action": "ban_users", "_selected_action": [alice.pk]})
    alice.refresh_from_db()
    assert not alice.is_active
    assert alice_client.post(f"/vote/{add_paper().arxiv_id}/")["Location"].startswith("/accounts/login/")


def test_ordinary_users_cannot_reach_the_admin(alice: User) -> None:
    assert signed_in(alice).get("/admin/papers/paper/")["Location"].startswith("/admin/login/")
