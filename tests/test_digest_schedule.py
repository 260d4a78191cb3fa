"""When the next digest is due: the subscriber's own hour, in their zone, across DST changes."""

from __future__ import annotations

import datetime as dt

import pytest

from paperfeed.digests.models import Subscription
from paperfeed.digests.schedule import next_slot, period_of

UTC = dt.UTC


def plan(**fields: object) -> Subscription:
    return Subscription(**{"frequency": "daily", "timezone": "UTC", "send_hour": 7, **fields})


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def test_a_daily_digest_is_due_at_the_local_hour_today_or_tomorrow():
    berlin = plan(timezone="Europe/Berlin", send_hour=8)
    assert next_slot(berlin, at(2026, 1, 10, 6, 0)) == at(2026, 1, 10, 7, 0)
    assert next_slot(berlin, at(2026, 1, 10, 7, 0)) == at(2026, 1, 11, 7, 0)  # strictly after


def test_the_local_hour_stays_put_when_the_clocks_change():
    new_york = plan(timezone="America/New_York", send_hour=7)
    assert next_slot(new_york, at(2026, 3, 7, 13, 0)) == at(2026, 3, 8, 11, 0)  # EDT from 8 March
    assert next_slot(new_york, at(2026, 10, 31, 13, 0)) == at(2026, 11, 1, 12, 0)  # EST from 1 November


def test_an_hour_the_spring_change_skips_becomes_the_hour_after_it():
    new_york = plan(timezone="America/New_York", send_hour=2)
    slot = next_slot(new_york, at(2026, 3, 8, 0, 0))
    assert slot == at(2026, 3, 8, 7, 0)  # 03:00 EDT: 02:00 does not exist that night
    assert next_slot(new_york, slot) == at(2026, 3, 9, 6, 0)  # 02:00 EDT again the next day


def test_an_hour_the_autumn_change_repeats_is_taken_once():
    new_york = plan(timezone="America/New_York", send_hour=1)
    first = next_slot(new_york, at(2026, 11, 1, 0, 0))
    assert first == at(2026, 11, 1, 5, 0)  # 01:00 EDT, the first of the two
    assert next_slot(new_york, first) == at(2026, 11, 2, 6, 0)


@pytest.mark.parametrize(
    ("after", "expected"),
    [(at(2026, 3, 2, 8, 0), at(2026, 3, 6, 9, 0)), (at(2026, 3, 6, 9, 0), at(2026, 3, 13, 9, 0))],
)
def test_a_weekly_digest_is_due_on_its_weekday(after, expected):
    friday_nine = plan(frequency="weekly", send_weekday=4, send_hour=9)
    assert next_slot(friday_nine, after) == expected


def test_the_period_is_the_local_day_or_the_iso_week():
    tokyo = plan(timezone="Asia/Tokyo")
    assert period_of(tokyo, at(2026, 3, 1, 22, 0)) == "2026-03-02"
    assert period_of(plan(frequency="weekly"), at(2026, 3, 1, 22, 0)) == "2026-W09"
