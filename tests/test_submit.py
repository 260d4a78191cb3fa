"""Submitting a paper (`/submit/`): signed in, not a duplicate, recent enough, under the daily cap."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

from paperfeed.feed.submissions import SubmitRefused, fetch_requested_papers, handle_one_request, submit_paper
from paperfeed.papers.models import Paper, Submission, SubmissionRequest, Vote
from tests.personas import add_paper, signed_in

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 4, 12, tzinfo=dt.UTC)  # two days after the real listing ``real_day`` imports


@time_machine.travel(NOW, tick=False)
def test_a_signed_in_user_submits_a_stored_paper_by_url_and_it_counts_as_an_upvote(
    alice: User, real_day: list[Paper]
) -> None:
    paper = Paper.objects.filter(announced_on=dt.date(2026, 3, 2)).first()
    assert paper is not None
    response = signed_in(alice).post("/submit/", {"id": f"https://arxiv.org/abs/{paper.arxiv_id}v1"})
    assert response.status_code == 302 and response["Location"] == f"/paper/{paper.arxiv_id}/"
    assert Submission.objects.get(paper=paper).user == alice
    assert Vote.objects.filter(user=alice, paper=paper).exists()


@time_machine.travel(NOW, tick=False)
def test_a_paper_can_be_submitted_only_once(alice: User, bob: User) -> None:
    paper = add_paper()
    submit_paper(alice, paper.arxiv_id)
    response = signed_in(bob).post("/submit/", {"id": paper.arxiv_id})
    assert response.status_code == 400 and "has already been submitted" in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_an_old_paper_is_refused(alice: User, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SUBMIT_MAX_AGE_DAYS = 30
    paper = add_paper(published=NOW - dt.timedelta(days=31), announced_on=(NOW - dt.timedelta(days=31)).date())
    with pytest.raises(SubmitRefused, match="only papers from the last 30 days"):
        submit_paper(alice, paper.arxiv_id)


@time_machine.travel(NOW, tick=False)
def test_the_daily_cap_stops_the_next_submission(alice: User, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SUBMIT_DAILY_CAP = 2
    papers = [add_paper(), add_paper(), add_paper()]
    for paper in papers[:2]:
        submit_paper(alice, paper.arxiv_id)
    with pytest.raises(SubmitRefused, match="2 papers today"):
        submit_paper(alice, papers[2].arxiv_id)
    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        submit_paper(alice, papers[2].arxiv_id)


@time_machine.travel(NOW, tick=False)
def test_a_paper_not_in_the_store_is_fetched_by_the_worker_not_the_request(alice: User) -> None:
    def fetch(arxiv_id: str) -> Paper | None:
        return add_paper(arxiv_id, title="Fetched", announced_on=None, published=NOW)

    request = submit_paper(alice, "2603.04444")
    assert isinstance(request, SubmissionRequest) and request.state == SubmissionRequest.WAITING
    assert not Paper.objects.filter(arxiv_id="2603.04444").exists() and not Submission.objects.exists()
    done = handle_one_request(fetch)
    assert done is not None and done.state == SubmissionRequest.DONE
    submission = Submission.objects.get()
    assert submission.paper.title == "Fetched" and submission.user == alice and submission.fetched
    assert Vote.objects.filter(user=alice, paper=submission.paper).exists()
    assert handle_one_request(fetch) is None


@time_machine.travel(NOW, tick=False)
def test_an_id_arxiv_does_not_know_or_cannot_give_fails_visibly_with_a_message(alice: User) -> None:
    submit_paper(alice, "2603.04444")
    done = handle_one_request(lambda arxiv_id: None)
    assert done is not None and done.state == SubmissionRequest.FAILED
    assert done.message == "arXiv has no paper 2603.04444"
    page = signed_in(alice).get("/submit/").content.decode()
    assert "2603.04444:" in page and "not submitted: arXiv has no paper 2603.04444" in page
    assert 'href="/paper/2603.04444/"' not in page, "no link to a paper page that does not exist"

    def broken(arxiv_id: str) -> Paper | None:
        raise ConnectionError("down")

    submit_paper(alice, "2603.05555")
    tried = handle_one_request(broken)
    assert tried is not None and tried.state == SubmissionRequest.WAITING, "an unreachable arXiv is tried again"
    for attempt in range(5):
        with time_machine.travel(NOW + dt.timedelta(hours=attempt + 1), tick=False):
            tried = handle_one_request(broken) or tried
    assert tried.state == SubmissionRequest.FAILED and "could not be reached" in tried.message
    assert not Submission.objects.exists()


def test_garbage_is_not_an_arxiv_id(alice: User) -> None:
    response = signed_in(alice).post("/submit/", {"id": "https://example.org/paper"})
    assert response.status_code == 400 and "is not an arXiv id or arXiv URL" in response.content.decode()


def test_anonymous_visitors_must_log_in_first(client: Client) -> None:
    response = client.post("/submit/", {"id": "2603.01234"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not Submission.objects.exists()


def test_the_submit_page_shows_a_form_that_works_without_javascript(alice: User) -> None:
    html = signed_in(alice).get("/submit/").content.decode()
    assert '<form method="post" action="/submit/"' in html and "csrfmiddlewaretoken" in html


@time_machine.travel(NOW, tick=False)
def test_submissions_are_rate_limited(alice: User, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SUBMISSIONS_PER_HOUR = 1
    client = signed_in(alice)
    client.post("/submit/", {"id": add_paper().arxiv_id})
    response = client.post("/submit/", {"id": add_paper().arxiv_id})
    assert response.status_code == 429 and "at most 1 per hour" in response.content.decode()


def test_a_paper_not_in_the_store_comes_from_the_arxiv_api(alice: User, upstream, settings) -> None:  # type: ignore[no-untyped-def]
    from tests.upstream_server import arxiv_api_recordings

    settings.SUBMIT_MAX_AGE_DAYS = 100_000  # the recorded paper is from 2016
    upstream.route("/api/query", arxiv_api_recordings())
    client = signed_in(alice)
    response = client.post("/submit/", {"id": "https://arxiv.org/abs/1605.08386"})
    assert response.status_code == 302 and response["Location"] == "/submit/"
    assert "Fetching 1605.08386 from arXiv" in client.get("/submit/").content.decode()
    assert upstream.hits("/api/query") == [], "the request never waits on arXiv"
    assert fetch_requested_papers() == {"done": 1}
    assert Submission.objects.get().paper.title == Paper.objects.get(arxiv_id="1605.08386").title
    assert [hit.params["id_list"] for hit in upstream.hits("/api/query")] == ["1605.08386"]
