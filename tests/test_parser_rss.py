"""The arXiv RSS parser on a small hand-made feed in the documented format (tests/fixtures/arxiv_rss)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paperfeed.papers.records import PaperRecord, clean_line
from paperfeed.papers.sources.errors import SourceFormatError
from paperfeed.papers.sources.parsers.rss import RssPage, parse_rss
from tests.parser_inputs import XML_TEXT, billion_laughs, mutations

FEED = (Path(__file__).parent / "fixtures" / "arxiv_rss" / "cs.AI_2026-03-03.xml").read_bytes()


def test_every_item_becomes_a_record_announced_on_the_feed_day():
    page = parse_rss(FEED)

    assert page.day == dt.date(2026, 3, 3)
    assert len(page.records) == FEED.count(b"<item>") == 5
    assert page.rejected == []
    assert {record.announced_on for record in page.records} == {page.day}


def test_each_paper_has_its_announce_type():
    page = parse_rss(FEED)

    assert page.announce_types == {
        "2602.24273": "new",
        "2602.23579": "new",
        "2602.24172": "cross",
        "2602.23242": "replace",
        "2602.22740": "replace-cross",
    }


def test_an_item_gives_version_title_authors_categories_licence_and_the_bare_abstract():
    record = parse_rss(FEED).records[1]

    assert (record.arxiv_id, record.version) == ("2602.23579", 1)
    assert record.title.startswith("Construct, Merge, Solve & Adapt with Reinforcement Learning")
    assert record.authors == ["Guillem Rodríguez-Corominas", "Maria J. Blesa", "Christian Blum"]
    assert record.categories == ["cs.AI", "cs.LG"]
    assert record.license == "http://creativecommons.org/licenses/by/4.0/"
    assert record.abstract.startswith("The Multiple Traveling Salesman Problem (mTSP)")
    assert "Announce Type" not in record.abstract


def test_replacements_carry_their_new_version():
    records = {record.arxiv_id: record for record in parse_rss(FEED).records}

    assert records["2602.23242"].version == 2
    assert records["2602.22740"].version == 2


def test_doi_and_journal_reference_are_read_when_present():
    extra = b"<arxiv:DOI>10.5802/jep.257</arxiv:DOI>"
    extra += b"<arxiv:journal_reference>J. Ec. polytech. 11 (2024)</arxiv:journal_reference>"
    body = FEED.replace(
        b"<arxiv:announce_type>replace</arxiv:announce_type>",
        b"<arxiv:announce_type>replace</arxiv:announce_type>" + extra,
    )

    record = next(r for r in parse_rss(body).records if r.arxiv_id == "2602.23242")

    assert record.doi == "10.5802/jep.257"
    assert record.journal_ref == "J. Ec. polytech. 11 (2024)"


def test_the_description_gives_the_announce_type_when_the_element_is_missing():
    body = FEED.replace(b"<arxiv:announce_type>cross</arxiv:announce_type>", b"")

    assert parse_rss(body).announce_types["2602.24172"] == "cross"


def test_an_item_with_an_unknown_announce_type_is_rejected_and_the_rest_kept():
    body = FEED.replace(
        b"<arxiv:announce_type>cross</arxiv:announce_type>", b"<arxiv:announce_type>withdrawn</arxiv:announce_type>"
    )
    body = body.replace(b"Announce Type: cross", b"Announce Type: withdrawn")

    page = parse_rss(body)

    (reason,) = page.rejected
    assert "2602.24172" in reason and "withdrawn" in reason
    assert len(page.records) == 4 and "2602.24172" not in page.announce_types


def test_an_empty_weekend_feed_still_names_its_day():
    body = FEED[: FEED.index(b"<item>")] + b"</channel></rss>"

    page = parse_rss(body)

    assert page.records == [] and page.day == dt.date(2026, 3, 3)


def test_the_day_falls_back_to_the_last_build_date():
    body = FEED.replace(b"<pubDate>Tue, 03 Mar 2026 00:00:00 -0500</pubDate>\n    <skipDays>", b"<skipDays>")

    assert parse_rss(body).day == dt.date(2026, 3, 3)


def test_a_body_that_is_not_an_rss_feed_raises_a_format_error():
    with pytest.raises(SourceFormatError, match="<feed>"):
        parse_rss(b'<feed xmlns="http://www.w3.org/2005/Atom"></feed>')
    with pytest.raises(SourceFormatError, match=r"line \d+, column \d+"):
        parse_rss(FEED[:3000])


def test_entity_expansion_is_refused_rather_than_performed():

    with pytest.raises(SourceFormatError, match="declares entities"):
        parse_rss(billion_laughs("rss"))


@settings(max_examples=150, deadline=None)
@given(st.one_of(mutations(FEED), st.binary(max_size=300)))
def test_mutated_feeds_and_random_bytes_give_a_page_or_a_format_error(body):
    try:
        page = parse_rss(body)
    except SourceFormatError as error:
        assert str(error)
        return
    assert isinstance(page, RssPage)
    assert all(isinstance(record, PaperRecord) for record in page.records)
    assert set(page.announce_types) == {record.arxiv_id for record in page.records}
    assert set(page.announce_types.values()) <= {"new", "cross", "replace", "replace-cross"}


@settings(max_examples=100, deadline=None)
@given(title=XML_TEXT.filter(clean_line), abstract=XML_TEXT)
def test_titles_and_abstracts_come_back_as_written_up_to_whitespace(title, abstract):
    item = (
        f"<item><title>{escape(title)}</title><guid>oai:arXiv.org:2603.00001v1</guid>"
        f"<description>arXiv:2603.00001v1 Announce Type: new \nAbstract: {escape(abstract)}</description></item>"
    )
    body = f"<rss><channel><pubDate>Tue, 03 Mar 2026 00:00:00 -0500</pubDate>{item}</channel></rss>"

    (record,) = parse_rss(body.encode()).records

    assert record.title == clean_line(title)
    assert clean_line(record.abstract) == clean_line(abstract)
