"""A full OAI-PMH harvest of a large set, month by month: resumable across days, restarts and expired tokens.

The upstream answers ListRecords as arXiv does, from 2,000 real oai_dc records filtered by their
datestamps (tests/upstream_server.py ``serve_oai_by_datestamp``), 50 to a page.
"""

from __future__ import annotations

import datetime as dt

import pytest

from paperfeed.papers.models import HarvestCheckpoint, Paper
from paperfeed.papers.sources import arxiv_oai, make_client
from paperfeed.papers.sources.arxiv_oai import months
from paperfeed.papers.sources.harvest import IngestFailed
from tests.conftest import run_cli
from tests.upstream_server import Reply, _datestamp, oai_dc_records, oai_error, record_ids, serve_oai_by_datestamp

pytestmark = pytest.mark.django_db

RECORDS = list(
    {arxiv_id: r for arxiv_id, r in zip(record_ids(oai_dc_records(2000)), oai_dc_records(2000), strict=True)}.values()
)  # the file holds each of its 1,000 records twice
PER_PAGE = 20
OPTIONS = {"set": "physics:quant-ph", "metadata_prefix": "oai_dc", "by_month": True}
SUMMER_2007 = {**OPTIONS, "from_date": dt.date(2007, 5, 23), "until_date": dt.date(2007, 8, 31)}


def in_range(first: str, last: str) -> list[str]:
    return sorted(record_ids([r for r in RECORDS if first <= _datestamp(r) <= last]))


def first_page(first: str, last: str) -> list[str]:
    return record_ids([r for r in RECORDS if first <= _datestamp(r) <= last][:PER_PAGE])


def harvest(options=SUMMER_2007):
    messages: list[str] = []
    return arxiv_oai.run(options, make_client(), messages.append), messages


def stored() -> list[str]:
    return sorted(Paper.objects.values_list("arxiv_id", flat=True))


def asked(upstream) -> list[tuple[str, str, str]]:
    """(from, until, token) of each request."""
    return [
        (r.params.get("from", ""), r.params.get("until", ""), r.params.get("resumptionToken", ""))
        for r in upstream.hits("/oai")
    ]


def test_months_cut_a_range_at_month_ends():
    assert list(months(dt.date(2024, 1, 15), dt.date(2024, 3, 2))) == [
        (dt.date(2024, 1, 15), dt.date(2024, 1, 31)),
        (dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        (dt.date(2024, 3, 1), dt.date(2024, 3, 2)),
    ]
    assert list(months(dt.date(2025, 12, 31), dt.date(2026, 1, 1))) == [
        (dt.date(2025, 12, 31), dt.date(2025, 12, 31)),
        (dt.date(2026, 1, 1), dt.date(2026, 1, 1)),
    ]


def test_each_month_is_its_own_list_and_every_record_of_the_range_is_stored(upstream):
    upstream.route("/oai", serve_oai_by_datestamp(RECORDS, PER_PAGE))
    result, _ = harvest()
    assert result.rejected == 0
    assert stored() == in_range("2007-05-01", "2007-08-31") and len(stored()) == 232
    firsts = [(start, end) for start, end, token in asked(upstream) if not token]
    assert firsts == [
        ("2007-05-23", "2007-05-31"),
        ("2007-06-01", "2007-06-30"),
        ("2007-07-01", "2007-07-31"),
        ("2007-08-01", "2007-08-31"),
    ]
    assert HarvestCheckpoint.objects.filter(source="arxiv-oai", status="done").count() == 4


def test_a_harvest_stopped_in_its_third_month_resumes_there_and_skips_the_months_done(upstream, settings):
    settings.HTTP_RETRIES = 0
    july_pages = []

    def busy_on_julys_second_page(request):
        if request.params.get("resumptionToken", "").startswith("2007-07-01/"):
            july_pages.append(request)
            return Reply(b"busy", 503)
        return None

    upstream.route("/oai", serve_oai_by_datestamp(RECORDS, PER_PAGE, fail=busy_on_julys_second_page))
    with pytest.raises(IngestFailed, match="after page 1"):
        harvest()
    assert stored() == sorted(in_range("2007-05-01", "2007-06-30") + first_page("2007-07-01", "2007-07-31"))
    upstream.requests.clear()
    upstream.route("/oai", serve_oai_by_datestamp(RECORDS, PER_PAGE))  # the next day: arXiv answers again
    result, messages = harvest()
    assert asked(upstream)[0] == ("", "", "2007-07-01/2007-07-31/1")  # July's stored token: no month read again
    assert not any(start.startswith(("2007-05", "2007-06")) for start, _, _ in asked(upstream))
    assert stored() == in_range("2007-05-01", "2007-08-31")
    assert (
        result.added == len(in_range("2007-05-01", "2007-08-31")) - len(in_range("2007-05-01", "2007-06-30")) - PER_PAGE
    )
    assert "2 months harvested before, skipped" in result.notes
    assert any("resuming" in message for message in messages)


def test_an_expired_token_starts_only_its_own_month_again(upstream, settings):
    settings.HTTP_RETRIES = 0
    upstream.route(
        "/oai",
        serve_oai_by_datestamp(
            RECORDS, 50, fail=lambda r: Reply(b"down", 503) if r.params.get("from") == "2007-08-01" else None
        ),
    )
    with pytest.raises(IngestFailed):
        harvest()
    point = HarvestCheckpoint.objects.get(key__contains="from=2007-07-01")
    assert point.status == "done"
    june = HarvestCheckpoint.objects.get(key__contains="from=2007-06-01")
    june.status, june.cursor = "failed", "expired-long-ago"  # as if June had stopped with a token arXiv forgot
    june.save()
    upstream.requests.clear()

    def expired(request):
        token = request.params.get("resumptionToken")
        return Reply(oai_error("badResumptionToken", "expired")) if token == "expired-long-ago" else None

    upstream.route("/oai", serve_oai_by_datestamp(RECORDS, PER_PAGE, fail=expired))
    _, messages = harvest()
    firsts = [(start, end) for start, end, token in asked(upstream) if not token]
    assert firsts == [("2007-06-01", "2007-06-30"), ("2007-08-01", "2007-08-31")]  # June again, then August
    assert any("starting again" in message for message in messages)
    assert stored() == in_range("2007-05-01", "2007-08-31")


def test_the_month_of_today_is_read_again_on_the_next_run(upstream):
    upstream.route("/oai", serve_oai_by_datestamp(RECORDS, PER_PAGE))
    today = dt.date.today()
    start = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)  # last month
    options = {**OPTIONS, "from_date": start}
    harvest(options)
    upstream.requests.clear()
    result, _ = harvest(options)
    assert [(s, e) for s, e, _ in asked(upstream)] == [(today.replace(day=1).isoformat(), today.isoformat())]
    assert "1 month harvested before, skipped" in result.notes


