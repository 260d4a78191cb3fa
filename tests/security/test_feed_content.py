"""Hostile abstracts in the Atom feeds: characters XML cannot carry (\\x07, \\x1b, U+FFFF) and
live markup (``<img onerror=...>``). The first are dropped where every record is built, so every
feed holding the paper still answers; the second reaches feed readers as text, never as HTML."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest
from django.test import Client

from paperfeed.papers.importing import import_file
from paperfeed.papers.models import Paper
from paperfeed.papers.sources.parsers.hf_daily import parse_daily_papers
from tests.conftest import DAILY_DIR, read_lines
from tests.personas import add_paper

pytestmark = pytest.mark.django_db

FEEDS = ["/feeds/daily.atom", "/feeds/trending.atom", "/feeds/category/cs.LG.atom"]
CONTROL = "Bell\x07 and escape\x1b[31m and \ufffe\uffff non-characters"
MARKUP = '<img src=x onerror="alert(document.cookie)"> and <script>alert(1)</script> &amp; more'


def read_feed(client: Client, path: str) -> feedparser.FeedParserDict:
    response = client.get(path)
    assert response.status_code == 200, path
    feed = feedparser.parse(response.content, sanitize_html=False)  # what a careless reader would render
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


class Elements(HTMLParser):
    """The start tags in a piece of HTML, and its text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text = ""
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text += data


def test_control_characters_in_an_imported_abstract_are_dropped_and_every_feed_answers(
    client: Client, tmp_path: Path
) -> None:
    line = json.loads(read_lines(DAILY_DIR / "2026-03-02.jsonl.gz")[0])
    line.update(summary=CONTROL, title="Title\x0c with a form feed", categories=["cs.LG"])
    path = tmp_path / "2026-03-02.jsonl"
    path.write_text(json.dumps(line) + "\n")
    assert import_file(path).added == 1
    paper = Paper.objects.get()
    assert " ".join(paper.abstract.split()) == "Bell and escape[31m and non-characters"
    for feed_path in FEEDS:
        (entry,) = read_feed(client, feed_path).entries
        assert entry.summary.split() == paper.abstract.split()


def test_control_characters_from_a_live_source_are_dropped_the_same_way() -> None:
    item = {"paper": {"id": "2603.00001", "title": "T\x1b", "summary": CONTROL, "authors": [{"name": "A\x07"}]}}
    page = parse_daily_papers(json.dumps([item]).encode())
    assert page.rejected == []
    (record,) = page.records
    assert (record.title, record.authors) == ("T", ["A"])
    assert " ".join(record.abstract.split()) == "Bell and escape[31m and non-characters"


def test_a_control_character_stored_before_the_cleaning_does_not_break_the_feeds(client: Client) -> None:
    paper = add_paper(title="Stored long ago")
    Paper.objects.filter(pk=paper.pk).update(abstract=CONTROL)
    for feed_path in FEEDS:
        assert len(read_feed(client, feed_path).entries) == 1


def test_markup_in_an_abstract_reaches_feed_readers_as_text_never_as_live_html(client: Client) -> None:
    add_paper(title="Hostile", abstract=MARKUP)
    for feed_path in FEEDS:
        (entry,) = read_feed(client, feed_path).entries
        rendered = Elements(entry.summary)
        assert rendered.tags == [], f"{feed_path} hands readers live elements: {entry.summary}"
        assert rendered.text == MARKUP
