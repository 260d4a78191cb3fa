"""Argument types for the commands' numeric options: argparse rejects a value out of range.

argparse names the option in its message (``argument --limit: must be at least 1``) and the
command exits with status 2, as for any other usage error.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable


def int_range(minimum: int, maximum: int | None = None) -> Callable[[str], int]:
    """An argparse ``type=`` that reads an integer from ``minimum`` to ``maximum`` (inclusive)."""

    def read(text: str) -> int:
        try:
            number = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if number < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum} (got {number})")
        if maximum is not None and number > maximum:
            raise argparse.ArgumentTypeError(f"must be at most {maximum} (got {number})")
        return number

    return read
