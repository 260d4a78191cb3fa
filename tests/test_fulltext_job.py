"""The full-text queue and the worker's ``fetch-full-texts`` job, against the loopback upstream with recorded pages."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from paperfeed.accounts.models import LibraryEntry
from paperfeed.jobs.kinds import DEFAULT_JOBS, KINDS
from paperfeed.jobs.models import Job, JobRun
from paperfeed.jobs.worker import handle_one_job
from paperfeed.papers.fulltext.fetching import RETRIES, fetch_due_full_texts, request_full_text
from paperfeed.papers.models import FullText
from paperfeed.papers.votes import set_vote
from tests.fulltext_support import MATH, NO_HTML, TABLES, add_recorded_paper, html_path, serve_recording
from tests.personas import add_paper
from tests.upstream_server import Reply

pytestmark = pytest.mark.django_db


def test_a_requested_paper_is_fetched_converted_and_stored(upstream) -> None:
    paper = add_recorded_paper(MATH)
    serve_recording(upstream, paper, MATH)
    assert request_full_text(paper, "opened")
    assert fetch_due_full_texts() == {"fetched": 1}
    row = FullText.objects.get(paper=paper)
    assert (row.state, row.version, row.attempts, row.next_try_at) == ("fetched", 1, 1, None)
    assert row.source_url == upstream.url("/html/2507.00150v1")
    assert "$\\sigma_{\\varpi}/\\varpi\\leq 0.2$" in row.markdown
    assert "| HVS01 | S | 3841458366321558656 |" in row.markdown
    assert [r.path for r in upstream.requests] == ["/html/2507.00150v1"]


def test_a_paper_without_an_html_rendering_is_recorded_as_such(upstream) -> None:
    paper = add_recorded_paper(NO_HTML)
    serve_recording(upstream, paper, NO_HTML)
    request_full_text(paper, "opened")
    assert fetch_due_full_texts() == {"no-html": 1}
    row = FullText.objects.get(paper=paper)
    assert (row.state, row.markdown, row.next_try_at) == ("no-html", "", None)


def test_a_failed_fetch_is_tried_again_later_then_given_up(upstream, settings) -> None:
    settings.HTTP_RETRIES = 0
    paper = add_recorded_paper(TABLES)
    upstream.route(html_path(paper), Reply(b"arXiv is down", 503))
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        request_full_text(paper, "upvoted")
        assert fetch_due_full_texts() == {"failed": 1}
        row = FullText.objects.get(paper=paper)
        assert row.state == "failed" and "HTTP 503" in row.message
        assert row.next_try_at == start + dt.timedelta(minutes=30)
        assert fetch_due_full_texts() == {}  # not due before its time
    for attempt in range(2, RETRIES + 1):
        with time_machine.travel(row.next_try_at, tick=False):
            assert fetch_due_full_texts() == {"failed": 1}
            row.refresh_from_db()
            assert row.attempts == attempt
    assert row.next_try_at is None  # given up after the last try
    serve_recording(upstream, paper, TABLES)
    with time_machine.travel(start + dt.timedelta(days=30)):
        assert fetch_due_full_texts() == {}


def test_arxiv_coming_back_after_a_failure_gives_the_full_text(upstream, settings) -> None:
    settings.HTTP_RETRIES = 0
    paper = add_recorded_paper(TABLES)
    upstream.route(html_path(paper), Reply(b"down", 503))
    request_full_text(paper, "saved")
    assert fetch_due_full_texts() == {"failed": 1}
    serve_recording(upstream, paper, TABLES)
    with time_machine.travel(timezone.now() + dt.timedelta(hours=1)):
        assert fetch_due_full_texts() == {"fetched": 1}
    row = FullText.objects.get(paper=paper)
    assert row.state == "fetched" and row.message == "" and "\\tag{2}$$" in row.markdown


def test_running_the_job_twice_changes_nothing(upstream) -> None:
    paper = add_recorded_paper(MATH)
    serve_recording(upstream, paper, MATH)
    request_full_text(paper, "opened")
    fetch_due_full_texts()
    before = list(FullText.objects.values())
    assert fetch_due_full_texts() == {}
    assert not request_full_text(paper, "opened")
    assert list(FullText.objects.values()) == before
    assert len(upstream.hits(html_path(paper))) == 1


def test_a_newer_version_is_fetched_again(upstream) -> None:
    paper = add_recorded_paper(MATH)
    serve_recording(upstream, paper, MATH)
    request_full_text(paper, "opened")
    fetch_due_full_texts()
    newer = add_recorded_paper(MATH, version=2)
    serve_recording(upstream, newer, MATH)
    assert request_full_text(newer, "opened")
    assert fetch_due_full_texts() == {"fetched": 1}
    assert FullText.objects.get(paper=paper).version == 2
    assert upstream.hits("/html/2507.00150v2")


def test_a_page_that_is_not_an_article_fails_without_retry(upstream) -> None:
    paper = add_recorded_paper(MATH)
    upstream.route(html_path(paper), Reply(b"<html><body><p>Maintenance</p></body></html>", 200))
    request_full_text(paper, "opened")
    assert fetch_due_full_texts() == {"failed": 1}
    row = FullText.objects.get(paper=paper)
    assert row.next_try_at is None and "no LaTeXML article" in row.message


def test_an_open_asks_for_nothing_past_the_queue_cap(monkeypatch) -> None:
    monkeypatch.setattr("paperfeed.papers.fulltext.fetching.QUEUE_MAX", 2)
    first, second, third = add_paper(), add_paper(), add_paper()
    assert request_full_text(first, "opened", bounded=True)
    assert request_full_text(second, "opened", bounded=True)
    assert not request_full_text(third, "opened", bounded=True)
    assert not FullText.objects.filter(paper=third).exists()
    assert request_full_text(third, "upvoted")  # the worker's own discovery is not bounded by it


def test_the_job_asks_for_upvoted_saved_and_trending_papers_then_fetches(upstream, alice) -> None:
    upvoted, saved = add_recorded_paper(MATH), add_recorded_paper(TABLES)
    ignored = add_paper(announced_on=dt.date(2020, 1, 6), published=timezone.now() - dt.timedelta(days=2000))
    serve_recording(upstream, upvoted, MATH)
    serve_recording(upstream, saved, TABLES)
    set_vote(alice, upvoted, on=True)
    LibraryEntry.objects.create(user=alice, paper=saved, added_at=timezone.now())
    assert "fetch-full-texts" in KINDS and DEFAULT_JOBS["fetch-full-texts"] == ("fetch-full-texts", {})
    Job.objects.create(name="fetch-full-texts", kind="fetch-full-texts", next_run_at=timezone.now())
    assert handle_one_job("test-worker")
    run = JobRun.objects.get(job__name="fetch-full-texts")
    assert run.outcome == "ok" and run.message.startswith(("2 asked for", "3 asked for"))
    reasons = dict(FullText.objects.values_list("paper__arxiv_id", "reason"))
    assert reasons[upvoted.arxiv_id] == "upvoted" and reasons[saved.arxiv_id] == "saved"
    assert ignored.arxiv_id not in reasons
    states = dict(FullText.objects.values_list("paper__arxiv_id", "state"))
    assert states[upvoted.arxiv_id] == states[saved.arxiv_id] == "fetched"
