"""The digest email itself, received over real SMTP: abstracts, code links, counts, phone
padding, the days in the subject, and two queries (papers, votes) for every paper it shows."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from paperfeed.digests import email
from paperfeed.digests.compose import ABSTRACT_SHOWN, Item, compose_digest
from paperfeed.digests.contents import DASH, days_label, email_context, layout_of, shown_sections
from paperfeed.digests.delivery import send_due_digests
from paperfeed.digests.windows import Window
from paperfeed.papers.models import Paper, Vote
from tests.conftest import import_day
from tests.digest_support import SLOT, body, subscriber
from tests.personas import make_user

pytestmark = pytest.mark.django_db

NOW = SLOT + dt.timedelta(minutes=1)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def papers(frozen):
    import_day()


def known_paper() -> Paper:
    """A real cs.CL paper of the day with a long abstract, given code, upvotes, stars and two site votes."""
    paper = (
        Paper.objects.filter(category_rows__category="cs.CL")
        .distinct()
        .exclude(abstract="")
        .order_by("arxiv_id")
        .first()
    )
    assert paper is not None and len(paper.abstract) > ABSTRACT_SHOWN
    Paper.objects.filter(pk=paper.pk).update(
        code_links=["https://github.com/example/attention-kit", "javascript:alert(1)"], upvotes=12, github_stars=340
    )
    for name in ("carol", "dave"):
        Vote.objects.create(user=make_user(name), paper=paper, created_at=NOW)
    return paper


def received(smtp_server, **fields):
    subscriber(**{"categories": ["cs.CL"], **fields})
    assert send_due_digests("w1") == {"sent": 1}
    [message] = smtp_server.messages
    return message


def test_the_html_digest_shows_the_abstract_start_code_link_counts_and_phone_padding(smtp_server, papers):
    paper = known_paper()
    html = body(received(smtp_server), "html")
    start = Item(paper).abstract_start
    assert start.endswith("…") and " ".join(paper.abstract.split()).startswith(start[:-1])
    assert escape(start) in html
    assert escape(" ".join(paper.abstract.split())) not in html  # only the first lines
    assert 'href="https://github.com/example/attention-kit"' in html
    assert "javascript:" not in html
    assert "14 upvotes · 340 GitHub stars" in html  # 12 from Hugging Face + 2 site votes
    assert "max-width: 40rem" in html and "padding: 0 16px" in html
    assert 'name="viewport"' in html


def test_the_text_digest_has_the_abstract_lines_and_the_code_link(smtp_server, papers):
    paper = known_paper()
    text = body(received(smtp_server), "plain")
    first_words = " ".join(paper.abstract.split()[:6])
    assert first_words in " ".join(text.split())
    assert "Code: https://github.com/example/attention-kit" in text
    assert "14 upvotes · 340 GitHub stars" in text


def test_the_subject_names_the_days_the_papers_were_announced(smtp_server, frozen, settings):
    settings.DIGEST_MAX_PAPERS = 1000
    import_day("2026-03-01")
    import_day("2026-03-02")
    message = received(smtp_server)
    count = len(Paper.objects.filter(category_rows__category="cs.CL").distinct())
    assert message["Subject"] == f"paperfeed: {count} new papers, 1 {DASH} 2 Mar 2026"
    assert f"1 {DASH} 2 Mar 2026" in body(message, "html")


def test_an_empty_digest_names_the_days_it_looked_at(smtp_server, papers, settings):
    settings.DIGEST_SEND_EMPTY = True
    message = received(smtp_server, categories=["no.SUCH"])
    assert message["Subject"] == f"paperfeed: 0 new papers, 27 Feb {DASH} 2 Mar 2026"


@pytest.mark.parametrize(
    ("first", "last", "label"),
    [
        (dt.date(2026, 7, 2), dt.date(2026, 7, 2), "2 Jul 2026"),
        (dt.date(2026, 7, 1), dt.date(2026, 7, 2), f"1 {DASH} 2 Jul 2026"),
        (dt.date(2026, 6, 28), dt.date(2026, 7, 2), f"28 Jun {DASH} 2 Jul 2026"),
        (dt.date(2025, 12, 30), dt.date(2026, 1, 2), f"30 Dec 2025 {DASH} 2 Jan 2026"),
    ],
)
def test_the_days_label_names_a_day_or_a_span_of_days(first, last, label):
    assert days_label(first, last) == label


def test_the_abstract_start_is_cut_at_a_word():
    paper = Paper(arxiv_id="2603.00001", title="t", abstract="word " * 100)
    start = Item(paper).abstract_start
    assert start.endswith("word…") and len(start) <= ABSTRACT_SHOWN + 1
    assert Item(Paper(arxiv_id="2603.00002", title="t", abstract="Short.")).abstract_start == "Short."


def rendered(subscription) -> tuple[int, int, int]:
    """(papers shown, statements run to compose and render the digest, those reading the shown papers)."""
    with CaptureQueriesContext(connection) as queries:
        sections = compose_digest(subscription, NOW)
        with CaptureQueriesContext(connection) as reads:
            shown = shown_sections(layout_of(sections))
        email.build("digest", subscription, email_context(shown, Window.ending_at(subscription, NOW)))
    return sum(len(s.items) for s in shown), len(queries), len(reads)


def test_composing_and_rendering_reads_the_papers_in_two_queries_whatever_the_digests_size(papers):
    few = subscriber("alice@example.org", categories=["cs.RO"])
    many = subscriber("bob@example.org", categories=["cs.LG", "cs.CL"])
    rendered(few)  # the window's index is built once, then shared
    (small, small_queries, small_reads), (large, large_queries, large_reads) = rendered(few), rendered(many)
    assert 0 < small < large
    assert small_reads == large_reads == 2  # the papers, then their votes
    assert small_queries == large_queries
