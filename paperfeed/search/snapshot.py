"""Index generations under PAPERFEED_DATA_DIR/search, swapped atomically, and the readers' view of them.

    search/current -> gen-20260312T101500-4242     a symlink, replaced atomically
    search/gen-.../keyword/                         the tantivy index (commits are atomic)
    search/gen-.../vectors-<stamp>/                 one vector folder, named in state.json
    search/gen-.../state.json                       watermarks and the live vector folder
    search/index.lock                               held by whoever writes

A rebuild writes a new generation beside the live one and swaps ``current``; readers notice
the new link (or a new state.json, or a keyword commit) on their next search and reopen, so
a search never sees a half-built index. The previous generation is kept for readers that
still hold it open; older ones are deleted.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import tantivy
from django.conf import settings
from django.utils import timezone

from paperfeed.search import keyword
from paperfeed.search.vectors import VectorIndex


@dataclass
class State:
    keyword_watermark: str | None = None
    vectors: str | None = None
    vector_count: int = 0
    vectors_computed_at: str | None = None  # no longer written; read from older state files
    model_id: str | None = None
    vector_delta: str | None = None  # the delta folder beside ``vectors`` (search.vectors)
    vectors_watermark: str | None = None  # when the last vector refresh began
    keyword_seen: str | None = None  # the newest change the keyword step saw (``indexing.newest_change``)
    vectors_seen: str | None = None  # the same, for the vector refresh
    keyword_checked_at: str | None = None  # the last full keyword step (for papers deleted from the database)
    vectors_checked_at: str | None = None  # the last full vector refresh (counts compared)


def search_root() -> Path:
    return Path(settings.DATA_DIR) / "search"


def current_generation() -> Path | None:
    link = search_root() / "current"
    try:
        return search_root() / os.readlink(link)
    except FileNotFoundError:
        return None


def new_generation() -> Path:
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
    generation = search_root() / f"gen-{stamp}-{os.getpid()}"
    generation.mkdir(parents=True)
    return generation


def read_state(generation: Path) -> State:
    path = generation / "state.json"
    return State(**json.loads(path.read_text())) if path.exists() else State()


def write_state(generation: Path, state: State) -> None:
    replace_atomically(generation / "state.json", json.dumps(asdict(state), indent=1))


def replace_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text)
    os.replace(temporary, path)


def make_current(generation: Path) -> None:
    """Point ``current`` at ``generation`` in one rename, then delete all but it and its predecessor."""
    previous = current_generation()
    temporary = search_root() / f".current.{os.getpid()}.tmp"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(generation.name)
    os.replace(temporary, search_root() / "current")
    keep = {generation.name, previous.name if previous else ""}
    for old in search_root().glob("gen-*"):
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def writer_lock() -> Iterator[None]:
    """One writer at a time, across processes; others wait their turn."""
    search_root().mkdir(parents=True, exist_ok=True)
    with (search_root() / "index.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


# Readers ----------------------------------------------------------------------------------


@dataclass
class Snapshot:
    generation: Path
    state: State
    keyword: tantivy.Index
    vectors: VectorIndex | None
    stamp: tuple[int, int]


_lock = threading.Lock()
_open: dict[str, Snapshot] = {}


def _stamp(generation: Path) -> tuple[int, int]:
    def mtime(path: Path) -> int:
        try:
            return path.stat().st_mtime_ns
        except FileNotFoundError:
            return 0

    return mtime(generation / "state.json"), mtime(generation / "keyword" / "meta.json")


def open_snapshot() -> Snapshot | None:
    """The live generation, opened once per process and reopened when it changed."""
    generation = current_generation()
    if generation is None:
        return None
    with _lock:
        cached = _open.get(str(settings.DATA_DIR))
        stamp = _stamp(generation)
        if cached is not None and cached.generation == generation and cached.stamp == stamp:
            return cached
        snapshot = _reopen(generation, stamp, cached)
        _open[str(settings.DATA_DIR)] = snapshot
        return snapshot


def _reopen(generation: Path, stamp: tuple[int, int], cached: Snapshot | None) -> Snapshot:
    state = read_state(generation)
    if cached is not None and cached.generation == generation:
        cached.keyword.reload()
        return Snapshot(generation, state, cached.keyword, _vectors(generation, state, cached), stamp)
    return Snapshot(generation, state, keyword.open_index(generation / "keyword"), _vectors(generation, state), stamp)


def _vectors(generation: Path, state: State, cached: Snapshot | None = None) -> VectorIndex | None:
    """The state's vector index; a cached one's base is kept (not read again) when only the delta changed."""
    if not state.vectors:
        return None
    base = None
    if cached is not None and cached.vectors is not None and cached.state.vectors == state.vectors:
        if cached.state.vector_delta == state.vector_delta:
            return cached.vectors
        base = cached.vectors.base
    delta = generation / state.vector_delta if state.vector_delta else None
    return VectorIndex.load(generation / state.vectors, delta, base=base)
