"""Checks made at most every few seconds inside a batch of work (a digest run), every time outside.

Thousands of digests of one batch ask whether the same things changed (a window's papers, the
newest vector): each asking costs a query, which adds up to more than the rest of a digest's
recommendations. Inside ``one_batch`` a check's answer is kept for ``CHECK_SECONDS``; outside
it (web requests, the CLI, tests) ``checked`` reads every time. A batch belongs to the thread
that runs it.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Hashable, Iterator
from typing import TypeVar

CHECK_SECONDS = 10.0

T = TypeVar("T")
_local = threading.local()  # .kept: this thread's batch, {key: (monotonic time, answer)}


@contextlib.contextmanager
def one_batch() -> Iterator[None]:
    """Within this block, each ``checked`` answer is kept for CHECK_SECONDS (nesting keeps the outer one)."""
    if getattr(_local, "kept", None) is not None:
        yield
        return
    _local.kept = {}
    try:
        yield
    finally:
        _local.kept = None


def checked(key: Hashable, read: Callable[[], T]) -> T:
    """``read()``, or inside a batch its answer for ``key`` from less than CHECK_SECONDS ago."""
    kept: dict[Hashable, tuple[float, object]] | None = getattr(_local, "kept", None)
    if kept is None:
        return read()
    now = time.monotonic()
    answer = kept.get(key)
    if answer is not None and now - answer[0] < CHECK_SECONDS:
        return answer[1]  # type: ignore[return-value]
    value = read()
    kept[key] = (now, value)
    return value
