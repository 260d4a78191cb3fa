"""Typed readers for environment settings that fail loudly on a bad value.

Every setting paperfeed reads is recorded here by name as it is read, so that a test can check
the README's settings table against the names settings.py really reads (tests/test_docs.py).
"""

from __future__ import annotations

import math
import os
import stat
from pathlib import Path

PREFIX = "PAPERFEED_"

# The names of every setting read so far; the README's settings table must list all of them.
READ_SETTINGS: set[str] = set()


class SettingError(ValueError):
    """An environment variable holds a value that cannot be used."""


def _declare(name: str) -> str | None:
    READ_SETTINGS.add(name)
    value = os.environ.get(name)
    return None if value is None or value.strip() == "" else value.strip()


def env_str(name: str, default: str | None = None) -> str | None:
    value = _declare(name)
    return default if value is None else value


def env_bool(name: str, default: bool) -> bool:
    value = _declare(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise SettingError(f"{name}={value!r} is not a boolean (use 1/0, true/false, yes/no, on/off)")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _declare(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise SettingError(f"{name}={value!r} is not an integer") from None
    if minimum is not None and number < minimum:
        raise SettingError(f"{name}={number} must be at least {minimum}")
    return number


def env_float(name: str, default: float, *, minimum: float | None = None, maximum: float | None = None) -> float:
    value = _declare(name)
    if value is None:
        return default
    try:
        number = float(value)
    except ValueError:
        raise SettingError(f"{name}={value!r} is not a number") from None
    if not math.isfinite(number):  # every such setting is a duration or a rate: nan and inf break them later
        raise SettingError(f"{name}={value!r} is not a finite number")
    if minimum is not None and number < minimum:
        raise SettingError(f"{name}={number} must be at least {minimum}")
    if maximum is not None and number > maximum:
        raise SettingError(f"{name}={number} must be at most {maximum}")
    return number


def env_path(name: str, default: str) -> Path:
    value = _declare(name)
    return Path(value if value is not None else default).expanduser().resolve()


def env_list(name: str, default: list[str]) -> list[str]:
    value = _declare(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def secret_file(path: Path) -> str | None:
    """The secret kept in ``path`` (as `make run` writes DATA_DIR/secret_key), or None if there is none.

    Fails loudly on a file every user may read, or one that holds nothing.
    """
    if not path.is_file():
        return None
    if path.stat().st_mode & stat.S_IROTH:
        raise SettingError(f"{path} is readable by every user: chmod 600 {path}")
    secret = path.read_text(encoding="utf-8").strip()
    if not secret:
        raise SettingError(f"{path} is empty: delete it, or write a secret into it")
    return secret


def data_file_value(path: Path) -> str | None:
    """A plain value kept in ``path`` (as `make run` writes DATA_DIR/site_url), or None if there is none."""
    try:
        value = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return value or None
