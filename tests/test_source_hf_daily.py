"""The Hugging Face Daily Papers source: a day, a week or a month, with dated metric snapshots."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine

from paperfeed.papers.models import MetricSnapshot, Paper
from paperfeed.papers.sources import hf_daily, make_client
from paperfeed.papers.sources.harvest import IngestFailed
from tests.hf_fixtures import daily_papers_json
from tests.upstream_server import Reply, hf_items, serve_hf

pytestmark = pytest.mark.django_db

DAY = "2026-02-02"
PULLED = dt.datetime(2026, 2, 3, 9, 0, tzinfo=dt.UTC)


def papers_of(day: str) -> list[dict]:
    return json.loads(daily_papers_json(day))


def pull(**options):
    return hf_daily.run(options, make_client(), lambda message: None)


@pytest.fixture
def hf(upstream):
    upstream.route("/hfapi/daily_papers", serve_hf())
    return upstream


@time_machine.travel(PULLED, tick=False)
def test_a_day_is_fetched_and_its_papers_stored_with_upvotes(hf):
    items = papers_of(DAY)
    result = pull(date=dt.date(2026, 2, 2))
    assert hf.requests[0].params["date"] == DAY
    assert result.added == Paper.objects.count() == len({i["paper"]["id"] for i in items})
    first = items[0]["paper"]
    assert Paper.objects.get(arxiv_id=first["id"]).upvotes == first["upvotes"]


@time_machine.travel(PULLED, tick=False)
def test_without_a_period_it_fetches_today(hf):
    pull()
    assert hf.requests[0].params["date"] == "2026-02-03"


@time_machine.travel(PULLED, tick=False)
def test_each_paper_gets_one_snapshot_dated_the_day_of_the_pull(hf):
    pull(date=DAY)
    snapshots = MetricSnapshot.objects.all()
    assert snapshots.count() == Paper.objects.count()
    assert {s.taken_on for s in snapshots} == {PULLED.date()}
    first = papers_of(DAY)[0]["paper"]
    assert MetricSnapshot.objects.get(paper__arxiv_id=first["id"]).upvotes == first["upvotes"]


def test_a_second_pull_the_same_day_updates_the_snapshot_and_the_next_day_adds_one(upstream):
    items = papers_of(DAY)
    bumped = json.loads(json.dumps(items))
    bumped[0]["paper"]["upvotes"] += 5
    upstream.route("/hfapi/daily_papers", Reply(json.dumps(items).encode()), Reply(json.dumps(bumped).encode()))
    paper_id = items[0]["paper"]["id"]
    with time_machine.travel(PULLED, tick=False):
        pull(date=DAY)
    with time_machine.travel(PULLED + dt.timedelta(hours=6), tick=False):
        pull(date=DAY)
    snapshot = MetricSnapshot.objects.get(paper__arxiv_id=paper_id)
    assert snapshot.upvotes == items[0]["paper"]["upvotes"] + 5
    with time_machine.travel(PULLED + dt.timedelta(days=1), tick=False):
        pull(date=DAY)
    assert MetricSnapshot.objects.filter(paper__arxiv_id=paper_id).count() == 2
    assert MetricSnapshot.objects.count() == 2 * Paper.objects.count()


def test_a_week_is_asked_as_an_iso_week_and_read_page_by_page(hf, settings):
    settings.HF_PAGE_SIZE = 40
    expected = {i["paper"]["id"] for i in hf_items({"week": "2026-W07"})}
    pull(week="2026-W07")
    assert {r.params["week"] for r in hf.requests} == {"2026-W07"}
    assert [r.params["p"] for r in hf.requests] == [str(n) for n in range(len(hf.requests))]
    assert len(hf.requests) > 2
    assert set(Paper.objects.values_list("arxiv_id", flat=True)) == expected


def test_a_month_is_asked_as_year_and_month(hf):
    result = pull(month="2026-02")
    assert hf.requests[0].params["month"] == "2026-02"
    assert result.added == Paper.objects.count() == len({i["paper"]["id"] for i in hf_items({"month": "2026-02"})})


def test_pulling_again_changes_no_paper(hf):
    pull(date=DAY)
    result = pull(date=DAY)
    assert (result.added, result.updated) == (0, 0)


def test_broken_json_ends_with_a_clear_error_and_stores_nothing(upstream):
    upstream.route("/hfapi/daily_papers", Reply(daily_papers_json(DAY)[:-300]))
    with pytest.raises(IngestFailed, match="broken JSON"):
        pull(date=DAY)
    assert Paper.objects.count() == MetricSnapshot.objects.count() == 0


@pytest.mark.parametrize(("option", "value"), [("week", "2026-7"), ("week", "2026-W60"), ("month", "2026-13")])
def test_a_malformed_week_or_month_is_refused(option, value):
    check = hf_daily._week if option == "week" else hf_daily._month
    with pytest.raises(ValueError):
        check(value)
