"""Hugging Face's own client against paperfeed on loopback: ``huggingface_hub`` (HfApi with only the
endpoint changed) and the ``hf papers`` command (only HF_ENDPOINT set), on real data.

The store holds the real arXiv listings of 1 and 2 March 2026 and the real Hugging Face Daily
Papers of 27 February 2026, pulled by paperfeed's hf-daily source from a loopback stand-in; 20
papers of the 1 March listing were featured there, with their upvotes and GitHub repositories.
Every request is checked to stay on loopback: in this process by a hook on the client's
connection, in the ``hf`` process by proxy variables pointing at a trap that records any attempt.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import huggingface_hub as hub
import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from huggingface_hub import HfApi
from huggingface_hub.errors import BadRequestError, HfHubHTTPError

from paperfeed.accounts.tokens import create_token
from paperfeed.feed.trending import trending_score
from paperfeed.papers.models import Paper, Submission
from paperfeed.papers.sources import hf_daily, make_client
from paperfeed.papers.visible import on_days
from paperfeed.search.indexing import index_papers
from tests.conftest import import_day, shared
from tests.hf_client_support import loopback_client
from tests.hf_fixtures import HF_DAILY
from tests.upstream_server import serve_hf

SUNDAY, MONDAY = "2026-03-01", "2026-03-02"  # ISO weeks 2026-W09 and 2026-W10
FEATURED_ON = "2026-02-27"
HF = Path(sys.executable).with_name("hf")


@dataclass
class Trap:
    """A TCP listener that every non-loopback request of the ``hf`` process is sent to (as its proxy)."""

    seen: list[bytes] = field(default_factory=list)
    sock: socket.socket = field(default_factory=socket.socket)

    def __post_init__(self) -> None:
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                try:
                    self.seen.append(conn.recv(200))
                except OSError:
                    self.seen.append(b"?")


@pytest.fixture
def trap() -> Iterator[Trap]:
    listener = Trap()
    yield listener
    listener.sock.close()


@pytest.fixture
def endpoint(live_server: Any, upstream: Any, data_dir: Path) -> str:
    """paperfeed on loopback with the real data loaded and a keyword index built."""
    import_day(SUNDAY)
    import_day(MONDAY)
    upstream.route("/hfapi/daily_papers", serve_hf())
    hf_daily.run({"date": dt.date.fromisoformat(FEATURED_ON)}, make_client(), lambda message: None)
    index_papers(embed=False)
    return f"http://127.0.0.1:{live_server.thread.port}"


@pytest.fixture
def api(endpoint: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[HfApi]:
    """Hugging Face's client with only the endpoint changed; every request's host is checked."""
    with loopback_client(endpoint, monkeypatch, tmp_path) as client:
        yield client


@pytest.fixture
def hf(endpoint: str, trap: Trap, tmp_path: Path) -> Iterator[Any]:
    """Run ``hf ARGS`` as a user would, with HF_ENDPOINT set and nothing else of theirs (no token, no config)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HF_") and "proxy" not in k.lower()}
    env |= {"HF_ENDPOINT": endpoint, "HF_HOME": str(tmp_path / "hf-home"), "HF_HUB_DISABLE_UPDATE_CHECK": "1"}
    env |= {name: trap.url for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")} | {"NO_PROXY": "127.0.0.1"}
    env |= {"NO_COLOR": "1", "HF_HUB_DISABLE_TELEMETRY": "1"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(HF), *args], env=env, capture_output=True, text=True, timeout=120)

    yield run
    assert trap.seen == [], f"the hf command tried to leave loopback: {trap.seen}"


