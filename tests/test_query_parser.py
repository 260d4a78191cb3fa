"""The query language: paperfeed.search.query.parse_query (pure, no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from paperfeed.search.query import Filters, QueryError, parse_query


def test_bare_words_are_scored_terms_in_order():
    assert parse_query("graph  neural networks").terms == ("graph", "neural", "networks")


def test_quoted_words_are_one_phrase():
    parsed = parse_query('"large language models" safety')
    assert parsed.phrases == ("large language models",)
    assert parsed.terms == ("safety",)


def test_a_minus_excludes_a_word_or_a_phrase():
    parsed = parse_query('agents -survey -"reinforcement learning"')
    assert parsed.excluded == ("survey", "reinforcement learning")
    assert parsed.terms == ("agents",)


def test_author_takes_a_word_or_a_quoted_name():
    assert parse_query('author:hinton author:"Yann LeCun"').authors == ("hinton", "Yann LeCun")


def test_categories_are_normalised_to_arxiv_case():
    assert parse_query("cat:cs.lg cat:CS.CV cat:hep-th cat:cs.LG").filters.categories == ("cs.LG", "cs.CV", "hep-th")


def test_a_malformed_category_is_an_error_naming_it():
    with pytest.raises(QueryError, match=r"cat:cs\.LG!"):
        parse_query("cat:cs.LG!")


def test_year_covers_the_whole_year():
    filters = parse_query("year:2026").filters
    assert (filters.date_from, filters.date_to) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def test_a_date_range_is_inclusive_at_both_ends():
    filters = parse_query("date:2026-03-01..2026-03-31").filters
    assert (filters.date_from, filters.date_to) == (dt.date(2026, 3, 1), dt.date(2026, 3, 31))


def test_a_month_ends_on_its_last_day_even_in_february():
    filters = parse_query("date:2028-02").filters
    assert (filters.date_from, filters.date_to) == (dt.date(2028, 2, 1), dt.date(2028, 2, 29))


def test_a_range_may_be_open_at_either_end():
    assert parse_query("date:2026-03-05..").filters.date_to is None
    assert parse_query("date:..2025").filters == Filters(date_to=dt.date(2025, 12, 31))


@pytest.mark.parametrize("value", ["date:2026-13", "date:2026-02-30", "year:26", "date:yesterday"])
def test_an_impossible_date_is_an_error(value):
    with pytest.raises(QueryError):
        parse_query(value)


def test_has_code_and_its_negation_are_filters():
    assert parse_query("has:code").filters.has_code is True
    assert parse_query("-has:code").filters.has_code is False
    assert parse_query("agents").filters.has_code is None


def test_an_unknown_prefix_is_searched_as_plain_words():
    assert parse_query("re:invent").terms == ("re:invent",)


def test_the_text_for_meaning_leaves_out_filters_and_exclusions():
    parsed = parse_query('"protein folding" diffusion -survey cat:q-bio.BM year:2025 has:code')
    assert parsed.text == "protein folding diffusion"
    assert parsed.has_constraints


def test_filters_alone_are_not_constraints_but_are_truthy():
    parsed = parse_query("cat:cs.CL")
    assert not parsed.has_constraints
    assert parsed.filters
    assert not Filters()


def test_an_unclosed_quote_runs_to_the_end():
    assert parse_query('"open phrase').phrases == ("open phrase",)
