"""The OAI-PMH parser on recorded arXiv responses (oai_dc, arXiv) and on arXivRaw built from real metadata."""

from __future__ import annotations

import datetime as dt
import json
from xml.sax.saxutils import escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paperfeed.lib.dates import parse_datetime
from paperfeed.papers.records import PaperRecord, clean_abstract, clean_line
from paperfeed.papers.sources.errors import OaiError, SourceFormatError
from paperfeed.papers.sources.parsers.oai import OaiPage, parse_get_record, parse_list_records
from paperfeed.papers.texts import split_authors
from tests.conftest import KAGGLE, shared
from tests.parser_inputs import XML_TEXT, billion_laughs, mutations

FIXTURES = "arxiv-oai-pmh-fixtures"
OAI_DC_PAGE = shared(FIXTURES, "atomiklabs", "listrecords_oai_dc_cs_2024-01-25_truncated.xml").read_bytes()
HEP_EX_PAGE = shared(FIXTURES, "hepcrawl", "functional", "arxiv-physics-hep-ex.xml").read_bytes()
QUANT_PH_RECORDS = shared("arxiv-quantph-oaidc-1992-2016", "raw_listrecords", "xmltest2.xml").read_bytes()
ENVELOPE = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
    "<responseDate>2026-03-03T10:00:00Z</responseDate>"
    '<request verb="ListRecords">http://export.arxiv.org/oai2</request>{}</OAI-PMH>'
)


def test_it_reads_every_record_of_an_oai_dc_page_and_its_resumption_token():
    page = parse_list_records(OAI_DC_PAGE)

    assert len(page.records) == OAI_DC_PAGE.count(b"<record>") == 5
    assert page.rejected == [] and page.deleted == []
    assert (page.resumption_token, page.complete_list_size, page.cursor) == ("6960524|1001", 1162, 0)
    first = page.records[0]
    assert (first.arxiv_id, first.title) == ("1303.2033", "Extended Fourier analysis of signals")
    assert first.authors == ["Vilnis Liepins"]
    assert first.categories == ["cs"]
    assert first.published == dt.datetime(2013, 3, 8, tzinfo=dt.UTC)
    assert first.abstract.startswith("This summary of the doctoral thesis")


def test_oai_dc_creators_comments_doi_and_journal_ref_are_sorted_out():
    record = _by_id(parse_list_records(QUANT_PH_RECORDS), "0704.0046")

    assert record.authors == ["I. Csiszar", "F. Hiai", "D. Petz"]
    assert record.comment == "LATEX file, 11 pages"
    assert record.doi == "10.1063/1.2779138"
    assert record.journal_ref == "J. Math. Phys. 48(2007), 092102."
    assert record.categories == ["quant-ph"]
    assert not record.abstract.startswith("Comment:")


def test_a_recording_that_kept_only_the_list_records_element_is_read_whole():
    page = parse_list_records(QUANT_PH_RECORDS)

    assert len(page.records) == QUANT_PH_RECORDS.count(b"<record>")
    assert page.rejected == []
    assert page.resumption_token is None


def test_arxiv_format_records_give_names_categories_dates_and_references():
    record = _by_id(parse_list_records(HEP_EX_PAGE), "1706.09418")

    assert record.authors[:2] == ["Daniel Dercks", "Herbi Dreiner"]
    assert record.categories == ["hep-ph", "hep-ex"]
    assert record.published == dt.datetime(2017, 6, 28, tzinfo=dt.UTC)
    assert record.updated == dt.datetime(2017, 11, 26, tzinfo=dt.UTC)
    assert record.journal_ref == "Eur. Phys. J. C (2017) 77:856"
    assert record.doi == "10.1140/epjc/s10052-017-5414-4"
    assert record.license == "http://arxiv.org/licenses/nonexclusive-distrib/1.0/"
    assert record.comment.startswith("43 pages, 13 tables, 17 figures; updated Figs. 11-17 and Tab. 12 including")
    assert "\n" not in record.title


