"""The Hugging Face Daily Papers parser on real featured papers laid out as the API's JSON."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paperfeed.papers.records import PaperRecord
from paperfeed.papers.sources.errors import SourceFormatError
from paperfeed.papers.sources.parsers.hf_daily import HfPage, parse_daily_papers
from tests.conftest import shared
from tests.hf_fixtures import HF_DAILY, daily_papers_json

DAY = "2026-02-24"


def listing(day: str = DAY) -> list[dict[str, object]]:
    """The scraped records of ``day`` as stored in ../shared/data (what the fixture is built from)."""
    return json.loads(shared(HF_DAILY, "dates", f"{day}.json").read_text(encoding="utf-8"))["papers"]


def items(day: str = DAY) -> list[dict[str, object]]:
    return json.loads(daily_papers_json(day))


def test_every_featured_paper_of_a_day_becomes_a_record():
    page = parse_daily_papers(daily_papers_json(DAY))

    assert [record.arxiv_id for record in page.records] == [paper["paper_id"] for paper in listing()]
    assert page.rejected == []


@pytest.mark.parametrize("day", ["2026-02-02", "2026-02-13", "2026-02-27"])
def test_upvotes_titles_authors_and_code_links_match_the_real_records(day):
    records = parse_daily_papers(daily_papers_json(day)).records

    for record, paper in zip(records, listing(day), strict=True):
        assert record.upvotes == paper["upvotes"]
        assert record.title == " ".join(str(paper["title"]).split())
        assert record.authors == paper["authors"]
        assert record.code_links == ([paper["github_url"]] if paper["github_url"] else [])
        assert record.ai_summary == (paper.get("summary_en") or "")
        assert record.hf_submitted_at == dt.datetime.fromisoformat(f"{day}T00:00:00+00:00")


def test_the_abstract_is_the_paper_summary_without_the_ai_summary_in_front():
    record = parse_daily_papers(daily_papers_json(DAY)).records[0]
    paper = listing()[0]

    assert str(paper["abstract"]).startswith(str(paper["summary_en"]))
    assert record.abstract and not record.abstract.startswith(str(paper["summary_en"]))
    assert str(paper["abstract"]).endswith(record.abstract)


def test_every_api_field_is_mapped():
    item = items()[0]
    item["paper"] |= {  # type: ignore[operator]
        "publishedAt": "2026-02-23T17:59:58.000Z",
        "githubStars": 412,
        "ai_keywords": ["video reasoning", "benchmark", "video reasoning"],
        "projectPage": "https://video-reason.com/",
        "githubRepo": "https://github.com/example/vbvr",
    }
    item["numComments"] = 3

    (record,) = parse_daily_papers(json.dumps([item]).encode()).records

    assert record.published == dt.datetime(2026, 2, 23, 17, 59, 58, tzinfo=dt.UTC)
    assert record.github_stars == 412
    assert record.num_comments == 3
    assert record.ai_keywords == ["video reasoning", "benchmark"]
    assert record.project_page == "https://video-reason.com/"
    assert record.code_links == ["https://github.com/example/vbvr"]


def test_paper_fields_written_at_item_level_are_read_there():
    item = items()[0]
    paper = item["paper"]
    assert isinstance(paper, dict)
    item |= {key: paper.pop(key) for key in ("upvotes", "ai_summary", "title", "summary")}

    (record,) = parse_daily_papers(json.dumps([item]).encode()).records

    assert record.upvotes == listing()[0]["upvotes"]
    assert record.ai_summary == listing()[0]["summary_en"]
    assert record.title == listing()[0]["title"]


def test_the_item_publication_time_is_not_taken_for_the_arxiv_date():
    (record,) = parse_daily_papers(json.dumps(items()[:1]).encode()).records

    assert record.published is None


def test_one_bad_item_is_rejected_with_its_path_and_the_rest_kept():
    body = items()
    body[1]["paper"]["upvotes"] = "many"  # type: ignore[index]
    body[2] = "not an object"  # type: ignore[call-overload]
    body[3]["paper"]["id"] = "hf-only"  # type: ignore[index]

    page = parse_daily_papers(json.dumps(body).encode())

    assert len(page.records) == len(body) - 3
    assert len(page.rejected) == 3
    assert "$[1]" in page.rejected[0] and "paper.upvotes" in page.rejected[0]
    assert page.rejected[1].startswith("$[2]")
    assert "hf-only" in page.rejected[2]


@pytest.mark.parametrize(
    ("body", "match"),
    [
        (b'{"error": "Invalid date"}', r"expected a JSON list at \$, got dict"),
        (b'[{"paper": {"id": "2602.20159"', r"line 1, column \d+"),
        (b"\xff\xfe\x00garbage", "JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "JSON"),
    ],
)
def test_a_body_that_is_not_the_api_list_raises_a_format_error(body, match):
    with pytest.raises(SourceFormatError, match=match):
        parse_daily_papers(body)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
FIELDS = st.sampled_from(
    [
        "id",
        "title",
        "summary",
        "authors",
        "publishedAt",
        "upvotes",
        "githubRepo",
        "githubStars",
        "projectPage",
        "ai_summary",
        "ai_keywords",
        "submittedOnDailyAt",
        "numComments",
    ]
)


@settings(max_examples=150, deadline=None)
@given(index=st.integers(0, 24), key=FIELDS, value=JSON_VALUES, in_paper=st.booleans())
def test_a_real_item_with_any_field_replaced_gives_a_record_or_a_rejection(index, key, value, in_paper):
    body = items()
    target = body[index % len(body)]
    (target["paper"] if in_paper else target)[key] = value  # type: ignore[index]

    page = parse_daily_papers(json.dumps(body).encode())

    assert len(page.records) + len(page.rejected) == len(body)
    assert all(isinstance(record, PaperRecord) for record in page.records)


@settings(max_examples=150, deadline=None)
@given(st.one_of(JSON_VALUES.map(lambda v: json.dumps(v).encode()), st.binary(max_size=200)))
def test_any_json_or_bytes_give_a_page_or_a_format_error(body):
    try:
        page = parse_daily_papers(body)
    except SourceFormatError as error:
        assert str(error)
        return
    assert isinstance(page, HfPage)
    assert len(page.records) + len(page.rejected) == len(json.loads(body))
