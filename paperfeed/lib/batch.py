"""Checks made at most every few seconds inside a batch of work (a digest run), every time outside.

Thousands of digests of one batch ask whether the same things changed (a window's papers, the
newest vector): each asking costs a query, which adds up to more than the rest of a digest's
recommendations. Inside ``one_batch`` a check's answer is kept for ``CHECK_SECONDS``; outside
it (web requests, the CLI, tests) ``checked`` reads every time.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Hashable, Iterator
from typing import TypeVar

CHECK_SECONDS = 10.0

T = TypeVar("T")
_kept: dict[Hashable, tuple[float, object]] | None = None


@contextlib.contextmanager
def one_batch() -> Iterator[None]:
    """Within this block, each ``checked`` answer is kept for CHECK_SECONDS (nesting keeps the outer one)."""
    global _kept
    if _kept is not None:
        yield
        return
    _kept = {}
    try:
        yield
    finally:
        _kept = None


def checked(key: Hashable, read: Callable[[], T]) -> T:
    """``read()``, or inside a batch its answer for ``key`` from less than CHECK_SECONDS ago."""
    if _kept is None:
        return read()
    now = time.monotonic()
    kept = _kept.get(key)
    if kept is not None and now - kept[0] < CHECK_SECONDS:
        return kept[1]  # type: ignore[return-value]
    value = read()
    _kept[key] = (now, value)
    return value
