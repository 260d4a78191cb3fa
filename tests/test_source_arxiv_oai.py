"""The arXiv OAI-PMH source: paging by resumption token, checkpoints, resume, errors."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from paperfeed.papers.models import HarvestCheckpoint, Paper
from paperfeed.papers.sources import arxiv_oai, make_client
from paperfeed.papers.sources.harvest import IngestFailed, open_checkpoint
from tests.conftest import run_cli, shared
from tests.test_http_client import FakeTime
from tests.upstream_server import Reply, oai_dc_records, oai_error, oai_pages, record_ids, serve_oai_pages

pytestmark = pytest.mark.django_db

RECORDS = oai_dc_records(12)
IDS = record_ids(RECORDS)
PAGES = oai_pages(RECORDS, 5)  # 5 + 5 + 2 real quant-ph records
OPTIONS = {"set": "physics:quant-ph", "metadata_prefix": "oai_dc"}


def harvest(options=OPTIONS, **client_options):
    messages: list[str] = []
    result = arxiv_oai.run(options, make_client(**client_options), messages.append)
    return result, messages


def checkpoint() -> HarvestCheckpoint:
    return HarvestCheckpoint.objects.get(source="arxiv-oai")


def stored_ids() -> list[str]:
    return sorted(Paper.objects.values_list("arxiv_id", flat=True))


def test_a_harvest_follows_resumption_tokens_to_the_last_page(upstream):
    upstream.route("/oai", serve_oai_pages(PAGES))
    result, _ = harvest({**OPTIONS, "from_date": "2016-01-01"})
    assert (result.added, result.pages) == (12, 3)
    assert stored_ids() == sorted(IDS)
    first, *rest = [r.params for r in upstream.hits("/oai")]
    assert first == {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "physics:quant-ph", "from": "2016-01-01"}
    assert rest == [
        {"verb": "ListRecords", "resumptionToken": "page-1"},
        {"verb": "ListRecords", "resumptionToken": "page-2"},
    ]


def test_the_checkpoint_records_the_finished_harvest(upstream):
    upstream.route("/oai", serve_oai_pages(PAGES))
    harvest()
    point = checkpoint()
    assert (point.status, point.cursor, point.pages, point.added, point.expected) == ("done", "", 3, 12, 12)
    assert "set=physics:quant-ph" in point.key


def test_harvesting_again_changes_nothing(upstream):
    upstream.route("/oai", serve_oai_pages(PAGES))
    harvest()
    before = list(Paper.objects.order_by("arxiv_id").values())
    result, _ = harvest()
    assert (result.added, result.updated, result.unchanged) == (0, 0, 12)
    assert list(Paper.objects.order_by("arxiv_id").values()) == before


def test_records_in_the_arxiv_metadata_format_are_stored_with_their_categories(upstream):
    body = shared("arxiv-oai-pmh-fixtures", "hepcrawl", "functional", "arxiv-physics-hep-th.xml").read_bytes()
    upstream.route("/oai", Reply(body))
    result, _ = harvest({"set": "physics:hep-th", "metadata_prefix": "arXiv"})
    assert result.added == 3
    assert upstream.requests[0].params["metadataPrefix"] == "arXiv"
    assert all(categories for categories in Paper.objects.values_list("categories", flat=True))


def test_pages_are_requested_at_least_the_arxiv_interval_apart(upstream, settings):
    settings.ARXIV_MIN_INTERVAL = 3.0
    upstream.route("/oai", serve_oai_pages(PAGES))
    time = FakeTime()
    harvest(sleep=time.sleep, clock=time.clock)
    assert time.sleeps == [3.0, 3.0]


def test_no_records_match_is_a_normal_nothing_new_outcome(upstream):
    upstream.route(
        "/oai", Reply(oai_error("noRecordsMatch", "The combination of the values results in an empty list."))
    )
    result, _ = harvest()
    assert result.added == 0
    assert "nothing new" in result.summary()
    assert checkpoint().status == "done"


def test_any_other_oai_error_stops_with_its_code(upstream):
    upstream.route("/oai", Reply(oai_error("badArgument", "Illegal set")))
    with pytest.raises(IngestFailed, match="badArgument"):
        harvest()
    assert checkpoint().status == "failed"


def test_a_503_storm_on_page_two_keeps_page_one_and_its_token_and_nothing_of_page_two(upstream, settings):
    settings.HTTP_RETRIES = 2
    upstream.route("/oai", Reply(PAGES[0]), Reply(b"busy", 503))
    with pytest.raises(IngestFailed) as raised:
        harvest()
    assert "HTTP 503" in str(raised.value)
    assert "/oai" in str(raised.value)
    assert "after page 1" in str(raised.value)
    assert stored_ids() == sorted(IDS[:5])
    point = checkpoint()
    assert (point.status, point.cursor, point.pages, point.added) == ("failed", "page-1", 1, 5)
    assert "HTTP 503" in point.message


def test_a_malformed_page_stores_none_of_its_records(upstream):
    broken = PAGES[1][: len(PAGES[1]) // 2]  # cut off in the middle, as a dropped connection leaves it
    upstream.route("/oai", Reply(PAGES[0]), Reply(broken))
    with pytest.raises(IngestFailed, match="after page 1"):
        harvest()
    assert stored_ids() == sorted(IDS[:5])
    assert checkpoint().cursor == "page-1"


def test_a_failed_harvest_resumes_at_the_stored_token_with_no_gap(upstream, settings):
    settings.HTTP_RETRIES = 0
    upstream.route("/oai", Reply(PAGES[0]), Reply(b"busy", 503))
    with pytest.raises(IngestFailed):
        harvest()
    upstream.requests.clear()
    upstream.route("/oai", serve_oai_pages(PAGES))
    result, messages = harvest()
    assert [r.params.get("resumptionToken") for r in upstream.requests] == ["page-1", "page-2"]
    assert result.added == 7
    assert stored_ids() == sorted(IDS)
    assert any("resuming" in message for message in messages)
    assert (checkpoint().status, checkpoint().added) == ("done", 12)


def test_an_expired_resumption_token_starts_the_list_again_from_the_beginning(upstream):
    point = open_checkpoint("arxiv-oai", "set=physics:quant-ph from= until= metadataPrefix=oai_dc")
    point.cursor = "expired-long-ago"
    point.save()
    upstream.route("/oai", serve_oai_pages(PAGES))
    _, messages = harvest()
    assert upstream.requests[0].params["resumptionToken"] == "expired-long-ago"
    assert "resumptionToken" not in upstream.requests[1].params
    assert stored_ids() == sorted(IDS)
    assert any("starting again" in message for message in messages)


def test_restart_ignores_an_unfinished_checkpoint(upstream):
    point = open_checkpoint("arxiv-oai", "set=physics:quant-ph from= until= metadataPrefix=oai_dc")
    point.cursor = "page-2"
    point.save()
    upstream.route("/oai", serve_oai_pages(PAGES))
    harvest({**OPTIONS, "restart": True})
    assert "resumptionToken" not in upstream.requests[0].params
    assert stored_ids() == sorted(IDS)


@pytest.mark.django_db(transaction=True)
def test_a_harvest_killed_between_pages_resumes_after_the_last_stored_page(upstream, cli_env):
    env = {**cli_env, **upstream.env()}
    assert run_cli(env, "migrate", "--no-input", "-v", "0").returncode == 0
    page_three = threading.Event()
    upstream.route("/oai", serve_oai_pages(PAGES, holds={2: page_three}))
    args = ["ingest", "arxiv-oai", "--set", "physics:quant-ph", "--metadata-prefix", "oai_dc"]
    script = str(Path(sys.executable).with_name("paperfeed"))
    process = subprocess.Popen([script, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        while not upstream.waiting.wait(0.2):
            assert process.poll() is None, process.communicate()[1].decode()[-2000:]
        os.kill(process.pid, signal.SIGKILL)  # killed while waiting for page 3: pages 1 and 2 are stored
        process.wait(30)
    finally:
        page_three.set()
    assert process.returncode == -signal.SIGKILL
    upstream.requests.clear()
    upstream.route("/oai", serve_oai_pages(PAGES))
    again = run_cli(env, *args)
    assert again.returncode == 0, again.stderr
    assert [r.params.get("resumptionToken") for r in upstream.requests] == ["page-2"]
    assert again.stdout.startswith("2 added, 0 updated, 0 unchanged")
    exported = run_cli(env, "export").stdout.splitlines()
    ids = [json.loads(line)["id"] for line in exported]
    assert sorted(ids) == sorted(IDS)  # no gap, no duplicate
