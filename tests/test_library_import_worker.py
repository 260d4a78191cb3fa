"""The worker's side of a library import (accounts/imports/fetching.py, the ``fetch-library-papers``
job): queued ids fetched from the arXiv API in one batched request, stored and saved to the library.

The loopback upstream answers from the real arXiv API recordings in ../shared/data. The
recordings ask for one id each; for a batch, ``batched_recordings`` answers an ``id_list`` with
the recorded entry of each id it names, as arXiv does (an id it has no paper for is left out):
only the batching itself is not recorded.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import User

from paperfeed.accounts.imports.fetching import claim_batch, fetch_library_papers, handle_one_batch
from paperfeed.accounts.imports.service import import_library
from paperfeed.accounts.library import library_entries
from paperfeed.accounts.models import LibraryFetch
from paperfeed.jobs.kinds import DEFAULT_JOBS, KINDS
from paperfeed.papers.models import Paper
from tests.conftest import race, shared
from tests.upstream_server import Reply, Request

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "library"
_ENTRY = re.compile(r"<entry>.*?</entry>", re.DOTALL)


def recorded_entries() -> tuple[dict[str, str], str, str]:
    """Each recorded single-id answer's entry by id, and the feed's head and tail around entries."""
    entries, head, tail = {}, "", ""
    for path in shared("arxiv-api-atom-arxivpy", "current").glob("id_*.json"):
        recorded = json.loads(path.read_text(encoding="utf-8"))
        asked = parse_qs(urlsplit(recorded["url"]).query)["id_list"][0]
        found = _ENTRY.findall(recorded["body"])
        if "," not in asked and len(found) == 1 and "api/errors" not in found[0]:
            entries[asked] = found[0]
            head, tail = recorded["body"].split(found[0])
    return entries, head, tail


def batched_recordings() -> tuple[dict[str, str], callable]:  # type: ignore[valid-type]
    entries, head, tail = recorded_entries()

    def answer(request: Request) -> Reply:
        ids = [i for i in request.params.get("id_list", "").split(",") if i]
        found = [entries[i] for i in ids if i in entries]
        total = re.sub(r"<opensearch:totalResults>\d+<", f"<opensearch:totalResults>{len(found)}<", head)
        return Reply(("".join([total, *found, tail])).encode("utf-8"))

    return entries, answer


def test_the_recordings_hold_the_papers_these_tests_fetch() -> None:
    entries, _ = batched_recordings()
    assert {"1605.08386", "1707.08567", "astro-ph/0601001"} <= set(entries)


def test_queued_papers_are_fetched_in_one_request_and_join_the_library(alice: User, upstream) -> None:  # type: ignore[no-untyped-def]
    _, answer = batched_recordings()
    upstream.route("/api/query", answer)
    text = b"1605.08386\nastro-ph/0601001\nhttps://arxiv.org/abs/1707.08567v1\n2502.99999\n"
    report = import_library(alice, "to-fetch.txt", text)
    assert report.queued == ["1605.08386", "astro-ph/0601001", "1707.08567", "2502.99999"]
    assert upstream.hits("/api/query") == [], "the import never waits on arXiv"

    counts = fetch_library_papers()

    [hit] = upstream.hits("/api/query")
    assert hit.params["id_list"] == "1605.08386,1707.08567,2502.99999,astro-ph/0601001"
    assert "paperfeed/" in hit.headers["User-Agent"], "through the one client"
    assert counts == {"done": 3, "missing": 1}
    saved = {entry.paper.arxiv_id: entry.paper.title for entry in library_entries(alice)}
    assert saved["1605.08386"] == "Heat-bath random walks with Markov bases"
    assert set(saved) == {"1605.08386", "1707.08567", "astro-ph/0601001"}
    missing = LibraryFetch.objects.get(arxiv_id="2502.99999")
    assert missing.state == LibraryFetch.MISSING and missing.message == "arXiv has no paper 2502.99999"
    assert fetch_library_papers() == {} and len(upstream.hits("/api/query")) == 1


def test_the_missing_paper_is_reported_again_on_the_next_import_without_asking_arxiv(alice: User, upstream) -> None:  # type: ignore[no-untyped-def]
    _, answer = batched_recordings()
    upstream.route("/api/query", answer)
    import_library(alice, "one.txt", b"2502.99999\n")
    fetch_library_papers()
    again = import_library(alice, "one.txt", b"2502.99999\n")
    assert again.queued == [] and again.problems() == ["one.txt:1: arXiv has no paper 2502.99999"]
    assert fetch_library_papers() == {} and len(upstream.hits("/api/query")) == 1


def test_a_paper_two_people_imported_is_fetched_once_and_saved_for_both(alice: User, bob: User, upstream) -> None:  # type: ignore[no-untyped-def]
    _, answer = batched_recordings()
    upstream.route("/api/query", answer)
    for user in (alice, bob):
        import_library(user, "one.txt", b"1605.08386\n")
    assert fetch_library_papers() == {"done": 2}
    assert [hit.params["id_list"] for hit in upstream.hits("/api/query")] == ["1605.08386"]
    assert Paper.objects.filter(arxiv_id="1605.08386").count() == 1
    assert all(library_entries(user).filter(paper__arxiv_id="1605.08386").exists() for user in (alice, bob))


def test_an_unreachable_arxiv_leaves_the_papers_waiting_then_gives_up_with_a_message(
    alice: User, upstream, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.HTTP_RETRIES = 0
    upstream.route("/api/query", Reply(b"busy", 503))
    import_library(alice, "one.txt", b"1605.08386\n")
    assert fetch_library_papers() == {"waiting": 1}
    row = LibraryFetch.objects.get()
    assert row.state == LibraryFetch.WAITING and row.next_try_at > row.requested_at
    assert row.message == "arXiv could not be reached for 1605.08386"
    for _ in range(10):
        LibraryFetch.objects.filter(pk=row.pk).update(next_try_at=row.requested_at)  # due again at once
        handle_one_batch(lambda ids: (_ for _ in ()).throw(OSError("offline")))
    row.refresh_from_db()
    assert row.state == LibraryFetch.FAILED and row.message.endswith("; import the file again to try again")
    retried = import_library(alice, "one.txt", b"1605.08386\n")
    assert retried.queued == ["1605.08386"]
    assert LibraryFetch.objects.get().state == LibraryFetch.WAITING


@pytest.mark.django_db(transaction=True)
def test_two_workers_never_claim_the_same_row(alice: User, settings) -> None:
    settings.LIBRARY_FETCH_MAX_WAITING = 500
    import_library(alice, "many.txt", "".join(f"2501.{n:05d}\n" for n in range(1, 301)).encode())
    outcomes = race(lambda _: [row.pk for row in claim_batch(100)], 3)
    assert all(isinstance(outcome, list) for outcome in outcomes), outcomes
    claimed = [pk for outcome in outcomes if isinstance(outcome, list) for pk in outcome]
    assert claimed and len(claimed) == len(set(claimed)), "no row is claimed twice"
    rest = [row.pk for _ in range(4) for row in claim_batch(100)]  # a worker that lost a race stops early
    assert sorted(claimed + rest) == sorted(LibraryFetch.objects.values_list("pk", flat=True))


def test_the_worker_runs_the_fetch_as_a_default_job() -> None:
    assert DEFAULT_JOBS["fetch-imported-papers"] == ("fetch-library-papers", {})
    assert KINDS["fetch-library-papers"].lane == "main"