def test_an_author_suffix_follows_the_name():
    body = shared(FIXTURES, "hepcrawl", "unit", "sample_arxiv_record4.xml").read_bytes()

    (record,) = parse_get_record(body).records

    assert "R. W. IV" in record.authors
    assert record.title == "BICEP2 / Keck Array VII: Matrix based E/B Separation applied to BICEP2 and the Keck Array"


def test_arxiv_records_written_without_their_own_namespace_are_read():
    body = shared(FIXTURES, "hepcrawl", "unit", "sample_arxiv_record0.xml").read_bytes()
    assert b"<arXiv xsi:schemaLocation" in body  # no xmlns: the record sits in the OAI-PMH namespace

    (record,) = parse_get_record(body).records

    assert record.arxiv_id == "1601.03238"
    assert record.authors[0] == "Planck Collaboration"


@pytest.mark.parametrize("name", ["arxiv-single.xml", "arxiv-physics-hep-th.xml"])
def test_every_recorded_arxiv_format_response_is_read_without_rejections(name):
    body = shared(FIXTURES, "hepcrawl", "functional", name).read_bytes()

    page = parse_get_record(body) if b"<GetRecord>" in body else parse_list_records(body)

    assert len(page.records) == body.count(b"<record>") and page.rejected == []


def test_arxiv_raw_records_give_the_version_count_and_first_version_date():
    paper = json.loads(KAGGLE.read_text(encoding="utf-8").splitlines()[0])

    (record,) = parse_list_records(_list_records(_arxiv_raw_record(paper))).records

    versions = [parse_datetime(v["created"]) for v in paper["versions"]]
    assert record.arxiv_id == paper["id"]
    assert record.version == len(versions)
    assert record.published == versions[0]
    assert record.updated == (versions[-1] if len(versions) > 1 else None)
    assert record.authors == split_authors(paper["authors"])
    assert record.categories == paper["categories"].split()
    assert record.doi == paper["doi"] and record.journal_ref == paper["journal-ref"]
    assert record.abstract == clean_abstract(paper["abstract"])


def test_a_deleted_record_is_listed_apart_from_the_records():
    body = OAI_DC_PAGE.replace(b"<header>", b'<header status="deleted">', 1)

    page = parse_list_records(body)

    assert page.deleted == ["1303.2033"]
    assert "1303.2033" not in [r.arxiv_id for r in page.records]
    assert len(page.records) == 4


def test_one_bad_record_is_rejected_with_its_reason_and_the_rest_are_kept():
    body = HEP_EX_PAGE.replace(b"<id>1706.09418</id>", b"<id>not-an-id</id>").replace(
        b"<title>R-Parity Violation at the LHC</title>", b"<title>R-Parity</title>"
    )
    body = body.replace(b"<created>2017-06-16</created>", b"<created>16 June</created>")

    page = parse_list_records(body)

    assert len(page.records) == body.count(b"<record>") - 2
    assert len(page.rejected) == 2
    assert any("oai:arXiv.org:1706.09418" in reason and "not-an-id" in reason for reason in page.rejected)
    assert any("oai:arXiv.org:1706.05371" in reason and "created" in reason for reason in page.rejected)


def test_an_empty_resumption_token_marks_the_last_page():
    body = OAI_DC_PAGE.replace(b">6960524|1001</resumptionToken>", b"></resumptionToken>")

    page = parse_list_records(body)

    assert page.resumption_token is None
    assert page.complete_list_size == 1162


@pytest.mark.parametrize("code", ["noRecordsMatch", "badResumptionToken", "badArgument", "cannotDisseminateFormat"])
def test_an_oai_error_answer_raises_with_its_code_and_message(code):
    body = ENVELOPE.format(f'<error code="{code}">The request could not be answered</error>').encode()

    with pytest.raises(OaiError) as raised:
        parse_list_records(body)

    assert raised.value.code == code
    assert raised.value.message == "The request could not be answered"
    assert code in str(raised.value) and "could not be answered" in str(raised.value)


