"""A digest with nothing in it, as on a fresh machine whose clock is months past the newest paper:
the preview page and `digest preview` say which days had no matching papers and which day is the
newest with papers; "send now" and `digest send-now` refuse, and no mail is queued or sent."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from paperfeed.digests import tokens
from paperfeed.digests.delivery import send_due_digests
from paperfeed.digests.models import Delivery, Subscription
from paperfeed.digests.on_demand import NothingToSend, request_digest_now
from paperfeed.jobs.kinds import send_mail
from paperfeed.lib.models import OutboundMail
from tests.conftest import call, import_day
from tests.digest_support import subscriber

pytestmark = pytest.mark.django_db

MONTHS_LATER = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)  # the data's newest day is 2 March 2026
WINDOW = "between 28 Nov 2026 and 1 Dec 2026"  # a daily digest: its day, the day before and two grace days
NEWEST = "the newest papers here are from 2 Mar 2026"


@pytest.fixture
def alice() -> Subscription:
    import_day()  # 2 March 2026
    return subscriber("alice@example.org", categories=["cs.CL"], next_digest_at=MONTHS_LATER + dt.timedelta(hours=20))


@pytest.fixture
def months_later():
    with time_machine.travel(MONTHS_LATER, tick=False) as traveller:
        yield traveller


def manage_path(subscription: Subscription) -> str:
    return f"/subscribe/manage/{tokens.make_token(subscription, tokens.MANAGE)}/"


def nothing_went_out(smtp_server: object) -> bool:
    send_due_digests("worker")
    send_mail({}, lambda message: None)
    return not Delivery.objects.exists() and not OutboundMail.objects.exists() and not smtp_server.messages  # type: ignore[attr-defined]


def test_the_preview_page_names_the_empty_window_and_the_newest_day_with_papers(
    client: Client, alice, months_later
) -> None:  # type: ignore[no-untyped-def]
    html = client.get(f"{manage_path(alice)}preview/").content.decode()
    assert f"Nothing to send now: no papers matched {WINDOW}: {NEWEST}." in html
    assert "Send me this digest now" not in html and "<iframe" not in html  # no button for an empty digest


def test_the_preview_command_says_the_same(alice, months_later) -> None:  # type: ignore[no-untyped-def]
    status, out, err = call("digest", "preview", "alice@example.org")
    assert status == 0 and out == f"alice@example.org: nothing to send now: no papers matched {WINDOW}: {NEWEST}\n"
    assert "nothing sent or recorded" in err


def test_the_send_now_button_refuses_an_empty_digest_and_queues_nothing(
    client: Client, alice, months_later, smtp_server
) -> None:  # type: ignore[no-untyped-def]
    response = client.post(f"{manage_path(alice)}send-now/")
    html = response.content.decode()
    assert response.status_code == 409
    assert f"nothing to send: no papers matched {WINDOW}: {NEWEST}." in html and "On its way" not in html
    assert nothing_went_out(smtp_server)


def test_the_send_now_command_refuses_an_empty_digest_and_sends_nothing(alice, months_later, smtp_server) -> None:  # type: ignore[no-untyped-def]
    status, out, err = call("digest", "send-now", "alice@example.org")
    assert (status, out, err.strip()) == (1, "", f"nothing to send: no papers matched {WINDOW}: {NEWEST}")
    assert nothing_went_out(smtp_server)


def test_a_window_with_papers_none_of_them_wanted_says_so(client: Client, months_later) -> None:  # type: ignore[no-untyped-def]
    import_day()
    bob = subscriber("bob@example.org", categories=["q-bio.NC"])
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        html = client.get(f"{manage_path(bob)}preview/").content.decode()
        assert "no papers matched between 27 Feb 2026 and 2 Mar 2026: none of those days&#x27; papers" in html
        with pytest.raises(NothingToSend, match="between 27 Feb 2026 and 2 Mar 2026: none of those days' papers"):
            request_digest_now(bob)


def test_with_no_papers_at_all_it_says_there_are_none_yet(months_later) -> None:  # type: ignore[no-untyped-def]
    subscriber("carol@example.org")
    status, out, _ = call("digest", "preview", "carol@example.org")
    assert (status, out.strip()) == (
        0,
        f"carol@example.org: nothing to send now: no papers matched {WINDOW}: there are no papers here yet",
    )


def test_a_digest_with_papers_is_still_previewed_and_sent(client: Client, alice, smtp_server) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        assert "Send me this digest now" in client.get(f"{manage_path(alice)}preview/").content.decode()
        assert client.post(f"{manage_path(alice)}send-now/").status_code == 200
        assert send_due_digests("worker") == {"sent": 1} and len(smtp_server.messages) == 1
