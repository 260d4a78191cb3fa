"""The arXiv API Atom parser on recorded responses: the current format (2026) and the 2016 one."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paperfeed.papers.records import PaperRecord
from paperfeed.papers.sources.errors import ArxivApiError, SourceFormatError
from paperfeed.papers.sources.parsers.atom import AtomPage, parse_atom
from tests.conftest import shared
from tests.parser_inputs import billion_laughs, mutations

API = "arxiv-api-atom-arxivpy"


def recorded(name: str) -> bytes:
    """The body of a recorded 2026 response (stored as JSON: url, status_code, body)."""
    return json.loads(shared(API, "current", name).read_text(encoding="utf-8"))["body"].encode("utf-8")


SEARCH_PAGE = recorded("q_testing_s10_m10_34e56e15aaac.json")
LEGACY_PAGE = shared(API, "legacy_2016", "search_au_del_maestro.xml").read_bytes()


def test_a_search_page_gives_its_records_and_the_opensearch_paging_figures():
    page = parse_atom(SEARCH_PAGE)

    assert len(page.records) == SEARCH_PAGE.count(b"<entry>") == 10
    assert (page.total_results, page.start_index, page.items_per_page) == (214881, 10, 10)
    assert page.rejected == []


def test_an_entry_gives_id_version_dates_authors_and_comment():
    (record,) = parse_atom(recorded("id_1707.08567_s0_m100_6a1afebfc6a3.json")).records

    assert (record.arxiv_id, record.version) == ("1707.08567", 1)
    assert record.title == "Proceedings of Workshop AEW10: Concepts in Information Theory and Communications"
    assert record.published == record.updated == dt.datetime(2017, 7, 27, 8, 18, 33, tzinfo=dt.UTC)
    assert record.authors[0] == "Kees A. Schouhamer Immink" and len(record.authors) == 34
    assert record.comment == "44 pages, editors for the proceedings: Yanling Chen and A. J. Han Vinck"
    assert record.categories == ["cs.IT"]


def test_old_style_ids_keep_their_archive():
    (record,) = parse_atom(recorded("id_astro-ph_0601001_s0_m100_3150dca9dc76.json")).records

    assert (record.arxiv_id, record.version) == ("astro-ph/0601001", 1)


def test_the_primary_category_comes_first_and_each_category_once():
    body = SEARCH_PAGE.replace(b'<arxiv:primary_category term="', b'<arxiv:primary_category term="zz.PRIMARY', 1)

    first = parse_atom(body).records[0]

    assert first.categories[0].startswith("zz.PRIMARY")
    assert len(first.categories) == len(set(first.categories))


def test_the_2016_format_gives_versions_journal_refs_and_dois():
    page = parse_atom(shared(API, "legacy_2016", "id_list_1111.2011v2.xml").read_bytes())

    (record,) = page.records
    assert (record.arxiv_id, record.version) == ("1111.2011", 2)
    assert record.published == dt.datetime(2011, 11, 8, 18, 48, 36, tzinfo=dt.UTC)
    assert record.updated == dt.datetime(2012, 4, 2, 12, 38, 54, tzinfo=dt.UTC)
    assert record.authors == ["James M. Murray", "Adrian Del Maestro", "Zlatko Tesanovic"]
    assert record.categories == ["cond-mat.str-el", "cond-mat.stat-mech"]
    assert record.journal_ref == "Phys. Rev. B 85, 115117 (2012)"
    assert record.doi == "10.1103/PhysRevB.85.115117"
    assert record.title == "Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large Connectivity Limit"
    assert record.abstract.startswith("Theoretical description of anisotropic systems")
    assert "\n" not in record.abstract


def test_the_2016_format_gives_its_paging_figures():
    page = parse_atom(LEGACY_PAGE)

    assert (page.total_results, page.start_index, page.items_per_page) == (31, 0, 10)
    assert len(page.records) == 10


def test_the_doi_link_stands_in_when_the_doi_element_is_missing():
    body = shared(API, "legacy_2016", "id_list_1111.2011v2.xml").read_bytes()
    body = body.replace(b"10.1103/PhysRevB.85.115117</arxiv:doi>", b"</arxiv:doi>")

    (record,) = parse_atom(body).records

    assert record.doi == "10.1103/PhysRevB.85.115117"


@pytest.mark.parametrize("name", ["id_0000.0000_s0_m100_8b51d9633a68.json", "id_0808.05394_s0_m100_7b0c7d0a7cdd.json"])
def test_an_id_with_no_paper_gives_an_empty_page(name):
    page = parse_atom(recorded(name))

    assert page.records == [] and page.total_results == 0


def test_the_api_error_feed_raises_with_its_message():
    with pytest.raises(ArxivApiError, match="incorrect id format for abc"):
        parse_atom(recorded("id_abc_s0_m100_b79c8dcf6bc3.json"))


def test_one_bad_entry_is_rejected_and_the_others_kept():
    body = SEARCH_PAGE.replace(b"<published>", b"<published>yesterday ", 1)

    page = parse_atom(body)

    assert len(page.records) == 9
    (reason,) = page.rejected
    assert "published" in reason and "arxiv.org/abs/" in reason


def test_overlapping_pages_agree_on_the_shared_entries():
    wide = parse_atom(recorded("q_testing_s5_m15_bbcf6b23085b.json")).records
    narrow = parse_atom(recorded("q_testing_s10_m10_34e56e15aaac.json")).records

    shared_ids = [r.arxiv_id for r in wide[5:]]
    assert shared_ids == [r.arxiv_id for r in narrow[: len(shared_ids)]]


def test_a_body_that_is_not_a_feed_raises_a_format_error():
    with pytest.raises(SourceFormatError, match="<html>"):
        parse_atom(b"<html><body>Rate exceeded.</body></html>")
    with pytest.raises(SourceFormatError, match=r"line \d+, column \d+"):
        parse_atom(SEARCH_PAGE[:5000])


def test_entity_expansion_is_refused_rather_than_performed():
    with pytest.raises(SourceFormatError, match="declares entities"):
        parse_atom(billion_laughs("feed"))


@settings(max_examples=150, deadline=None)
@given(st.one_of(mutations(SEARCH_PAGE), mutations(LEGACY_PAGE), st.binary(max_size=300)))
def test_mutated_responses_and_random_bytes_give_a_page_or_an_api_error(body):
    try:
        page = parse_atom(body)
    except (SourceFormatError, ArxivApiError) as error:
        assert str(error)
        return
    assert isinstance(page, AtomPage)
    assert all(isinstance(record, PaperRecord) for record in page.records)
    if b"entry" not in body:
        assert page.records == [] and page.rejected == []