def test_a_truncated_response_raises_a_format_error_saying_where():
    with pytest.raises(SourceFormatError, match=r"line \d+, column \d+"):
        parse_list_records(OAI_DC_PAGE[: len(OAI_DC_PAGE) // 2])


def test_a_response_of_another_verb_raises_a_format_error():
    with pytest.raises(SourceFormatError, match="ListRecords"):
        parse_list_records(shared(FIXTURES, "hepcrawl", "functional", "arxiv-single.xml").read_bytes())
    with pytest.raises(SourceFormatError, match="<html>"):
        parse_list_records(b"<html><body>Service unavailable</body></html>")


def test_entity_expansion_is_refused_rather_than_performed():
    with pytest.raises(SourceFormatError, match="declares entities"):
        parse_list_records(billion_laughs("OAI-PMH"))


def _assert_page_or_own_error(body: bytes) -> None:
    try:
        page = parse_list_records(body)
    except (SourceFormatError, OaiError) as error:
        assert str(error)
        return
    assert isinstance(page, OaiPage)
    assert all(isinstance(record, PaperRecord) for record in page.records)
    assert all(isinstance(reason, str) and reason for reason in page.rejected)


@settings(max_examples=150, deadline=None)
@given(st.one_of(mutations(OAI_DC_PAGE), mutations(HEP_EX_PAGE)))
def test_a_mutated_real_response_gives_a_page_or_a_source_error(body):
    _assert_page_or_own_error(body)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_give_a_page_or_a_source_error(body):
    _assert_page_or_own_error(body)


@settings(max_examples=100, deadline=None)
@given(title=XML_TEXT.filter(lambda t: clean_line(t)), comment=XML_TEXT, keyname=XML_TEXT.filter(str.strip))
def test_arxiv_format_fields_come_back_as_written_up_to_whitespace(title, comment, keyname):
    metadata = (
        '<arXiv xmlns="http://arxiv.org/OAI/arXiv/"><id>2403.01234</id><created>2024-03-02</created>'
        f"<authors><author><keyname>{escape(keyname)}</keyname></author></authors>"
        f"<title>{escape(title)}</title><comments>{escape(comment)}</comments></arXiv>"
    )

    page = parse_list_records(_list_records(metadata))

    (record,) = page.records
    assert record.title == clean_line(title)
    assert record.comment == clean_line(comment)
    assert len(record.authors) == 1


def _by_id(page: OaiPage, arxiv_id: str) -> PaperRecord:
    return next(record for record in page.records if record.arxiv_id == arxiv_id)


def _list_records(metadata: str) -> bytes:
    header = "<header><identifier>oai:arXiv.org:0000</identifier><datestamp>2026-03-03</datestamp></header>"
    return ENVELOPE.format(
        f"<ListRecords><record>{header}<metadata>{metadata}</metadata></record></ListRecords>"
    ).encode()


def _arxiv_raw_record(paper: dict[str, object]) -> str:
    """A Kaggle snapshot line written as arXiv's arXivRaw template writes the same fields."""
    versions = "".join(
        f'<version version="{v["version"]}"><date>{v["created"]}</date><size>100kb</size></version>'
        for v in paper["versions"]  # type: ignore[attr-defined]
    )
    fields = {"title": "title", "authors": "authors", "categories": "categories", "comments": "comments"}
    fields |= {"journal-ref": "journal-ref", "doi": "doi", "abstract": "abstract"}
    body = "".join(f"<{tag}>{escape(str(paper[key]))}</{tag}>" for tag, key in fields.items() if paper.get(key))
    return (
        f'<arXivRaw xmlns="http://arxiv.org/OAI/arXivRaw/"><id>{paper["id"]}</id>'
        f"<submitter>{escape(str(paper['submitter']))}</submitter>{versions}{body}</arXivRaw>"
    )
