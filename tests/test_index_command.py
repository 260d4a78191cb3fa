"""paperfeed index [--rebuild] [--no-embed] [--embed-limit N]: indexes derived from the store, swapped atomically."""

from __future__ import annotations

import threading

import pytest

from paperfeed.papers.models import Paper
from paperfeed.search.indexing import index_papers
from paperfeed.search.service import search
from paperfeed.search.snapshot import current_generation, search_root
from tests.conftest import daily_file, import_day, run_cli

# Every test has a data directory of its own (tests/conftest.py), so no other test's index is seen.
pytestmark = pytest.mark.usefixtures("data_dir")


def test_index_makes_imported_papers_searchable_and_embeds_up_to_the_limit(cli_env):
    assert run_cli(cli_env, "migrate", "-v", "0").returncode == 0
    assert run_cli(cli_env, "import", "--quiet", str(daily_file("2026-03-02"))).returncode == 0
    done = run_cli(cli_env, "index", "--embed-limit", "6")
    assert done.returncode == 0, done.stderr
    assert "rebuilt" in done.stdout and "6 embedded" in done.stdout and "6 papers with vectors" in done.stdout
    again = run_cli(cli_env, "index", "--no-embed")
    assert "updated" in again.stdout and "6 papers with vectors" in again.stdout


def test_rebuild_builds_a_new_generation_and_keeps_only_the_previous_one(db):
    import_day()
    index_papers(embed=False)
    generations = [current_generation()]
    for _ in range(3):
        index_papers(rebuild=True, embed=False)
        generations.append(current_generation())
    assert len(set(generations)) == 4
    assert sorted(p.name for p in search_root().glob("gen-*")) == sorted(g.name for g in generations[-2:])


def test_a_failed_rebuild_leaves_the_live_index_alone(db, monkeypatch):
    import_day()
    index_papers(embed=False)
    live = current_generation()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("paperfeed.search.indexing.write_state", broken)
    with pytest.raises(RuntimeError):
        index_papers(rebuild=True, embed=False)
    assert current_generation() == live and list(search_root().glob("gen-*")) == [live]


def test_searches_running_during_rebuilds_always_see_a_whole_index(db):
    import_day()
    index_papers(embed=False)
    papers = list(Paper.objects.order_by("arxiv_id").values_list("arxiv_id", "title")[:20])
    failures: list[str] = []
    stop = threading.Event()

    def keep_searching():
        while not stop.is_set():
            for arxiv_id, title in papers:
                try:
                    hits = search(title, mode="keyword", limit=1).hits
                    if not hits or hits[0].arxiv_id != arxiv_id:
                        failures.append(f"{arxiv_id}: {hits}")
                except Exception as error:  # any error at all is a failure of the swap
                    failures.append(repr(error))

    readers = [threading.Thread(target=keep_searching) for _ in range(3)]
    for reader in readers:
        reader.start()
    try:
        for _ in range(4):
            index_papers(rebuild=True, embed=False)
    finally:
        stop.set()
        for reader in readers:
            reader.join()
    assert failures == []


def test_ctrl_c_while_embedding_ends_with_one_line_saying_what_is_kept(db, monkeypatch):
    from django.core.management import CommandError, call_command

    from paperfeed.search import indexing

    import_day()

    def interrupted_after_one_batch(embedder, progress, limit=None):
        progress("embeddings", 16, 166)
        raise KeyboardInterrupt

    monkeypatch.setattr(indexing, "embed_pending", interrupted_after_one_batch)
    monkeypatch.setattr(indexing, "configured_embedder", lambda: None)
    monkeypatch.setattr(indexing, "prepare_runtime", lambda *args: None)
    with pytest.raises(CommandError, match="interrupted: 16 papers embedded in this run are kept") as raised:
        call_command("index", "--quiet")
    assert raised.value.returncode == 130
    assert search("learning", mode="keyword").hits  # the keyword step before it stands
