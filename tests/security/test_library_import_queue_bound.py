"""Thousands of ids the store lacks: an account's queue of papers to fetch from arXiv is bounded
(PAPERFEED_LIBRARY_FETCH_MAX_WAITING), also when several imports race; the ids past it are listed
as not matched, and the good entries of the same file are still saved."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from paperfeed.accounts.imports.service import import_library
from paperfeed.accounts.models import LibraryEntry, LibraryFetch
from tests.conftest import race
from tests.personas import add_paper


def unknown_ids(count: int, start: int = 1) -> bytes:
    return "".join(f"2501.{n:05d}\n" for n in range(start, start + count)).encode()


@pytest.mark.django_db
def test_ids_past_the_bound_are_not_queued_and_say_so(alice: User, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LIBRARY_FETCH_MAX_WAITING = 1000
    known = add_paper("2602.23370")
    report = import_library(alice, "many.txt", unknown_ids(3000) + b"2602.23370\n")
    assert len(report.queued) == 1000 and LibraryFetch.objects.filter(user=alice).count() == 1000
    assert report.added == [known.arxiv_id], "a good entry after the bound is still saved"
    assert len(report.not_matched) == 2000
    assert report.problems()[0] == (
        "many.txt:1001: 2501.01001 is not here yet and 1,000 papers already wait to be fetched for you (the most); "
        "import the file again once they are in"
    )
    later = import_library(alice, "more.txt", unknown_ids(10, start=5000))
    assert later.queued == [] and LibraryFetch.objects.count() == 1000


@pytest.mark.django_db(transaction=True)
def test_racing_imports_of_one_account_stay_under_the_bound(alice: User, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LIBRARY_FETCH_MAX_WAITING = 300
    settings.LIBRARY_IMPORTS_PER_HOUR = 10
    outcomes = race(lambda n: import_library(alice, f"part{n}.txt", unknown_ids(200, start=1 + 1000 * n)), 3)
    assert not [outcome for outcome in outcomes if isinstance(outcome, BaseException)], outcomes
    assert LibraryFetch.objects.filter(user=alice).count() == 300
    assert not LibraryEntry.objects.exists()
