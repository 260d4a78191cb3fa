"""Who may change what: every write endpoint of the site and the API, for every role.

Roles: anonymous, the owner (alice), another user (bob), a moderator (staff). Each denied request
must leave the database exactly as it was; each allowed one (the controls) must change it, so a
deny test cannot pass merely because the request did nothing anyway. Every state change also
refuses GET and refuses a POST without a CSRF token.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from paperfeed.accounts.library import save_paper
from paperfeed.accounts.models import ApiToken, LibraryEntry
from paperfeed.accounts.tokens import create_token
from paperfeed.digests import tokens as subscription_tokens
from paperfeed.digests.models import Delivery, Subscription
from paperfeed.papers.models import Paper, Submission, Vote
from paperfeed.papers.votes import set_vote
from paperfeed.recs.models import RecsReset, ThumbsDown
from tests.digest_support import subscriber
from tests.personas import add_paper, make_user, signed_in

pytestmark = pytest.mark.django_db


@dataclass
class World:
    alice: User
    bob: User
    moderator: User
    paper: Paper  # alice has upvoted and saved it (tagged "reading")
    fresh: Paper  # nobody has touched it
    token: str  # alice's API token
    token_row: ApiToken
    subscription: Subscription


@pytest.fixture
def world() -> World:
    alice, bob = make_user("alice"), make_user("bob")
    moderator = make_user("mod", is_staff=True, is_superuser=True)
    paper, fresh = add_paper(title="Owned paper"), add_paper(title="Fresh paper", announced_on=None)
    set_vote(alice, paper, on=True)
    save_paper(alice, paper, ["reading"])
    row, token = create_token(alice, "laptop")
    return World(alice, bob, moderator, paper, fresh, token, row, subscriber("alice@example.org"))


def state() -> list[list[str]]:
    """Every row a write endpoint can change, as text."""
    tables: list[Any] = [
        Vote.objects.values_list("user__username", "paper__arxiv_id"),
        Submission.objects.values_list("user__username", "paper__arxiv_id"),
        LibraryEntry.objects.values_list("user__username", "paper__arxiv_id", "tags__name"),
        ApiToken.objects.values_list("user__username", "name"),
        User.objects.values_list("username", "is_active"),
        Paper.objects.values_list("arxiv_id", "is_hidden"),
        Subscription.objects.values_list("email", "status", "frequency"),
        ThumbsDown.objects.values_list("user__username", "paper__arxiv_id"),
        RecsReset.objects.values_list("user__username", "reset_at"),
        Delivery.objects.values_list("subscription__email", "period"),
    ]
    return [sorted(map(repr, table)) for table in tables]


@dataclass(frozen=True)
class Write:
    """One web form's write: its URL and fields, and where an anonymous visitor is sent."""

    name: str
    url: Callable[[World], str]
    data: Callable[[World], dict[str, Any]]
    login: str = "/accounts/login/"
    post_only: bool = True  # False: GET shows the form (and must change nothing)


def _unsubscribe(w: World) -> str:
    return f"/subscribe/unsubscribe/{subscription_tokens.make_token(w.subscription, subscription_tokens.UNSUBSCRIBE)}/"


def _manage(w: World) -> str:
    return f"/subscribe/manage/{subscription_tokens.make_token(w.subscription, subscription_tokens.MANAGE)}/"


