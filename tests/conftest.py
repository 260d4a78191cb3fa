"""Shared fixtures: the real data in ../shared/data, temporary copies with bad lines, the CLI,
a data directory of each test's own, and ``race`` for running code on several threads at once."""

from __future__ import annotations

import gzip
import io
import os
import shutil
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pytest

if TYPE_CHECKING:
    from paperfeed.papers.models import Paper

# personas: alice, bob, charlie, moderator and paper factories; search_support: the scifact fixture
pytest_plugins = ["tests.personas", "tests.search_support"]

# The real public data lies beside the repository (../shared/data), never inside it.
SHARED = Path(os.environ.get("PAPERFEED_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))

DAILY_DIR = SHARED / "arxiv-cs-daily-2026-dengwei" / "daily"
DEDUP = SHARED / "arxiv-cs-daily-2026-dengwei" / "papers_dedup.jsonl.gz"
KAGGLE = SHARED / "arxiv-kaggle-snapshot-sample" / "arxiv-metadata-oai-snapshot.head.jsonl"
ABS_DIR = SHARED / "arxiv-abs-files-arxiv-browse" / "abs_files"


def shared(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.fail(f"missing shared data file {path}: tests read the real data in ../shared/data")
    return path


def gunzip_to(source: Path, target: Path) -> Path:
    with gzip.open(source, "rb") as src, target.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    return target


def gzip_to(source: Path, target: Path) -> Path:
    """A gzipped copy of ``source`` at ``target``."""
    with source.open("rb") as src, gzip.open(target, "wb") as dst:
        shutil.copyfileobj(src, dst)
    return target


def daily_file(day: str) -> Path:
    """One real daily listing, e.g. ``daily_file("2026-03-06")``."""
    return shared("arxiv-cs-daily-2026-dengwei", "daily", f"{day}.jsonl.gz")


def import_day(day: str = "2026-03-02") -> None:
    """One real daily listing (2 March 2026 unless told: 220 cs papers) into the test database."""
    from paperfeed.papers.importing import import_file

    import_file(daily_file(day))


def read_lines(path: Path) -> list[str]:
    """The text lines of a real file, gzipped or not."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as stream:
        return stream.readlines()  # only newlines end a line, as for the importer


def copy_with_lines(source: Path, target: Path, inserted: dict[int, str]) -> Path:
    """Copy ``source`` to ``target`` (plain text) with ``inserted[n]`` landing on line n (1-based)."""
    lines = read_lines(source)
    for number in sorted(inserted):
        lines.insert(number - 1, inserted[number].rstrip("\n") + "\n")
    target.write_text("".join(lines), encoding="utf-8")
    return target


def call(name: str, *args: str) -> tuple[int, str, str]:
    """Run management command NAME in this process: (exit status, stdout, stderr)."""
    from django.core.management import call_command

    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(name, *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def cli_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Environment for running the `paperfeed` console script in a subprocess on its own database.

    On the PostgreSQL run (DATABASE_URL set) each test gets a fresh database on that server.
    """
    env = {**os.environ, "PAPERFEED_DATA_DIR": str(tmp_path / "data"), "PAPERFEED_SECRET_KEY": "cli-test"}
    env["DJANGO_SETTINGS_MODULE"] = "paperfeed.settings"
    url = os.environ.get("DATABASE_URL")
    if not url:
        yield env
        return
    import psycopg

    name = f"cli_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + name
    yield env
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run `paperfeed ARGS` as a user would (the installed console script)."""
    script = Path(sys.executable).with_name("paperfeed")
    return subprocess.run([str(script), *args], env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture
def data_dir(settings, tmp_path):  # type: ignore[no-untyped-def]
    """A data directory of the test's own, so no search index built by another test is seen.

    A module whose every test needs one says ``pytestmark = pytest.mark.usefixtures("data_dir")``.
    """
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def real_day(db: None) -> list[Paper]:
    """The real listing of 2 March 2026 imported with `paperfeed import`: every stored paper."""
    from paperfeed.papers.models import Paper

    assert call("import", str(daily_file("2026-03-02")))[0] == 0
    return list(Paper.objects.all())


T = TypeVar("T")


def race(fn: Callable[[int], T], n: int, timeout: float = 120.0) -> list[T | BaseException]:
    """Run ``fn(i)`` for each i in range(n) on a thread of its own, all released together by a barrier.

    Returns, in thread order, what each call returned or the exception it raised (nothing is lost
    in a thread: the caller asserts on every entry). Each thread has its own database connection
    and closes it when done, so none is left open to the test database (on PostgreSQL an open one
    would keep the database from being flushed or dropped at teardown). Fails the test if a thread
    is still running after ``timeout`` seconds.
    """
    from django.db import connection

    barrier = threading.Barrier(n)
    outcomes: list[Any] = [None] * n

    def run(index: int) -> None:
        try:
            barrier.wait(timeout)
            outcomes[index] = fn(index)
        except BaseException as error:  # handed back to the caller: a thread's exception would be lost
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,), name=f"race-{index}") for index in range(n)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    stuck = [thread.name for thread in threads if thread.is_alive()]
    if stuck:
        pytest.fail(f"{', '.join(stuck)} still running after {timeout:g}s")
    return outcomes


@pytest.fixture
def upstream(settings):  # type: ignore[no-untyped-def]
    """A loopback HTTP server standing in for arXiv and Hugging Face (tests/upstream_server.py).

    Every source's base URL points at it and nothing pauses between requests.
    """
    from tests.upstream_server import Upstream

    with Upstream() as server:
        for name, value in server.env().items():
            setting = name.removeprefix("PAPERFEED_")
            setattr(settings, setting, float(value) if setting.endswith(("INTERVAL", "BACKOFF")) else value)
        yield server


@pytest.fixture
def smtp_server(settings):  # type: ignore[no-untyped-def]
    """A real SMTP server on 127.0.0.1 (tests/smtp_server.py); Django's SMTP backend sends to it."""
    from tests.smtp_server import SmtpServer

    with SmtpServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD, settings.EMAIL_USE_TLS = "", "", False
        settings.EMAIL_TIMEOUT = 10
        yield server


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None, tmp_path_factory):  # type: ignore[no-untyped-def]
    """On SQLite, test in a file (WAL, as in production) rather than in memory, so that threads and
    the live server each get their own connection and concurrent writers queue on the lock."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture(autouse=True)
def _empty_page_cache(request: pytest.FixtureRequest) -> Iterator[None]:
    """Pages cached for anonymous visitors (paperfeed/papers/caching.py) never leak between tests.

    The cache is a database table: a test's transaction rolls its rows back, but a transactional
    test's flush leaves that table alone, so it is emptied before every test that uses the database.
    """
    marker, names = request.node.get_closest_marker("django_db"), set(request.fixturenames)
    if {"transactional_db", "live_server"} & names or (marker and marker.kwargs.get("transaction")):
        request.getfixturevalue("transactional_db")
    elif marker or "db" in names:
        request.getfixturevalue("db")
    else:
        yield
        return
    from django.core.cache import cache

    cache.clear()
    yield


def store_snapshot() -> list[Any]:
    """Every row the store holds for papers, for comparing it before and after."""
    from paperfeed.papers.models import Paper, PaperAuthor, PaperCategory, Sighting

    return [
        list(Paper.objects.order_by("arxiv_id").values()),
        list(PaperAuthor.objects.order_by("paper_id", "position").values()),
        list(PaperCategory.objects.order_by("paper_id", "category").values()),
        list(Sighting.objects.order_by("paper_id", "source").values()),
    ]
