"""One BLAS (and OpenMP) thread for the small products of a request or a digest.

numpy's OpenBLAS starts a thread per core for a matrix-vector product of a few thousand rows;
on a busy machine waking them costs more than the product (bench/vectors.py's search rows with a
delta, whose exact scan is such a product), and several web or worker processes share the cores
anyway (bench/digests.py prints the CPU time per digest, which idle spinning threads inflated).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from functools import cache

from threadpoolctl import ThreadpoolController


@contextlib.contextmanager
def one_thread() -> Iterator[None]:
    """BLAS and OpenMP on one thread inside the block, as they were after it."""
    with _threadpools("sklearn" in sys.modules).limit(limits=1):
        yield


@cache
def _threadpools(sklearn_loaded: bool) -> ThreadpoolController:
    """One controller for the process (making one scans the loaded libraries), made again once
    sklearn is loaded, so that its OpenMP runtime and scipy's BLAS are seen too."""
    return ThreadpoolController()
