"""The vector index grows with the day: changes go into a delta folder, the base is written only when due.

``search.indexing.refresh_vectors`` writes the papers embedded or changed since its last run
(and the base rows they retire) into a small delta; readers keep the base they hold open. The
first tests drive it through the database (SQLite and PostgreSQL); the last checks that a
base and delta rank exactly as one folder of the same live rows would.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from django.utils import timezone
from threadpoolctl import threadpool_info

from paperfeed.papers.admin import set_hidden
from paperfeed.papers.models import Paper
from paperfeed.papers.store import apply_deletions, upsert_records
from paperfeed.search import indexing
from paperfeed.search import vectors as vectors_module
from paperfeed.search.indexing import embed_pending, refresh_node_vectors
from paperfeed.search.query import Filters
from paperfeed.search.service import search, similar
from paperfeed.search.snapshot import current_generation, open_snapshot, read_state
from paperfeed.search.vectors import VectorColumns, VectorFolder, VectorIndex, write_delta, write_folder, write_rows
from tests.search_support import embedder, record

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("data_dir", "scifact")]

AXOLOTL = record(
    "2603.99100",
    "Blastema cells drive axolotl limb regeneration",
    abstract="Salamanders regrow amputated limbs; we trace the blastema cells that rebuild bone and muscle.",
    categories=["q-bio.CB"],
    announced_on=dt.date(2026, 3, 2),
)


def semantic(text: str, categories: tuple[str, ...] = ()) -> list[str]:
    filters = Filters(categories=categories) if categories else None
    return [hit.arxiv_id for hit in search(text, mode="semantic", limit=10, filters=filters).hits]


def state():
    generation = current_generation()
    assert generation is not None
    return read_state(generation)


def embed_and_refresh() -> bool:
    """New papers into the keyword index (results are described from it), embedded, then a vector refresh."""
    indexing.update_keyword(current_generation())  # type: ignore[arg-type]
    embed_pending(embedder())
    return refresh_node_vectors()


def touch(arxiv_id: str) -> None:
    """A change stamped a little later than the refresh before it (clocks of one test are too close)."""
    Paper.objects.filter(arxiv_id=arxiv_id).update(changed_at=timezone.now() + dt.timedelta(seconds=1))


def test_a_new_paper_reaches_the_vector_index_in_a_delta_and_the_base_is_not_written_again():
    base, count = state().vectors, state().vector_count
    assert base is not None and state().vector_delta is None
    upsert_records([AXOLOTL], "test")
    assert embed_and_refresh()
    assert state().vectors == base  # the same base folder
    assert state().vector_delta is not None and state().vector_count == count + 1
    assert semantic("how salamanders regrow their legs")[0] == "2603.99100"
    assert similar("2603.99100").hits  # its own vector is found in the delta


def test_replaced_delta_and_base_folders_are_removed():
    generation = current_generation()
    assert generation is not None
    for n in range(4):
        upsert_records([record(f"2603.9920{n}", f"Regeneration study {n}", announced_on=dt.date(2026, 3, 2))], "test")
        touch(f"2603.9920{n}")
        assert embed_and_refresh()
    folders = sorted(path.name for path in generation.iterdir() if path.name.startswith(("vectors-", "delta-")))
    assert len(folders) == 3, folders  # the base, the live delta and the one it replaced
    assert {state().vectors, state().vector_delta} <= set(folders)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(indexing, "delta_limit", lambda base_count: 1)
        upsert_records([record("2603.99299", "One more regeneration study")], "test")
        assert embed_and_refresh()  # past the limit: a new base
    folders = sorted(path.name for path in generation.iterdir() if path.name.startswith(("vectors-", "delta-")))
    assert state().vector_delta is None and len(folders) == 3, folders  # new base, old base, old delta


def test_a_refresh_with_nothing_new_writes_nothing():
    upsert_records([AXOLOTL], "test")
    embed_and_refresh()
    generation = current_generation()
    assert generation is not None
    stamp = (generation / "state.json").stat().st_mtime_ns
    assert not refresh_node_vectors()  # the overlap's papers are in the delta already, as they are
    assert not refresh_node_vectors()
    assert (generation / "state.json").stat().st_mtime_ns == stamp


def test_hidden_and_deleted_papers_leave_semantic_results_without_a_rebuild():
    found = semantic("cancer")
    hidden, deleted = found[0], found[1]
    base = state().vectors
    count = state().vector_count
    set_hidden(Paper.objects.filter(arxiv_id=hidden), True)
    touch(hidden)
    apply_deletions([deleted], [])
    touch(deleted)
    assert refresh_node_vectors()
    assert state().vectors == base and state().vector_count == count - 2
    assert not {hidden, deleted} & set(semantic("cancer"))
    set_hidden(Paper.objects.filter(arxiv_id=hidden), False)  # shown again: back from its own vector
    touch(hidden)
    assert refresh_node_vectors()
    assert hidden in semantic("cancer") and deleted not in semantic("cancer")
    assert state().vectors == base and state().vector_count == count - 1


def test_changed_filter_fields_are_what_filters_see():
    paper = Paper.objects.order_by("arxiv_id").first()
    assert paper is not None
    (was,) = paper.categories
    now = "q-bio.QM" if was == "q-bio.GN" else "q-bio.GN"
    assert paper.arxiv_id not in semantic(paper.title, categories=(now,))
    Paper.objects.filter(pk=paper.pk).update(categories=[now], changed_at=timezone.now() + dt.timedelta(seconds=1))
    assert refresh_node_vectors()
    assert semantic(paper.title, categories=(now,))[0] == paper.arxiv_id
    assert paper.arxiv_id not in semantic(paper.title, categories=(was,))


def test_a_delta_past_its_limit_is_folded_into_a_new_base(monkeypatch):
    base = state().vectors
    monkeypatch.setattr(indexing, "delta_limit", lambda base_count: 1)
    upsert_records([AXOLOTL, record("2603.99101", "Planarian regeneration from neoblasts")], "test")
    assert embed_and_refresh()
    assert state().vectors != base and state().vector_delta is None
    assert semantic("how salamanders regrow their legs")[0] == "2603.99100"


def test_a_paper_deleted_from_the_database_leaves_both_indexes_at_the_next_full_check(monkeypatch):
    gone = semantic("cancer")[0]
    title = Paper.objects.get(arxiv_id=gone).title
    base = state().vectors
    Paper.objects.filter(arxiv_id=gone).delete()  # its vector goes with it: no change to see
    assert not refresh_node_vectors()  # an idle step sees nothing...
    monkeypatch.setattr(indexing, "FULL_CHECK", dt.timedelta(0))  # ...until the full check is due
    assert refresh_node_vectors()
    assert state().vectors != base
    assert gone not in semantic("cancer")
    keyword = search(title, mode="keyword", limit=50)
    assert gone in [hit.arxiv_id for hit in keyword.hits]  # until the keyword step runs
    indexing.update_keyword(current_generation())  # type: ignore[arg-type]
    assert gone not in [hit.arxiv_id for hit in search(title, mode="keyword", limit=50).hits]


def test_a_reader_keeps_its_base_open_when_only_the_delta_changed():
    before = open_snapshot()
    assert before is not None and before.vectors is not None
    upsert_records([AXOLOTL], "test")
    embed_and_refresh()
    after = open_snapshot()
    assert after is not None and after.vectors is not None
    assert after.vectors.base is before.vectors.base  # the base's files were not read again
    assert after.vectors.delta is not None and len(after.vectors) == len(before.vectors) + 1


def test_an_old_state_without_a_watermark_gets_a_full_write_first():
    generation = current_generation()
    assert generation is not None
    old = read_state(generation)
    old.vectors_watermark = None
    indexing.write_state(generation, old)
    assert refresh_node_vectors()
    assert state().vectors != old.vectors and state().vectors_watermark is not None


# A base and a delta rank as one folder of their live rows ---------------------------------


def columns(ids: list[str], vectors: np.ndarray, days: list[int], categories: list[list[str]]) -> VectorColumns:
    return VectorColumns("m", ids, vectors, np.array(days, np.int32), np.array([d % 2 == 0 for d in days]), categories)


@pytest.mark.parametrize("backend", ["exact", "ivf"])
def test_base_and_delta_rank_exactly_as_one_folder_of_the_live_rows(tmp_path, backend):
    rng = np.random.default_rng(3)
    size, dims = 600, 16
    vectors = rng.normal(size=(size, dims)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    ids = [f"2601.{n:05d}" for n in range(size)]
    days = [20_500 + n % 7 for n in range(size)]
    cats = [["cs.LG"] if n % 3 else ["cs.CL"] for n in range(size)]
    write_folder(columns(ids, vectors, days, cats), tmp_path / "base", backend=backend)
    # The delta: 40 base papers changed (new vectors, days, categories), 30 retired, 25 new.
    changed, retired, new = list(range(0, 80, 2)), list(range(1, 61, 2)), [f"2602.{n:05d}" for n in range(25)]
    delta_ids = sorted([ids[n] for n in changed] + new)
    delta_vectors = rng.normal(size=(len(delta_ids), dims)).astype(np.float32)
    delta_vectors /= np.linalg.norm(delta_vectors, axis=1, keepdims=True)
    delta_days = [20_500 + n % 5 for n in range(len(delta_ids))]
    delta_cats = [["cs.CL"] if n % 2 else ["cs.LG", "cs.AI"] for n in range(len(delta_ids))]
    delta = columns(delta_ids, delta_vectors, delta_days, delta_cats)
    dead = [ids[n] for n in changed + retired]
    write_delta(delta, dead, tmp_path / "delta")
    layered = VectorIndex.load(tmp_path / "base", tmp_path / "delta")
    # What it should equal: the live base rows and the delta's rows, in one exact folder.
    live = [n for n in range(size) if ids[n] not in set(dead)]
    merged = sorted(
        [(ids[n], vectors[n], days[n], cats[n]) for n in live]
        + list(zip(delta_ids, delta_vectors, delta_days, delta_cats, strict=True))
    )
    write_folder(
        columns(
            [m[0] for m in merged], np.vstack([m[1] for m in merged]), [m[2] for m in merged], [m[3] for m in merged]
        ),
        tmp_path / "one",
        backend="exact",
    )
    one = VectorIndex.load(tmp_path / "one")
    assert len(layered) == len(one) == size - len(dead) + len(delta_ids)
    for filters in [Filters(), Filters(categories=("cs.CL",)), Filters(date_from=dt.date(2026, 2, 14), has_code=True)]:
        for query in rng.normal(size=(5, dims)).astype(np.float32):
            query /= np.linalg.norm(query)
            got = layered.nearest(query, 10, layered.mask(filters))
            want = one.nearest(query, 10, one.mask(filters))
            assert [p for p, _ in got] == [p for p, _ in want]
            assert [s for _, s in got] == pytest.approx([s for _, s in want], abs=1e-6)
    assert layered.vector_of(ids[1]) is None  # retired
    assert np.allclose(layered.vector_of(ids[0]), delta_vectors[delta_ids.index(ids[0])])  # the delta's
    assert np.allclose(layered.vector_of(ids[99]), vectors[99])  # a live base row
    assert isinstance(layered.base, VectorFolder)


def test_a_streamed_base_is_the_folder_of_its_rows_in_arxiv_id_order(tmp_path, monkeypatch):
    monkeypatch.setattr(vectors_module, "STREAM_CHUNK", 7)  # several chunks of the reordering copy
    rng = np.random.default_rng(5)
    ids = [f"2601.{n:05d}" for n in rng.permutation(50)]
    matrix = rng.normal(size=(50, 8)).astype(np.float32)
    rows = [
        (i, matrix[n].astype("<f4").tobytes(), 20_000 + n, n % 3 == 0, ["cs.LG"] if n % 2 else ["cs.CL"])
        for n, i in enumerate(ids)
    ]
    assert write_rows("m", iter(rows), tmp_path / "streamed") == 50
    streamed = VectorFolder.load(tmp_path / "streamed")
    order = np.argsort(ids)
    assert list(streamed.ids) == sorted(ids)
    assert np.array_equal(np.asarray(streamed.vectors), matrix[order])
    assert list(streamed.days) == [20_000 + n for n in order]
    assert set(streamed.categories["cs.CL"].tolist()) == {row for row, n in enumerate(order) if n % 2 == 0}
    assert not (tmp_path / "streamed" / ".vectors.raw").exists()


def test_a_vector_search_runs_on_one_blas_thread(tmp_path, monkeypatch):
    """Waking a BLAS thread per core for a small product cost more than the product on busy cores."""
    seen: list[set[int]] = []
    real = vectors_module.exact_top

    def watched(*args, **kwargs):
        seen.append({lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"})
        return real(*args, **kwargs)

    monkeypatch.setattr(vectors_module, "exact_top", watched)
    rng = np.random.default_rng(2)
    matrix = rng.normal(size=(40, 8)).astype(np.float32)
    write_folder(columns([f"2601.{n:05d}" for n in range(40)], matrix, [20_500] * 40, [["cs.LG"]] * 40), tmp_path / "b")
    write_delta(columns(["2602.00001"], matrix[:1], [20_500], [["cs.LG"]]), ["2601.00003"], tmp_path / "d")
    index = VectorIndex.load(tmp_path / "b", tmp_path / "d")
    assert index.nearest(matrix[5], 3)[0][0] == "2601.00005"
    assert seen and all(threads == {1} for threads in seen)
