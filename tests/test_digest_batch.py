"""What a batch of digests does once for all its readers: each paper's block of the emails is
rendered once per process, and the window's papers are checked for change at most every few
seconds (``lib.batch``); never at the cost of a stale email."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from paperfeed.digests import compose, windows
from paperfeed.digests.delivery import send_due_digests
from paperfeed.lib import batch
from paperfeed.papers.models import Paper, Vote
from tests.conftest import import_day
from tests.digest_support import SLOT, body, subscriber
from tests.personas import make_user

pytestmark = pytest.mark.django_db

NOW = SLOT + dt.timedelta(minutes=1)


@pytest.fixture
def papers():
    with time_machine.travel(NOW, tick=False):
        import_day()
        yield


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    counted: list[str] = []
    real = compose.render_to_string
    monkeypatch.setattr(compose, "render_to_string", lambda name, context: counted.append(name) or real(name, context))
    compose._blocks.clear()
    return counted


def test_a_papers_blocks_are_rendered_once_for_every_reader_of_it(papers, smtp_server, renders):
    for n in range(3):
        subscriber(f"reader{n}@example.org", categories=["cs.RO"])
    assert send_due_digests("w1") == {"sent": 3}
    html = [body(message, "html") for message in smtp_server.messages]
    shown = html[0].count('style="font-weight: bold;"')  # one per paper
    assert shown > 0 and all(page.count('style="font-weight: bold;"') == shown for page in html)
    assert renders.count("digests/email/_paper.html") == shown  # not three times as many
    assert renders.count("digests/email/_paper.txt") == shown


def test_a_changed_paper_shows_its_new_title_and_votes_in_the_next_digest(papers, smtp_server, renders):
    paper = Paper.objects.filter(category_rows__category="cs.RO").order_by("arxiv_id").first()
    assert paper is not None
    Paper.objects.filter(pk=paper.pk).update(upvotes=0)
    subscriber("alice@example.org", categories=["cs.RO"])
    send_due_digests("w1")
    Paper.objects.filter(pk=paper.pk).update(title="A <corrected> title & more")
    Vote.objects.create(user=make_user("carol"), paper=paper, created_at=NOW)
    subscriber("bob@example.org", categories=["cs.RO"])
    send_due_digests("w2")
    first, second = smtp_server.messages
    assert "A &lt;corrected&gt; title &amp; more" in body(second, "html")
    assert "* A <corrected> title & more" in body(second, "plain")
    assert "1 upvote" in body(second, "plain") and "A <corrected>" not in body(first, "plain")


def test_inside_a_batch_a_check_is_read_again_only_after_a_few_seconds(monkeypatch):
    reads: list[int] = []
    clock = [100.0]
    monkeypatch.setattr(batch.time, "monotonic", lambda: clock[0])
    assert [batch.checked("k", lambda: reads.append(1) or len(reads)) for _ in range(2)] == [1, 2]  # outside: always
    with batch.one_batch(), batch.one_batch():
        assert {batch.checked("k", lambda: reads.append(1) or len(reads)) for _ in range(5)} == {3}
        clock[0] += batch.CHECK_SECONDS
        assert batch.checked("k", lambda: reads.append(1) or len(reads)) == 4
    assert len(reads) == 4


def test_a_batch_of_digests_checks_the_windows_papers_once(papers, smtp_server, monkeypatch):
    stamps: list[tuple[dt.date, dt.date]] = []
    real = windows._stamp
    monkeypatch.setattr(windows, "_stamp", lambda first, last: stamps.append((first, last)) or real(first, last))
    for n in range(4):
        subscriber(f"reader{n}@example.org", categories=["cs.RO"])
    assert send_due_digests("w1") == {"sent": 4}
    assert len(stamps) == len(set(stamps)) == 1
    windows.window_index(*stamps[0])  # outside a batch: checked every time
    assert len(stamps) == 2


def test_a_batch_belongs_to_the_thread_that_runs_it():
    reads: list[int] = []
    with batch.one_batch():
        batch.checked("k", lambda: reads.append(1))
        other = threading.Thread(target=lambda: batch.checked("k", lambda: reads.append(2)))
        other.start()
        other.join()
        batch.checked("k", lambda: reads.append(3))
    assert reads == [1, 2]  # the other thread has no batch: it reads; this one keeps its answer


def test_a_kept_blocks_key_holds_what_is_shown_not_the_whole_paper(renders):
    huge = Paper(
        arxiv_id="2603.09999",
        title="A collaboration's paper",
        abstract="word " * 4_000,  # 20,000 characters, the store's cap
        authors=[f"Author Number {n}" for n in range(5_000)],  # the store's cap
        code_links=["https://github.com/example/repo"],
    )
    item = compose.Item(huge)
    assert "et al." in item.text_block and "github.com/example/repo" in item.html_block
    [(_, key)] = [k for k in compose._blocks if k[0] == "txt"]
    assert len(repr(key)) < 2_000  # not the 20,000-character abstract or the 5,000 names


def test_excluded_keywords_are_matched_in_the_windows_index_without_a_query(papers):
    plain = subscriber("plain@example.org", categories=["cs.RO"])
    picky = subscriber("picky@example.org", categories=["cs.RO"], exclude_keywords=["robot"])
    counts = []
    with batch.one_batch():  # as digests are sent: the window's index is checked once, then shared
        compose.compose_digest(plain, NOW)
        for reader in (plain, picky):
            with CaptureQueriesContext(connection) as queries:
                sections = compose.compose_digest(reader, NOW)
            counts.append(len(queries))
    assert counts[0] == counts[1]
    shown = [item.paper for section in sections for item in section.items]
    assert shown and not any("robot" in f"{p.title} {p.abstract}".lower().split() for p in shown)


def test_threads_rendering_blocks_at_once_while_the_cache_evicts_all_get_their_own_block(monkeypatch):
    monkeypatch.setattr(compose, "BLOCKS_KEPT", 4)  # evicting on nearly every render
    compose._blocks.clear()
    items = [compose.Item(Paper(arxiv_id=f"2603.{n:05d}", title=f"Paper {n}", abstract="a b c")) for n in range(40)]
    errors: list[BaseException] = []
    wrong: list[str] = []

    def render(offset: int) -> None:
        try:
            for round_ in range(20):
                item = items[(offset + round_) % len(items)]
                if f">{item.paper.title}</a>" not in item.html_block:  # another paper's block: a wrong key
                    wrong.append(item.paper.arxiv_id)
        except BaseException as error:  # the point is that none is raised
            errors.append(error)

    threads = [threading.Thread(target=render, args=(n * 5,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and wrong == [] and len(compose._blocks) <= 4
