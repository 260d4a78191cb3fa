"""Keeping the indexes in step with the database: keyword at once, vectors in the background.

``index_papers`` is what ``paperfeed index`` and the worker's "index new papers" job run:

1. keyword: papers whose ``changed_at`` is past the watermark (less an overlap, since
   writes commit a little after they are stamped) are written again; a first run,
   ``rebuild`` or a keyword index of an older schema builds a new generation aside and
   swaps it in;
2. embeddings: papers without a vector of the configured model, or changed since theirs,
   are embedded in batches (each batch committed, so an interrupted run resumes);
3. vectors: when the stored vectors changed, a new vector folder is written aside and
   named in state.json in one rename.

``embed_for_a_while`` is the embedding lane's job (``paperfeed worker --lane embed``): pending
papers newest day first, batch after batch until none are left, the time slice ends or a stop
is asked for, with the node's vector folder rewritten at most every ``EMBED_REFRESH_SECONDS``
(``VectorRefresh``) and once at the end.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import socket
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import tantivy
from django.conf import settings
from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from paperfeed.papers.models import Paper, paper_day
from paperfeed.papers.visible import PAPER_DAY
from paperfeed.search import keyword
from paperfeed.search.embedding import Embedder, model_id, paper_text
from paperfeed.search.models import EmbeddingClaim, PaperVector
from paperfeed.search.onnxmodel import configured_embedder, prepare_runtime
from paperfeed.search.snapshot import (
    State,
    current_generation,
    make_current,
    new_generation,
    read_state,
    write_state,
    writer_lock,
)
from paperfeed.search.vectors import VectorColumns, VectorFolder, day_number, write_delta, write_rows

OVERLAP = dt.timedelta(minutes=10)  # read again at each full check: for writes committed long after their stamp
STEP_OVERLAP = dt.timedelta(seconds=30)  # read again at every other step: a batch commits within seconds
FULL_CHECK = dt.timedelta(minutes=10)  # an idle index step still reads the overlap and counts this often
CHUNK = 2000
# Texts per forward pass. A batch of papers (PAPERFEED_EMBEDDING_BATCH_SIZE) is sorted by length
# before it is cut into passes; larger batches mostly save database round trips (most abstracts
# reach the 256-token cut, so there is little padding to save: bench/embedding.py).
ENCODE_BATCH = 32
CLAIM_TRIES = 5  # claim attempts per batch while other lanes keep winning the same papers
Progress = Callable[[str, int, int], None]  # stage, done, total


def _quiet(stage: str, done: int, total: int) -> None:
    pass


@dataclass
class IndexReport:
    keyword_written: int = 0
    rebuilt: bool = False
    embedded: int = 0
    vectors: int = 0
    without_vectors: int | None = None  # not counted on an idle step of the index job
    vectors_refreshed: bool = False

    @property
    def idle(self) -> bool:
        return not (self.keyword_written or self.rebuilt or self.embedded or self.vectors_refreshed)

    def summary(self) -> str:
        how = "rebuilt" if self.rebuilt else "updated"
        without = "" if self.without_vectors is None else f", {self.without_vectors} without"
        return (
            f"keyword index {how}: {self.keyword_written} papers written; {self.embedded} embedded; "
            f"{self.vectors} papers with vectors{without}"
        )


def index_papers(
    *,
    rebuild: bool = False,
    embed: bool = True,
    embed_limit: int | None = None,
    progress: Progress = _quiet,
    count: bool = True,
) -> IndexReport:
    """Bring the indexes up to date with the database (see the module's docstring).

    ``count=False`` (the index job, every few seconds) counts papers without vectors only when
    something changed.
    """
    report = IndexReport()
    with writer_lock():
        generation = current_generation()
        if rebuild or generation is None or not keyword.is_current(keyword.open_index(generation / "keyword")):
            generation, report.keyword_written, report.rebuilt = build_generation(progress), len_papers(), True
        else:
            report.keyword_written = update_keyword(generation, progress)
    if embed and pending_papers(model_id(settings.EMBEDDING_MODEL)).exists():  # no model load when none wait
        prepare_runtime()
        embedder = configured_embedder()
        report.embedded = embed_pending(embedder, progress, limit=embed_limit)
    with writer_lock():
        report.vectors_refreshed = refresh_vectors(current_generation() or generation)
    report.vectors = read_state(current_generation() or generation).vector_count
    if count or not report.idle:  # an idle job step costs two index lookups, not a count of every paper
        report.without_vectors = max(0, len_papers() - report.vectors)
    return report


def len_papers() -> int:
    return Paper.objects.count()


# Keyword ----------------------------------------------------------------------------------


def paper_docs(papers: QuerySet[Paper]) -> Iterator[keyword.PaperDoc]:
    fields = ("arxiv_id", "title", "abstract", "authors", "categories", "has_code")
    for row in (
        papers.order_by("pk")
        .values(*fields, "announced_on", "published", "hf_submitted_at", "is_hidden", "deleted_upstream_at")
        .iterator(chunk_size=CHUNK)
    ):
        announced, published, featured = row.pop("announced_on"), row.pop("published"), row.pop("hf_submitted_at")
        hidden, deleted = row.pop("is_hidden"), row.pop("deleted_upstream_at")
        hidden = hidden or deleted is not None  # in no result either way
        yield keyword.PaperDoc(**row, day=paper_day(announced, published, featured), hidden=hidden)


def _write(folder: Path, papers: QuerySet[Paper], *, replace: bool, progress: Progress) -> int:
    total, written = papers.count(), 0
    writer = keyword.open_index(folder).writer(heap_size=128_000_000, num_threads=1)
    for doc in paper_docs(papers):
        written += keyword.write_papers(writer, [doc], replace=replace)
        if written % CHUNK == 0:
            progress("keyword", written, total)
    writer.commit()
    writer.wait_merging_threads()
    progress("keyword", written, total)
    return written


def build_generation(progress: Progress = _quiet) -> Path:
    """A complete new generation (keyword, and vectors from the stored ones), then swapped in."""
    started, seen = timezone.now(), newest_change()
    generation = new_generation()
    try:
        _write(generation / "keyword", Paper.objects.all(), replace=False, progress=progress)
        stamp = started.isoformat()
        write_state(generation, State(keyword_watermark=stamp, keyword_seen=seen, keyword_checked_at=stamp))
        refresh_vectors(generation, force=True)
    except BaseException:
        shutil.rmtree(generation, ignore_errors=True)
        raise
    make_current(generation)
    return generation


def newest_change(*, vectors: bool = False) -> str:
    """The newest paper change (and with ``vectors`` the newest vector), from index lookups: what an
    idle index step compares with the one it saw last.

    A write stamped before the newest one but committed after it is not seen here; the full
    check at least every ``FULL_CHECK`` (which reads the overlap again) catches it.
    """
    paper = Paper.objects.aggregate(last=Max("changed_at"))["last"]
    seen = paper.isoformat() if paper else ""
    if vectors:
        vector = PaperVector.objects.aggregate(last=Max("computed_at"))["last"]
        seen += f"|{vector.isoformat() if vector else ''}"
    return seen


def _full_check_due(checked_at: str | None) -> bool:
    checked = dt.datetime.fromisoformat(checked_at) if checked_at else None
    return checked is None or timezone.now() - checked >= FULL_CHECK


def update_keyword(generation: Path, progress: Progress = _quiet) -> int:
    """Write again the papers changed since the watermark; returns how many.

    When nothing changed since the last update (``newest_change``) it reads and writes
    nothing, so the index job can run every few seconds on every node.
    """
    state = read_state(generation)
    seen = newest_change()
    if state.keyword_seen == seen and not _full_check_due(state.keyword_checked_at):
        return 0
    started = timezone.now()
    overlap = OVERLAP if _full_check_due(state.keyword_checked_at) else STEP_OVERLAP
    since = dt.datetime.fromisoformat(state.keyword_watermark) - overlap if state.keyword_watermark else None
    papers = Paper.objects.filter(changed_at__gte=since) if since else Paper.objects.all()
    written = _write(generation / "keyword", papers, replace=True, progress=progress)
    state.keyword_watermark, state.keyword_seen = started.isoformat(), seen
    if _full_check_due(state.keyword_checked_at):  # a count of every paper: not at every change
        _drop_missing(generation / "keyword")
        state.keyword_checked_at = started.isoformat()
    write_state(generation, state)
    return written


def _drop_missing(folder: Path) -> int:
    """Remove papers deleted from the database (no change to see): only when the index holds more than are visible."""
    index = keyword.open_index(folder)
    index.reload()
    searcher = index.searcher()
    if searcher.num_docs <= Paper.objects.filter(is_hidden=False, deleted_upstream_at=None).count():
        return 0
    hits = searcher.search(tantivy.Query.all_query(), limit=searcher.num_docs).hits
    indexed = {searcher.doc(address)["arxiv_id"][0] for _, address in hits}
    stored = set(Paper.objects.values_list("arxiv_id", flat=True).iterator(chunk_size=CHUNK))
    writer = index.writer(heap_size=15_000_000, num_threads=1)
    for arxiv_id in indexed - stored:
        writer.delete_documents_by_term("arxiv_id", arxiv_id)
    writer.commit()
    writer.wait_merging_threads()
    return len(indexed - stored)


# Embeddings -------------------------------------------------------------------------------


def pending_papers(model: str) -> QuerySet[Paper]:
    """Papers without a vector of ``model``, or changed since theirs was computed."""
    stale = Q(vector__isnull=True) | ~Q(vector__model_id=model) | Q(vector__paper_changed_at__lt=F("changed_at"))
    return Paper.objects.filter(stale, is_hidden=False, deleted_upstream_at=None)


def text_sha1(title: str, abstract: str) -> str:
    return hashlib.sha1(paper_text(title, abstract).encode()).hexdigest()


def newest_first(papers: QuerySet[Paper]) -> QuerySet[Paper]:
    """Papers of the newest day first (the day's own papers in id order), papers without a day last."""
    return papers.annotate(paper_day=PAPER_DAY).order_by(F("paper_day").desc(nulls_last=True), "arxiv_id")


def embed_next_batch(embedder: Embedder, batch_size: int) -> int:
    """Embed one batch of pending papers, newest day first (unchanged texts only re-stamped); 0 when none are left.

    The batch is claimed first (``claim_batch``), so embed lanes on several nodes share a backfill
    and no paper is embedded, or its vector written, twice.
    """
    batch, papers = claim_batch(embedder.model_id, batch_size)
    if not papers:
        return 0
    try:
        return _embed_claimed(embedder, papers)
    finally:
        EmbeddingClaim.objects.filter(batch=batch).delete()


def claim_batch(model: str, batch_size: int) -> tuple[str, list[dict[str, Any]]]:
    """Claim up to ``batch_size`` pending papers no other lane holds, newest day first: (batch id, papers).

    Claims past their time are dropped first (their lane died); inserting a claim that another
    lane made a moment before does nothing (one row per paper), so each paper is in one batch.
    """
    now = timezone.now()
    EmbeddingClaim.objects.filter(claimed_until__lt=now).delete()
    _release_dead_local_claims()
    batch = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
    held = EmbeddingClaim.objects.filter(paper=OuterRef("pk"))
    until = now + dt.timedelta(seconds=settings.EMBEDDING_CLAIM_SECONDS)
    for _ in range(CLAIM_TRIES):  # another lane took every paper we asked for: ask for the next ones
        wanted = list(
            newest_first(pending_papers(model).exclude(Exists(held))).values_list("pk", flat=True)[:batch_size]
        )
        claims = [EmbeddingClaim(paper_id=pk, batch=batch, claimed_until=until) for pk in wanted]
        EmbeddingClaim.objects.bulk_create(claims, ignore_conflicts=True)
        mine = EmbeddingClaim.objects.filter(batch=batch).values("paper_id")
        papers = newest_first(Paper.objects.filter(pk__in=mine)).values("pk", "title", "abstract", "changed_at")
        if papers or not wanted:
            break
    return batch, [dict(row) for row in papers]


def _release_dead_local_claims() -> None:
    """Claims of a process of this host that is gone (killed mid-batch) go now, not when they run out.

    A batch id is HOST:PID:RANDOM; other hosts' dead lanes are only known by their claims' time.
    """
    host = socket.gethostname()
    local = EmbeddingClaim.objects.filter(batch__startswith=f"{host}:").values_list("batch", flat=True).distinct()
    dead = [batch for batch in local if not _alive(batch.removeprefix(f"{host}:").split(":", 1)[0])]
    if dead:
        EmbeddingClaim.objects.filter(batch__in=dead).delete()


def _alive(pid: str) -> bool:
    if not (pid.isascii() and pid.isdigit()):
        return True  # not ours to judge: left to run out
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def _embed_claimed(embedder: Embedder, papers: list[dict[str, Any]]) -> int:
    known = {v.paper_id: v for v in PaperVector.objects.filter(paper_id__in=[p["pk"] for p in papers])}
    hashes = [text_sha1(p["title"], p["abstract"]) for p in papers]
    todo = [i for i, p in enumerate(papers) if _needs_vector(known.get(p["pk"]), embedder.model_id, hashes[i])]
    fresh = embedder.embed([paper_text(papers[i]["title"], papers[i]["abstract"]) for i in todo], ENCODE_BATCH)
    vectors = {i: fresh[n].astype("<f4").tobytes() for n, i in enumerate(todo)}
    now = timezone.now()
    rows = [
        PaperVector(
            paper_id=p["pk"],
            model_id=embedder.model_id,
            vector=vectors[i] if i in vectors else bytes(known[p["pk"]].vector),
            text_sha1=hashes[i],
            paper_changed_at=p["changed_at"],
            computed_at=now if i in vectors else known[p["pk"]].computed_at,
        )
        for i, p in enumerate(papers)
    ]
    PaperVector.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["paper"],
        update_fields=["model_id", "vector", "text_sha1", "paper_changed_at", "computed_at"],
    )
    return len(papers)


def _needs_vector(vector: PaperVector | None, model: str, sha1: str) -> bool:
    return vector is None or vector.model_id != model or vector.text_sha1 != sha1


def embed_pending(embedder: Embedder, progress: Progress = _quiet, limit: int | None = None) -> int:
    """Embed pending papers batch after batch (at most ``limit``); returns how many were handled."""
    total = pending_papers(embedder.model_id).count()
    total = total if limit is None else min(total, limit)
    done = 0
    progress("embeddings", 0, total)
    while done < total:
        handled = embed_next_batch(embedder, min(settings.EMBEDDING_BATCH_SIZE, total - done))
        if handled == 0:
            break
        done += handled
        progress("embeddings", done, total)
    return done


@dataclass
class VectorRefresh:
    """Rewrite the node's vector folder at most every ``seconds`` while papers are being embedded.

    ``refresh_vectors`` writes every stored vector again (bench/embedding.py measures it at the
    corpus's size), so it runs on a timer, not after every batch.
    """

    seconds: float
    clock: Callable[[], float] = time.monotonic
    last: float = field(default=0.0)

    def __post_init__(self) -> None:
        self.last = self.clock()

    def after_batch(self) -> bool:
        if self.clock() - self.last < self.seconds:
            return False
        self.now()
        return True

    def now(self) -> None:
        refresh_node_vectors()
        self.last = self.clock()


def refresh_node_vectors() -> bool:
    """``refresh_vectors`` on this node's current generation, under the writer lock; False without one."""
    with writer_lock():
        generation = current_generation()
        return refresh_vectors(generation) if generation is not None else False


def embed_for_a_while(
    stop: Callable[[], bool],
    progress: Callable[[str], None],
    *,
    seconds: float,
    refresh_seconds: float,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """Embed pending papers, newest first, for up to ``seconds`` or until ``stop()``; returns how many.

    The stop flag is read between batches, so a stop waits for one batch at most. The vector
    index is refreshed as soon as the newest pending day is done, then every ``refresh_seconds``.
    """
    if not pending_papers(model_id(settings.EMBEDDING_MODEL)).exists():  # no model load when none wait
        refresh_node_vectors()
        return 0
    embedder = configured_embedder()
    refresh, started, done = VectorRefresh(refresh_seconds, clock), clock(), 0
    first_day = newest_pending_day(embedder.model_id)
    while not stop() and clock() - started < seconds:
        handled = embed_next_batch(embedder, settings.EMBEDDING_BATCH_SIZE)
        if handled == 0:
            break
        done += handled
        if first_day is not None and newest_pending_day(embedder.model_id) != first_day:
            refresh.now()  # the newest day is done: searchable now, not at the next tick
            progress(f"{done} embedded; the papers of {first_day} are searchable by meaning")
            first_day = None
        elif refresh.after_batch():
            progress(f"{done} embedded; vector index refreshed")
    refresh.now()
    return done


def newest_pending_day(model: str) -> dt.date | None:
    newest = pending_papers(model).aggregate(day=Max(PAPER_DAY))["day"]
    return newest if isinstance(newest, dt.date) else None


# Vectors ----------------------------------------------------------------------------------


def refresh_vectors(generation: Path, *, force: bool = False) -> bool:
    """Bring the generation's vector index up to date with the stored vectors; False when nothing changed.

    Papers embedded, or changed (hidden, deleted upstream, new categories or code), since the
    last refresh go into a new delta folder beside the base, and their base rows die: the work
    grows with the day's changes, not with the corpus. The base is written whole instead with
    ``force``, on a first refresh or another model, when the delta outgrows ``delta_limit``,
    or when the counts do not add up (a paper deleted from the database leaves no change to see).
    """
    model = model_id(settings.EMBEDDING_MODEL)
    state = read_state(generation)
    started, seen = timezone.now(), newest_change(vectors=True)
    if force or state.model_id != model or state.vectors_watermark is None:
        return _write_base(generation, state, model, started, seen)
    if state.vectors_seen == seen and not _full_check_due(state.vectors_checked_at):
        return False
    if state.vectors is None:
        return _write_base(generation, state, model, started, seen) if visible_vectors(model).exists() else False
    overlap = OVERLAP if _full_check_due(state.vectors_checked_at) else STEP_OVERLAP
    since = dt.datetime.fromisoformat(state.vectors_watermark) - overlap
    base_ids = np.load(generation / state.vectors / "ids.npy", mmap_mode="r")  # sorted; read where searched
    changed = _changed_since(model, since, delta_limit(len(base_ids)))
    if changed is None:
        return _write_base(generation, state, model, started, seen)
    return _write_delta(generation, state, base_ids, changed, started, seen)


def visible_vectors(model: str) -> QuerySet[PaperVector]:
    return PaperVector.objects.filter(model_id=model, paper__is_hidden=False, paper__deleted_upstream_at=None)


def delta_limit(base_count: int) -> int:
    """Rows a delta may hold (its own, and the base rows it retired) before the base is written again.

    Every search scans the delta exactly: 50,000 rows is a few milliseconds.
    """
    return min(50_000, max(5_000, base_count // 20))


def _folder_name(kind: str) -> str:
    return f"{kind}-{timezone.now().strftime('%Y%m%dT%H%M%S%f')}"


def _write_base(generation: Path, state: State, model: str, started: dt.datetime, seen: str) -> bool:
    """Every visible vector into a new base folder, streamed (memory holds ids and filters, not the matrix)."""
    old = {state.vectors, state.vector_delta}
    name = _folder_name("vectors")
    rows = ((r.arxiv_id, r.vector, r.day, r.has_code, r.categories) for r in _vector_rows(visible_vectors(model)))
    try:
        count = write_rows(model, rows, generation / name)
    except BaseException:
        shutil.rmtree(generation / name, ignore_errors=True)
        raise
    if not count:
        shutil.rmtree(generation / name, ignore_errors=True)
    state.vectors, state.vector_delta, state.vector_count, state.model_id = name if count else None, None, count, model
    state.vectors_watermark, state.vectors_seen, state.vectors_checked_at = (
        started.isoformat(),
        seen,
        started.isoformat(),
    )
    write_state(generation, state)
    _remove_old_vectors(generation, keep={state.vectors, *old})
    return True


def _changed_since(model: str, since: dt.datetime, limit: int) -> dict[str, VectorRow] | None:
    """Vector rows, visible or not, of papers embedded or changed since ``since``; None when over ``limit``."""
    embedded = PaperVector.objects.filter(model_id=model, computed_at__gte=since)
    touched = PaperVector.objects.filter(model_id=model, paper__changed_at__gte=since)
    if embedded.count() + touched.count() > limit:  # two index range counts, before any row is read
        return None
    return {row.arxiv_id: row for query in (embedded, touched) for row in _vector_rows(query, visible_only=False)}


def _write_delta(
    generation: Path,
    state: State,
    base_ids: npt.NDArray[np.str_],
    changed: dict[str, VectorRow],
    started: dt.datetime,
    seen: str,
) -> bool:
    assert state.vectors is not None and state.model_id is not None
    old_rows, old_dead = _read_delta(generation / state.vector_delta) if state.vector_delta else ([], set())
    rows = sorted(
        [*(row for row in old_rows if row.arxiv_id not in changed), *(row for row in changed.values() if row.visible)],
        key=lambda row: row.arxiv_id,
    )
    dead = old_dead | {arxiv_id for arxiv_id in changed if _in_sorted(base_ids, arxiv_id)}
    count = visible_vectors(state.model_id).count()
    if len(base_ids) - len(dead) + len(rows) != count or len(rows) + len(dead) > delta_limit(len(base_ids)):
        return _write_base(generation, state, state.model_id, started, seen)
    if (rows, dead) == (old_rows, old_dead):  # only the overlap's papers, already in the delta as they are
        if state.vectors_seen != seen or _full_check_due(state.vectors_checked_at):
            state.vectors_seen, state.vectors_checked_at = seen, started.isoformat()
            write_state(generation, state)
        return False
    old = state.vector_delta
    state.vector_delta = _folder_name("delta")
    write_delta(_columns(state.model_id, rows), sorted(dead), generation / state.vector_delta)
    state.vector_count, state.vectors_watermark, state.vectors_seen = count, started.isoformat(), seen
    state.vectors_checked_at = started.isoformat()
    write_state(generation, state)
    _remove_old_vectors(generation, keep={state.vectors, state.vector_delta, old})
    return True


def _in_sorted(ids: npt.NDArray[np.str_], arxiv_id: str) -> bool:
    row = int(np.searchsorted(ids, arxiv_id))
    return row < len(ids) and ids[row] == arxiv_id


def _read_delta(folder: Path) -> tuple[list[VectorRow], set[str]]:
    delta = VectorFolder.load(folder)
    categories: list[list[str]] = [[] for _ in range(len(delta))]
    for category, members in delta.categories.items():
        for row in members:
            categories[row].append(category)
    rows = [
        VectorRow(
            str(arxiv_id),
            delta.vectors[n].astype("<f4").tobytes(),
            int(delta.days[n]),
            bool(delta.has_code[n]),
            tuple(sorted(categories[n])),
        )
        for n, arxiv_id in enumerate(delta.ids)
    ]
    return rows, set(np.load(folder / "dead.npy").tolist())


def _remove_old_vectors(generation: Path, keep: set[str | None]) -> None:
    """Base and delta folders but those in ``keep`` (the live ones and those they replaced, which
    readers may still be reading: a memory-mapped file outlives its name anyway)."""
    for folder in [*generation.glob("vectors-*"), *generation.glob("delta-*")]:
        if folder.name not in keep:
            shutil.rmtree(folder, ignore_errors=True)


@dataclass(frozen=True)
class VectorRow:
    """One paper's row of a vector folder."""

    arxiv_id: str
    vector: bytes  # float32, little-endian
    day: int
    has_code: bool
    categories: tuple[str, ...]  # sorted
    visible: bool = True


def _vector_rows(vectors: QuerySet[PaperVector], *, visible_only: bool = True) -> Iterator[VectorRow]:
    fields = ["paper__arxiv_id", "vector", "paper__announced_on", "paper__published", "paper__hf_submitted_at"]
    fields += ["paper__has_code", "paper__categories", "paper__is_hidden", "paper__deleted_upstream_at"]
    for arxiv_id, vector, announced, published, featured, code, cats, hidden, deleted in vectors.values_list(
        *fields
    ).iterator(chunk_size=CHUNK):
        visible = not hidden and deleted is None
        if visible or not visible_only:
            day = day_number(paper_day(announced, published, featured))
            yield VectorRow(arxiv_id, bytes(vector), day, code, tuple(sorted(set(cats))), visible)


def _columns(model: str, rows: list[VectorRow]) -> VectorColumns:
    # Sorted here, not by the database: its collation may not order strings as numpy does.
    order = np.argsort(np.array([row.arxiv_id for row in rows], dtype=str), kind="stable")
    dimension = len(rows[0].vector) // 4 if rows else 0
    vectors = np.empty((len(rows), dimension), np.float32)
    for n, i in enumerate(order):
        vectors[n] = np.frombuffer(rows[i].vector, dtype="<f4")
    return VectorColumns(
        model,
        [rows[i].arxiv_id for i in order],
        vectors,
        np.array([rows[i].day for i in order], np.int32),
        np.array([rows[i].has_code for i in order], bool),
        [rows[i].categories for i in order],
    )
