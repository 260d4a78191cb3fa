"""paperfeed search "QUERY" [--mode M] [--limit N] [--offset N] [--json]"""

from __future__ import annotations

import json

import pytest

from tests.conftest import call, daily_file, import_day, run_cli

# Every test has a data directory of its own (tests/conftest.py), so no other test's index is seen.
pytestmark = pytest.mark.usefixtures("data_dir")


def test_search_prints_json_hits_best_first(cli_env):
    run_cli(cli_env, "migrate", "-v", "0")
    run_cli(cli_env, "import", "--quiet", str(daily_file("2026-03-02")))
    run_cli(cli_env, "index", "--no-embed")
    done = run_cli(cli_env, "search", "graph neural networks", "--mode", "keyword", "--limit", "5", "--json")
    assert done.returncode == 0, done.stderr
    hits = json.loads(done.stdout)
    assert len(hits) == 5 and {"id", "title", "score", "snippet"} <= set(hits[0])
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)


def test_search_text_output_has_one_line_a_hit_and_a_count(db):
    import_day()
    call("index", "--no-embed", "--quiet")
    status, out, _ = call("search", "language models", "--limit", "3")
    lines = out.strip().splitlines()
    assert status == 0 and len(lines) == 4 and lines[-1].startswith("3 shown of ")
    assert "(keyword)" in lines[-1]  # hybrid without vectors says what ran


def test_a_bad_query_exits_1_with_the_reason(db):
    import_day()
    call("index", "--no-embed", "--quiet")
    status, _, err = call("search", "cat:not/a/category")
    assert status == 1 and "cat:not/a/category" in err


def test_search_before_indexing_says_how_to_index(db):
    status, _, err = call("search", "anything")
    assert status == 1 and "paperfeed index" in err