def test_a_range_that_ends_before_it_starts_is_refused_by_name(upstream):
    with pytest.raises(IngestFailed, match="--until 2008-01-01 is before --from 2008-05-01"):
        harvest({**OPTIONS, "from_date": dt.date(2008, 5, 1), "until_date": dt.date(2008, 1, 1)})


def test_without_from_the_harvest_starts_at_arxivs_first_datestamp(upstream, settings):
    settings.HTTP_RETRIES = 0
    upstream.route("/oai", Reply(b"down", 503))
    with pytest.raises(IngestFailed):
        harvest(OPTIONS)
    assert upstream.hits("/oai")[0].params["from"] == "2007-05-23"
    assert upstream.hits("/oai")[0].params["until"] == "2007-05-31"


@pytest.mark.django_db(transaction=True)
def test_the_command_harvests_by_month_and_a_second_run_skips_the_months_done(upstream, cli_env):
    env = {**cli_env, **upstream.env()}
    assert run_cli(env, "migrate", "--no-input", "-v", "0").returncode == 0
    upstream.route("/oai", serve_oai_by_datestamp(RECORDS, PER_PAGE))
    args = ["ingest", "arxiv-oai", "--set", "physics:quant-ph", "--metadata-prefix", "oai_dc", "--by-month"]
    args += ["--from", "2007-05-01", "--until", "2007-06-30"]
    first = run_cli(env, *args)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith(f"{len(in_range('2007-05-01', '2007-06-30'))} added")
    upstream.requests.clear()
    again = run_cli(env, *args)
    assert again.returncode == 0, again.stderr
    assert upstream.hits("/oai") == [] and "2 months harvested before, skipped" in again.stdout


def test_far_dates_are_clamped_to_arxivs_first_datestamp_and_today(upstream, settings):
    """--from 0001-01-01 would be 24,000 empty months of requests to arXiv; --until 9999-12-31 as many more."""
    settings.HTTP_RETRIES = 0
    upstream.route("/oai", Reply(b"down", 503))
    with pytest.raises(IngestFailed):
        harvest({**OPTIONS, "from_date": dt.date(1, 1, 1), "until_date": dt.date(9999, 12, 31)})
    assert [upstream.hits("/oai")[0].params[name] for name in ("from", "until")] == ["2007-05-23", "2007-05-31"]
    upstream.requests.clear()
    upstream.route("/oai", serve_oai_by_datestamp(RECORDS, PER_PAGE))
    today = dt.date.today()
    harvest({**OPTIONS, "from_date": today.replace(day=1), "until_date": dt.date(9999, 12, 31)})
    assert [(s, e) for s, e, _ in asked(upstream)] == [(today.replace(day=1).isoformat(), today.isoformat())]