NO_FIELDS: Callable[[World], dict[str, Any]] = lambda w: {}  # noqa: E731
USER_WRITES = [
    Write("upvote toggle", lambda w: f"/vote/{w.paper.arxiv_id}/", NO_FIELDS),
    Write("submit", lambda w: "/submit/", lambda w: {"id": w.fresh.arxiv_id}, post_only=False),
    Write("library save", lambda w: f"/library/save/{w.fresh.arxiv_id}/", lambda w: {"tags": "later"}),
    Write("library tag", lambda w: f"/library/save/{w.paper.arxiv_id}/", lambda w: {"tags": "done"}),
    Write("library remove", lambda w: f"/library/save/{w.paper.arxiv_id}/", lambda w: {"remove": "1"}),
    Write("token create", lambda w: "/accounts/tokens/", lambda w: {"name": "phone"}, post_only=False),
    Write("token revoke", lambda w: "/accounts/tokens/", lambda w: {"revoke": w.token_row.pk}, post_only=False),
    Write("recommendations reset", lambda w: "/recommendations/reset/", NO_FIELDS),
    Write("not for me", lambda w: f"/recommendations/not-for-me/{w.fresh.arxiv_id}/", NO_FIELDS),
]
ADMIN_WRITES = [
    Write(
        "admin hide paper",
        lambda w: "/admin/papers/paper/",
        lambda w: {"action": "hide", "_selected_action": [w.paper.pk]},
        login="/admin/login/",
        post_only=False,
    ),
    Write(
        "admin ban user",
        lambda w: "/admin/auth/user/",
        lambda w: {"action": "ban_users", "_selected_action": [w.alice.pk]},
        login="/admin/login/",
        post_only=False,
    ),
]
SUBSCRIPTION_WRITES = [
    Write("subscription unsubscribe", _unsubscribe, NO_FIELDS, post_only=False),
    Write("subscription manage", _manage, lambda w: {"frequency": "weekly"}, post_only=False),
    Write("subscription send now", lambda w: f"{_manage(w)}send-now/", NO_FIELDS),
]
ALL_WRITES = [*USER_WRITES, *ADMIN_WRITES, *SUBSCRIPTION_WRITES]


def ids(writes: list[Write]) -> list[str]:
    return [write.name for write in writes]


def actor(write: Write, w: World) -> User:
    return w.moderator if write in ADMIN_WRITES else w.alice


def post(client: Client, write: Write, w: World) -> Any:
    return client.post(write.url(w), write.data(w))


@pytest.mark.parametrize("write", [*USER_WRITES, *ADMIN_WRITES[:1]], ids=ids([*USER_WRITES, *ADMIN_WRITES[:1]]))
def test_the_allowed_role_changes_state_so_the_denials_below_mean_something(world: World, write: Write) -> None:
    before = state()
    response = post(signed_in(actor(write, world)), write, world)
    assert response.status_code in {200, 302}
    assert state() != before


def test_the_moderator_bans_an_account_and_the_owner_unsubscribes_by_link(world: World) -> None:
    before = state()
    post(signed_in(world.moderator), ADMIN_WRITES[1], world)
    assert state() != before
    before = state()
    assert Client().post(_unsubscribe(world)).status_code == 200
    assert state() != before


@pytest.mark.parametrize("write", USER_WRITES + ADMIN_WRITES, ids=ids(USER_WRITES + ADMIN_WRITES))
def test_anonymous_visitors_are_sent_to_log_in_and_change_nothing(world: World, write: Write) -> None:
    before = state()
    response = post(Client(), write, world)
    assert response.status_code == 302
    assert response["Location"].startswith(write.login)
    assert state() == before


@pytest.mark.parametrize("write", ADMIN_WRITES, ids=ids(ADMIN_WRITES))
def test_ordinary_users_cannot_use_the_moderation_actions(world: World, write: Write) -> None:
    before = state()
    response = post(signed_in(world.bob), write, world)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert state() == before


def test_another_user_cannot_remove_or_retag_alices_library_entries_nor_revoke_her_tokens(world: World) -> None:
    bob = signed_in(world.bob)
    before = state()
    bob.post(f"/library/save/{world.paper.arxiv_id}/", {"remove": "1"})
    bob.post("/accounts/tokens/", {"revoke": world.token_row.pk})
    assert state() == before
    bob.post(f"/library/save/{world.paper.arxiv_id}/", {"tags": "mine"})
    assert LibraryEntry.objects.get(user=world.alice).tags.get().name == "reading"


@pytest.mark.parametrize("write", SUBSCRIPTION_WRITES, ids=ids(SUBSCRIPTION_WRITES))
def test_a_subscription_link_for_someone_else_or_tampered_with_changes_nothing(world: World, write: Write) -> None:
    other = subscriber("bob@example.org")
    bobs_url = write.url(World(**{**world.__dict__, "subscription": other}))
    before = state()
    assert Client().post(write.url(world) + "x", write.data(world)).status_code == 404
    assert Client().post(bobs_url.replace(bobs_url.split("/")[-2], "0" * 20), write.data(world)).status_code == 404
    assert state() == before


POST_ONLY = [write for write in ALL_WRITES if write.post_only]


@pytest.mark.parametrize("write", POST_ONLY, ids=ids(POST_ONLY))
def test_a_state_change_refuses_get(world: World, write: Write) -> None:
    before = state()
    assert signed_in(actor(write, world)).get(write.url(world), write.data(world)).status_code == 405
    assert state() == before


