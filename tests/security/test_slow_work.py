"""Slow work stays out of requests: submitting a paper the store lacks never waits on arXiv."""

from __future__ import annotations

import socket

import pytest
from django.contrib.auth.models import User

from paperfeed.accounts.tokens import create_token
from paperfeed.feed.submissions import fetch_requested_papers
from paperfeed.papers.models import Submission, SubmissionRequest
from tests.personas import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def offline_arxiv(settings):  # type: ignore[no-untyped-def]
    """The arXiv API at a loopback port where a listener accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    settings.ARXIV_API_URL = f"http://127.0.0.1:{listener.getsockname()[1]}/api/query"
    settings.HTTP_TIMEOUT, settings.HTTP_RETRIES, settings.HTTP_BACKOFF = 0.2, 0, 0
    yield listener
    listener.close()


def test_submitting_a_paper_the_store_lacks_answers_at_once_while_arxiv_hangs(alice: User, offline_arxiv):
    client = signed_in(alice)
    for arxiv_id in ("2611.00001", "2611.00002"):  # two such submissions used to stall the whole site
        response = client.post("/submit/", {"id": arxiv_id})
        assert response.status_code == 302 and response["Location"] == "/submit/"
    page = client.get("/submit/").content.decode()
    assert "Fetching 2611.00002 from arXiv; it appears here when arXiv answers." in page
    assert SubmissionRequest.objects.filter(state=SubmissionRequest.WAITING).count() == 2
    assert not Submission.objects.exists()


def test_the_api_answers_202_and_the_worker_reports_an_unreachable_arxiv(alice: User, client, offline_arxiv):
    _, token = create_token(alice, "laptop")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    response = client.post("/api/submit", {"id": "2611.00003"}, content_type="application/json", **auth)
    assert response.status_code == 202 and response.json() == {"id": "2611.00003", "status": "waiting"}
    assert fetch_requested_papers() == {"waiting": 1}  # tried, failed fast, and waits to be tried again
    request = SubmissionRequest.objects.get()
    assert request.attempts == 1 and "could not be reached" in request.message


def test_one_user_cannot_queue_more_fetches_than_the_daily_cap(alice: User, offline_arxiv, settings):
    settings.SUBMIT_DAILY_CAP = 3
    client = signed_in(alice)
    statuses = [client.post("/submit/", {"id": f"2611.0001{n}"}).status_code for n in range(5)]
    assert statuses == [302, 302, 302, 400, 400]
    assert SubmissionRequest.objects.count() == 3