def hf_json(run: Any, *args: str) -> Any:
    done = run(*args, "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def featured() -> dict[str, dict[str, Any]]:
    """The real Hugging Face records of 27 February 2026 whose papers are in the 1 March listing."""
    listing = json.loads(shared(HF_DAILY, "dates", f"{FEATURED_ON}.json").read_text(encoding="utf-8"))
    listed = set(Paper.objects.filter(announced_on=SUNDAY).values_list("arxiv_id", flat=True))
    return {paper["paper_id"]: paper for paper in listing["papers"] if paper["paper_id"] in listed}


def every_id(api: HfApi, **params: Any) -> list[str]:
    """Every paper of a listing, page after page of 100."""
    ids: list[str] = []
    for page in range(100):
        batch = [info.id for info in api.list_daily_papers(p=page, limit=100, **params)]
        if not batch:
            return ids
        ids += batch
    raise AssertionError("more than 100 pages")


def listed_on(day: str, last: str | None = None) -> set[str]:
    """Papers whose day (papers.visible's rule: HF-only papers count on the day HF featured them) is in range."""
    start, end = dt.date.fromisoformat(day), dt.date.fromisoformat(last or day)
    return set(Paper.objects.filter(on_days(start, end)).values_list("arxiv_id", flat=True))


def test_a_days_papers_come_with_the_fields_the_client_reads(api: HfApi) -> None:
    records = featured()
    assert len(records) == 16  # 20 rows: some are cross-listed twice
    papers = {info.id: info for info in api.list_daily_papers(date=SUNDAY, limit=100)}
    assert len(papers) == 100 and set(papers) <= listed_on(SUNDAY)
    shown = [papers[arxiv_id] for arxiv_id in records if arxiv_id in papers]
    assert shown, "some featured papers are on the first page"
    for info in shown:
        record, stored = records[info.id], Paper.objects.get(arxiv_id=info.id)
        assert info.upvotes == record["upvotes"] and info.github_repo == (record["github_url"] or None)
        assert info.title == stored.title and info.summary == stored.abstract
        assert [author.name for author in info.authors or []] == stored.authors
        assert info.published_at == info.submitted_at == dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
        assert info.ai_summary == record["summary_en"] and info.comments == 0
    unfeatured = next(info for arxiv_id, info in papers.items() if arxiv_id not in records)
    assert unfeatured.upvotes == 0 and unfeatured.github_repo is None and unfeatured.submitted_by is None


def test_trending_sorts_by_the_real_trending_score(api: HfApi, alice: User) -> None:
    records = featured()
    top = sorted(records, key=lambda arxiv_id: -records[arxiv_id]["upvotes"])[:5]
    ranked = list(api.list_daily_papers(date=SUNDAY, sort="trending", limit=5))
    assert [info.id for info in ranked] == top
    assert [info.score for info in ranked] == [trending_score(records[i]["upvotes"], 0, 0.0, 0) for i in top]
    voted = Paper.objects.filter(announced_on=MONDAY).order_by("arxiv_id").last()
    assert voted is not None
    token = create_token(alice, "hf")[1]
    answer = hub.utils.get_session().post(
        f"{api.endpoint}/api/papers/{voted.arxiv_id}/upvote", headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.json()["upvotes"] == 1
    week = list(api.list_daily_papers(week="2026-W10", sort="trending", limit=3))
    assert week[0].id == voted.arxiv_id and week[0].score > 0 == week[1].score and week[0].upvotes == 1


def test_weeks_months_and_pages_hold_the_right_days(api: HfApi) -> None:
    assert set(every_id(api, week="2026-W09")) == listed_on("2026-02-23", SUNDAY) > listed_on(SUNDAY)
    assert set(every_id(api, week="2026-W10")) == listed_on(MONDAY)
    month = every_id(api, month="2026-03")
    assert len(month) == len(set(month)) == len(listed_on(SUNDAY) | listed_on(MONDAY))
    assert set(month[: len(listed_on(MONDAY))]) == listed_on(MONDAY), "the latest day comes first"
    pages = [info.id for p in range(3) for info in api.list_daily_papers(date=MONDAY, p=p, limit=10)]
    assert pages == [info.id for info in api.list_daily_papers(date=MONDAY, limit=30)]
    assert list(api.list_daily_papers(date=MONDAY, p=1000, limit=100)) == []


def test_the_submitter_filter_lists_an_accounts_submissions(api: HfApi, hf: Any, alice: User, bob: User) -> None:
    mine = list(Paper.objects.filter(announced_on=MONDAY).order_by("arxiv_id")[:2])
    sunday = Paper.objects.filter(announced_on=SUNDAY).order_by("arxiv_id").first()
    assert sunday is not None
    for paper in [*mine, sunday]:
        Submission.objects.create(paper=paper, user=alice, submitted_at=timezone.now())
    banned = Paper.objects.filter(announced_on=MONDAY).order_by("arxiv_id").last()
    assert banned is not None
    Submission.objects.create(paper=banned, user=bob, submitted_at=timezone.now())
    User.objects.filter(pk=bob.pk).update(is_active=False)

    everything = list(api.list_daily_papers(submitter="alice"))
    assert {info.id for info in everything} == {p.arxiv_id for p in [*mine, sunday]}
    assert {info.submitted_by.username for info in everything if info.submitted_by} == {"alice"}
    assert {info.id for info in api.list_daily_papers(submitter="alice", date=MONDAY)} == {p.arxiv_id for p in mine}
    assert list(api.list_daily_papers(submitter="bob")) == [] == list(api.list_daily_papers(submitter="nobody"))
    listed = hf_json(hf, "papers", "ls", "--submitter", "alice", "--date", MONDAY)
    assert {row["id"] for row in listed} == {p.arxiv_id for p in mine}
    assert {row["submitted_by_name"] for row in listed} == {"alice"}
    assert api.paper_info(mine[0].arxiv_id).submitted_by.username == "alice"  # type: ignore[union-attr]


def test_paper_info_with_and_without_a_version(api: HfApi, hf: Any) -> None:
    arxiv_id, record = max(featured().items(), key=lambda item: item[1]["upvotes"])
    plain, versioned = api.paper_info(arxiv_id), api.paper_info(f"{arxiv_id}v1")
    assert vars(plain) == vars(versioned)
    assert plain.id == arxiv_id and plain.upvotes == record["upvotes"] and plain.github_repo == record["github_url"]
    assert plain.published_at == dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    assert plain.submitted_at == dt.datetime(2026, 2, 27, tzinfo=dt.UTC)  # featured on Hugging Face that day
    assert plain.ai_summary == record["summary_en"] and plain.title == Paper.objects.get(arxiv_id=arxiv_id).title
    shown = hf_json(hf, "papers", "info", f"{arxiv_id}v1")
    assert shown["id"] == arxiv_id and shown["upvotes"] == record["upvotes"]
    assert shown["github_repo"] == record["github_url"] and shown["published_at"].startswith(SUNDAY)


def test_search_answers_a_list_as_hugging_face_does(api: HfApi, hf: Any) -> None:
    found = list(api.list_papers(query="reinforcement learning", limit=5))
    rich = api_json(api, "/api/search?q=reinforcement+learning&limit=5")
    assert [info.id for info in found] == [item["paper"]["id"] for item in rich["results"]]
    assert len(found) == 5 and rich["total"] >= 5 and all(info.title and info.snippet for info in found)
    latest = list(api.list_papers(limit=7))  # no query: the latest day's papers
    assert len(latest) == 7 and {info.id for info in latest} <= listed_on(MONDAY)
    shown = hf_json(hf, "papers", "search", "reinforcement learning", "--limit", "5")
    assert [row["id"] for row in shown] == [info.id for info in found]


def test_read_gives_the_paper_as_markdown(api: HfApi, hf: Any) -> None:
    arxiv_id = next(iter(featured()))
    stored = Paper.objects.get(arxiv_id=arxiv_id)
    text = api.read_paper(arxiv_id)
    assert stored.title in text and stored.authors[0] in text
    done = hf("papers", "read", arxiv_id)
    assert done.returncode == 0 and stored.title in done.stdout
    missing = hf("papers", "read", "2603.99999")
    assert missing.returncode == 1 and "Paper '2603.99999' not found" in missing.stderr


def test_unknown_and_malformed_ids_and_bad_parameters_raise_the_clients_errors(api: HfApi, hf: Any) -> None:
    with pytest.raises(HfHubHTTPError) as missing:
        api.paper_info("2603.99999")
    assert missing.value.response.status_code == 404 and "no paper 2603.99999" in str(missing.value)
    with pytest.raises(BadRequestError, match="'nonsense' is not an arXiv id"):
        api.paper_info("nonsense")
    with pytest.raises(BadRequestError, match="is not a day"):
        list(api.list_daily_papers(date="2026-02-30"))
    with pytest.raises(BadRequestError, match="at most one of date, week and month"):
        list(api.list_daily_papers(date=MONDAY, week="2026-W10"))
    with pytest.raises(HfHubHTTPError, match="limit: Input should be less than or equal to 100") as too_many:
        list(api.list_daily_papers(limit=1000))
    assert too_many.value.response.status_code == 422
    with pytest.raises(BadRequestError, match=r"cat:cs\.XYZ: no paper is listed in this category"):
        list(api.list_papers(query="energy cat:cs.XYZ"))
    unknown = hf("papers", "info", "2603.99999")
    assert unknown.returncode == 1 and "Paper '2603.99999' not found on the Hub." in unknown.stderr
    malformed = hf("papers", "info", "nonsense")
    assert malformed.returncode == 1 and "'nonsense' is not an arXiv id" in malformed.stderr
    bad_day = hf("papers", "ls", "--week", "2026-W99")
    assert bad_day.returncode == 1 and "'2026-W99' is not a week" in bad_day.stderr


def test_the_trap_would_catch_a_request_to_huggingface_co(hf: Any, trap: Trap, tmp_path: Path) -> None:
    """The proxy trap is not vacuous: a request for huggingface.co with the same variables reaches it."""
    env = {**os.environ, "HTTPS_PROXY": trap.url, "NO_PROXY": "127.0.0.1"}
    code = "import contextlib, httpx2\nwith contextlib.suppress(Exception):\n    httpx2.get('https://huggingface.co/')"
    subprocess.run([sys.executable, "-c", code], env=env, timeout=60, check=True)
    assert trap.seen and b"huggingface.co:443" in trap.seen[0]
    trap.seen.clear()
    assert hf("papers", "ls", "--limit", "1").returncode == 0


def api_json(api: HfApi, path: str) -> Any:
    return hub.utils.get_session().get(f"{api.endpoint}{path}").json()