def test_logging_out_refuses_get_and_keeps_the_session(world: World) -> None:
    client = signed_in(world.alice)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.get("/library/").status_code == 200


GET_SHOWS_A_FORM = [write for write in ALL_WRITES if not write.post_only]


@pytest.mark.parametrize("write", GET_SHOWS_A_FORM, ids=ids(GET_SHOWS_A_FORM))
def test_get_on_a_page_with_a_form_only_shows_it(world: World, write: Write) -> None:
    before = state()
    response = signed_in(actor(write, world)).get(write.url(world), write.data(world))
    assert response.status_code in {200, 302}  # the admin redirects a list URL with unknown parameters
    assert state() == before


@pytest.mark.parametrize("write", ALL_WRITES, ids=ids(ALL_WRITES))
def test_a_state_change_refuses_a_post_without_a_csrf_token(world: World, write: Write) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(actor(write, world))
    before = state()
    assert post(client, write, world).status_code == 403
    assert state() == before


def test_logging_out_refuses_a_post_without_a_csrf_token(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.alice)
    assert client.post("/accounts/logout/").status_code == 403
    assert client.get("/library/").status_code == 200


# The API: a bearer token is the only authority; no session, no CSRF.
API_WRITES: list[tuple[str, Callable[[World], str], Callable[[World], dict[str, Any] | None]]] = [
    ("post", lambda w: f"/api/papers/{w.fresh.arxiv_id}/upvote", lambda w: None),
    ("delete", lambda w: f"/api/papers/{w.paper.arxiv_id}/upvote", lambda w: None),
    ("post", lambda w: "/api/submit", lambda w: {"id": w.fresh.arxiv_id}),
    ("post", lambda w: "/api/library", lambda w: {"id": w.fresh.arxiv_id, "tags": ["later"]}),
    ("delete", lambda w: f"/api/library/{w.paper.arxiv_id}", lambda w: None),
    ("post", lambda w: "/api/recommendations/reset", lambda w: None),
    ("post", lambda w: f"/api/recommendations/not-for-me/{w.fresh.arxiv_id}", lambda w: None),
]
API_IDS = ["upvote", "remove upvote", "submit", "library save", "library remove", "recs reset", "not for me"]


def call_api(write: tuple[str, Any, Any], w: World, token: str | None) -> Any:
    method, url, body = write
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token is not None else {}
    data = body(w)
    send = getattr(Client(), method)
    if data is None:
        return send(url(w), **headers)
    return send(url(w), data, content_type="application/json", **headers)


@pytest.mark.parametrize("write", API_WRITES, ids=API_IDS)
def test_an_api_write_with_the_owners_token_changes_state(world: World, write: tuple[str, Any, Any]) -> None:
    before = state()
    assert call_api(write, world, world.token).status_code in {200, 201, 204}
    assert state() != before


@pytest.mark.parametrize("write", API_WRITES, ids=API_IDS)
@pytest.mark.parametrize("token", [None, "", "pf_not-a-real-token"], ids=["no token", "empty", "unknown"])
def test_an_api_write_without_a_valid_token_is_401_and_changes_nothing(
    world: World, write: tuple[str, Any, Any], token: str | None
) -> None:
    before = state()
    assert call_api(write, world, token).status_code == 401
    assert state() == before


@pytest.mark.parametrize("write", API_WRITES, ids=API_IDS)
def test_a_banned_accounts_token_is_401_and_changes_nothing(world: World, write: tuple[str, Any, Any]) -> None:
    User.objects.filter(pk=world.alice.pk).update(is_active=False)
    before = state()
    assert call_api(write, world, world.token).status_code == 401
    assert state() == before


def test_a_session_cookie_does_not_authorize_an_api_write(world: World) -> None:
    before = state()
    client = signed_in(world.alice)
    response = client.post(f"/api/papers/{world.fresh.arxiv_id}/upvote")
    assert response.status_code == 401
    assert state() == before


def test_another_users_token_cannot_remove_alices_library_entry_or_upvote(world: World) -> None:
    _, bobs = create_token(world.bob, "bob")
    before = state()
    assert call_api(API_WRITES[4], world, bobs).status_code == 404
    call_api(API_WRITES[1], world, bobs)  # bob takes back his own (absent) upvote
    assert state() == before
