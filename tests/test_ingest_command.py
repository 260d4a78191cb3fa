"""paperfeed ingest SOURCE ...: each source from the command line, its summary and its errors."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from paperfeed.papers.models import Paper
from tests.conftest import run_cli
from tests.upstream_server import Reply, arxiv_api_recordings, oai_dc_records, oai_pages, serve_hf, serve_oai_pages

pytestmark = pytest.mark.django_db


def ingest(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("ingest", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_arxiv_oai_prints_the_counts_and_each_page_as_it_goes(upstream):
    upstream.route("/oai", serve_oai_pages(oai_pages(oai_dc_records(6), 3)))
    out, err = ingest("arxiv-oai", "--set", "physics:quant-ph", "--metadata-prefix", "oai_dc", "--from", "2016-01-01")
    assert out.startswith("6 added, 0 updated, 0 unchanged, 0 rejected (2 pages)")
    assert "page 1: 3 added" in err and "page 2: 3 added" in err
    assert upstream.requests[0].params["from"] == "2016-01-01"


def test_quiet_prints_only_the_summary(upstream):
    upstream.route("/oai", serve_oai_pages(oai_pages(oai_dc_records(3), 3)))
    out, err = ingest("--quiet", "arxiv-oai", "--set", "physics:quant-ph", "--metadata-prefix", "oai_dc")
    assert out.startswith("3 added")
    assert err == ""


def test_arxiv_api_takes_a_query_and_a_maximum(upstream, settings):
    settings.ARXIV_API_PAGE_SIZE = 10
    upstream.route("/api/query", arxiv_api_recordings())
    out, _ = ingest("arxiv-api", "--query", "testing", "--max", "20")
    assert [r.params["start"] for r in upstream.requests] == ["0", "10"]
    assert "(2 pages)" in out


def test_arxiv_api_takes_a_list_of_ids(upstream):
    upstream.route("/api/query", arxiv_api_recordings())
    ingest("arxiv-api", "--id", "1605.08386")
    assert list(Paper.objects.values_list("arxiv_id", flat=True)) == ["1605.08386"]


def test_arxiv_rss_fetches_the_feed_of_the_categories(upstream):
    feed = (Path(__file__).parent / "fixtures" / "arxiv_rss" / "cs.AI_2026-03-03.xml").read_bytes()
    upstream.route("/rss/cs.LG+cs.CL", Reply(feed))
    out, _ = ingest("arxiv-rss", "--category", "cs.LG+cs.CL")
    assert upstream.requests[0].path == "/rss/cs.LG+cs.CL"
    assert Paper.objects.count() > 0
    assert "2026-03-03" in out


@pytest.mark.parametrize(
    ("option", "value", "param"), [("--date", "2026-02-02", "date"), ("--week", "2026-W06", "week")]
)
def test_hf_daily_takes_a_day_or_a_week(upstream, option, value, param):
    upstream.route("/hfapi/daily_papers", serve_hf())
    ingest("hf-daily", option, value)
    assert upstream.requests[0].params[param] == value
    assert Paper.objects.count() > 0


def test_hf_daily_refuses_two_periods_at_once():
    with pytest.raises(CommandError, match="not allowed with"):
        ingest("hf-daily", "--date", "2026-02-02", "--month", "2026-02")


def test_a_failure_is_a_command_error_with_the_reason(upstream, settings):
    settings.HTTP_RETRIES = 1
    upstream.route("/oai", Reply(b"", 503))
    with pytest.raises(CommandError, match=r"arxiv-oai set=cs .*stopped on the first page.*HTTP 503"):
        ingest("arxiv-oai", "--set", "cs")


def test_an_unknown_source_is_refused():
    with pytest.raises(CommandError, match="invalid choice"):
        ingest("arxiv-ftp")


@pytest.mark.django_db(transaction=True)
def test_from_the_command_line_a_failure_exits_with_status_1_and_says_why(upstream, cli_env):
    env = {**cli_env, **upstream.env(), "PAPERFEED_HTTP_RETRIES": "0"}
    assert run_cli(env, "migrate", "--no-input", "-v", "0").returncode == 0
    broken = oai_pages(oai_dc_records(2), 2)[0][:200]
    upstream.route("/oai", Reply(broken))
    done = run_cli(env, "ingest", "arxiv-oai", "--set", "physics:quant-ph", "--metadata-prefix", "oai_dc")
    assert done.returncode == 1
    assert "arxiv-oai set=physics:quant-ph" in done.stderr
    assert "Traceback" not in done.stderr
