"""Two nodes on one PostgreSQL, for real, in one run: freshness, a killed node, a database restart, digests.

    python bench/cluster.py [--papers 300] [--subscribers 100] [--kill-seconds 30]

Runs itself under scripts/with-postgres (a throwaway server) unless DATABASE_URL is set. The
shared database gets ``--papers`` real papers of the 27k corpus (keyword-indexed by each node;
their vectors are computed during the run by the two nodes' embed lanes, which share the
backfill) and ``--subscribers`` due daily digests. Each node has its own data folder (its own
search index) and runs what docs/deploy.md's systemd units run: gunicorn with 2 sync workers,
``paperfeed worker --lane main`` and ``paperfeed worker --lane embed``, with every setting at its
default but the loopback SMTP sink and unreachable upstreams. A supervisor thread starts again
any process that exits (systemd's Restart=always), except a node's while it is "down". A client
thread sends bounded traffic (daily pages and keyword searches, alternating nodes, 5 a second)
through the whole run. In order:

1. ``--singles`` papers, one after another, are ingested through node A (``paperfeed import`` with
   A's settings): seconds from the command's end until each is keyword-searchable on A and on B
   (target 5 s), then from its vector being written (by whichever embed lane claimed it) until
   it is searchable by meaning on both (target 60 s); the worst of them is checked;
2. node B is killed (SIGKILL, every process) for ``--kill-seconds``; meanwhile 20 papers are
   ingested through A. B is started again: seconds until B finds all 20 by keyword and by meaning;
3. PostgreSQL is restarted (pg_ctl -m fast restart) under traffic;
4. after the traffic: the digests (sent by both nodes' main lanes and a ``paperfeed digest send`` on
   each node) were each sent exactly once; each node's keyword index holds every visible paper
   once and its vector index every vector once; PostgreSQL's own counters for the vector table
   (``pg_stat_user_tables``) show one insert per paper and no update: no paper embedded twice.

With ``--pgbouncer`` (Debian's pgbouncer package) the nodes reach PostgreSQL through PgBouncer in
transaction mode (``PAPERFEED_DB_POOLER=transaction``), as docs/deploy.md recommends for many
nodes; the database restart then happens behind it.

It prints the figures and ends with ok / not ok per check; exit status 1 when one fails.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.load import (  # noqa: E402
    CORPUS,
    GUNICORN,
    PAPERFEED,
    base_env,
    make_subscriptions,
    report_checks,
    request,
    rerun_under_postgres,
    restart_postgres,
    wait_for_digests,
)
from tests.smtp_server import SmtpServer, free_port  # noqa: E402

NEW_DAY = "2026-12-01"  # the newest day of the run's papers: embedded first (newest day first)
KEYWORD_TARGET, SEMANTIC_TARGET = 5.0, 60.0
PGBOUNCER = "/usr/sbin/pgbouncer"  # Debian's pgbouncer package, for --pgbouncer
GRACE = 1.0  # seconds after PostgreSQL is back during which a failed request still counts as "during restart"


class Node:
    """One node: its own data folder, gunicorn (2 workers) and the two worker lanes."""

    def __init__(self, name: str, folder: Path, env: dict[str, str]) -> None:
        self.name, self.folder, self.port = name, folder, free_port()
        self.env = {**env, "PAPERFEED_DATA_DIR": str(folder), "PAPERFEED_NODE_NAME": name}
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.up = False  # its processes are meant to run (the supervisor starts again any that exits)
        self.serving = False  # it answers: traffic goes to it (not between a kill and its next /healthz 200)
        self.restarts: list[str] = []

    def commands(self) -> dict[str, list[str]]:
        web = [str(GUNICORN), "--config", str(ROOT / "deploy" / "gunicorn.conf.py"), "-b", f"127.0.0.1:{self.port}"]
        return {
            "web": [*web, "-w", "2", "--access-logfile", "/dev/null"],
            "main": [str(PAPERFEED), "worker", "--lane", "main"],
            "embed": [str(PAPERFEED), "worker", "--lane", "embed"],
        }

    def start(self, which: str | None = None) -> None:
        for name, command in self.commands().items():
            if which in (None, name):
                with (self.folder.parent / f"{self.name}-{name}.log").open("ab") as log:
                    self.procs[name] = subprocess.Popen(
                        command, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
                    )
        self.up = True

    def kill(self) -> None:
        """SIGKILL to every process of the node (gunicorn's workers too: each runs in its own session)."""
        self.up = self.serving = False
        for proc in self.procs.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()

    def stop(self) -> None:
        self.up = False
        for proc in self.procs.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for proc in self.procs.values():
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)

    def search(self, query: str, mode: str) -> list[str]:
        """The ids found in ``mode``; none when the node answered otherwise (or fell back to another mode)."""
        status, answer, _ = request(self.port, "GET", f"/api/search?{urlencode({'q': query, 'mode': mode})}&limit=10")
        if status != 200 or not isinstance(answer, dict) or answer.get("mode") != mode:
            return []
        return [item["paper"]["id"] for item in answer["results"]]


class Supervisor(threading.Thread):
    """systemd's Restart=always (RestartSec=1) for the processes of nodes that are up."""

    def __init__(self, nodes: list[Node]) -> None:
        super().__init__(daemon=True)
        self.nodes, self.done = nodes, threading.Event()

    def run(self) -> None:
        while not self.done.wait(1.0):
            for node in self.nodes:
                for name, proc in list(node.procs.items()):
                    if node.up and proc.poll() is not None:
                        node.restarts.append(f"{name} (exit {proc.returncode})")
                        node.start(name)


class Traffic(threading.Thread):
    """Daily pages and keyword searches, alternating nodes, about 5 a second, until stopped."""

    def __init__(self, nodes: list[Node]) -> None:
        super().__init__(daemon=True)
        self.nodes, self.done = nodes, threading.Event()
        self.records: list[tuple[str, int, float, float]] = []  # node, status, seconds, monotonic end

    def run(self) -> None:
        paths = ["/", "/api/daily_papers?limit=20", "/api/search?q=neural+networks&mode=keyword"]
        n = 0
        while not self.done.wait(0.2):
            node = self.nodes[n % len(self.nodes)]
            if node.serving:
                status, _, took = request(node.port, "GET", paths[n % len(paths)])
                self.records.append((node.name, status, took, time.monotonic()))
            n += 1


def paper_lines(count: int, first: int, tag: str) -> list[str]:
    """``count`` real corpus records as new papers of NEW_DAY: new ids and a title word of their own."""
    lines = []
    with gzip.open(CORPUS, "rt") as corpus:
        for n, line in enumerate(corpus):
            if n < first:
                continue
            if len(lines) == count:
                break
            record = json.loads(line)
            number = 90000 + first + len(lines)
            record.update(id=f"2612.{number:05d}", first_seen=NEW_DAY, last_seen=NEW_DAY)
            record["title"] = f"{tag}{chr(97 + len(lines) % 26)}{chr(97 + len(lines) // 26)} {record['title']}"
            record.update(pdf=f"https://arxiv.org/pdf/{record['id']}", abs=f"https://arxiv.org/abs/{record['id']}")
            lines.append(json.dumps(record))
    return lines


def corpus_lines(count: int) -> list[str]:
    with gzip.open(CORPUS, "rt") as corpus:
        return [line.rstrip("\n") for _, line in zip(range(count), corpus, strict=False)]


def paperfeed(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([str(PAPERFEED), *args], env=env, check=True, capture_output=True, text=True)
    return done.stdout


def ingest(node: Node, lines: list[str]) -> float:
    """``paperfeed import`` of ``lines`` with the node's settings; returns when it committed (monotonic)."""
    path = node.folder.parent / f"ingest-{time.monotonic_ns()}.jsonl"
    path.write_text("\n".join(lines) + "\n")
    paperfeed(node.env, "import", "--quiet", str(path))
    return time.monotonic()


def wait_until(check: Any, timeout: float, step: float = 0.25) -> float | None:
    """Seconds until ``check()`` is true, None after ``timeout``."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if check():
            return time.monotonic() - started
        time.sleep(step)
    return None


def found_by(node: Node, ids: list[str], titles: list[str], mode: str) -> bool:
    """By keyword: its title's own first word (a made-up one); by meaning: its title's words."""
    for arxiv_id, title in zip(ids, titles, strict=True):
        words = "".join(c if c.isalnum() else " " for c in title).split()
        if arxiv_id not in node.search(words[0] if mode == "keyword" else " ".join(words[1:]), mode):
            return False
    return True


def vector_written_at(arxiv_id: str) -> float | None:
    """When the paper's vector was written, on the monotonic clock (from its computed_at); None before."""
    from django.db import connection
    from django.utils import timezone

    from paperfeed.search.models import PaperVector

    computed = PaperVector.objects.filter(paper__arxiv_id=arxiv_id).values_list("computed_at", flat=True).first()
    connection.close()
    if computed is None:
        return None
    return time.monotonic() - (timezone.now() - computed).total_seconds()


def freshness(a: Node, b: Node, ids: list[str], titles: list[str], timeout: float) -> dict[str, float | None]:
    """Seconds until A and B find the papers by keyword (from the import), and by meaning (from their vectors)."""
    figures: dict[str, float | None] = {}
    committed = time.monotonic()
    for node in (a, b):
        waited = wait_until(lambda node=node: found_by(node, ids, titles, "keyword"), timeout)
        figures[f"keyword {node.name}"] = None if waited is None else time.monotonic() - committed
    if wait_until(lambda: all(vector_written_at(i) is not None for i in ids), timeout * 20, 0.5) is None:
        return {**figures, f"semantic {a.name}": None, f"semantic {b.name}": None}
    written = max(vector_written_at(i) or 0.0 for i in ids)
    for node in (a, b):
        waited = wait_until(lambda node=node: found_by(node, ids, titles, "semantic"), SEMANTIC_TARGET * 3)
        figures[f"semantic {node.name}"] = None if waited is None else time.monotonic() - written
    return figures


def index_check(node: Node) -> tuple[int, int, int, int, int]:
    """(keyword docs, visible papers, vector rows, distinct vector ids, visible vectors) of the node's index."""
    from django.conf import settings
    from django.db import connection

    from paperfeed.papers.models import Paper
    from paperfeed.search.indexing import visible_vectors
    from paperfeed.search.snapshot import _open, open_snapshot

    settings.DATA_DIR = node.folder
    _open.clear()
    snapshot = open_snapshot()
    assert snapshot is not None and snapshot.vectors is not None
    vectors = snapshot.vectors
    ids = [str(i) for i in vectors.base.ids[~vectors.dead]] if vectors.dead is not None else list(vectors.base.ids)
    if vectors.delta is not None:
        ids += [str(i) for i in vectors.delta.ids]
    visible = Paper.objects.filter(is_hidden=False, deleted_upstream_at=None).count()
    counted = visible_vectors(snapshot.state.model_id or "").count()
    connection.close()
    return snapshot.keyword.searcher().num_docs, visible, len(ids), len(set(ids)), counted


def vector_table_writes() -> tuple[int, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_force_next_flush()")
        cursor.execute("SELECT n_tup_ins, n_tup_upd FROM pg_stat_user_tables WHERE relname = 'search_papervector'")
        inserted, updated = cursor.fetchone()
    connection.close()
    return int(inserted), int(updated)


def check_digests(smtp: SmtpServer, subscribers: int) -> list[tuple[str, bool]]:
    from django.db import connection

    from paperfeed.digests.models import Delivery

    ids = [str(message["Message-ID"]) for message in smtp.messages]
    recipients = Counter(str(message["To"]) for message in smtp.messages)
    states = Counter(Delivery.objects.values_list("state", flat=True))
    workers = Counter(Delivery.objects.filter(state=Delivery.SENT).values_list("claimed_by", flat=True))
    connection.close()
    print(f"digests: {len(ids)} messages for {len(recipients)} recipients; deliveries {dict(states)}")
    if workers:
        print(f"  sent by: {dict(workers)}")
    return [
        ("every due digest sent", len(recipients) == subscribers),
        ("no digest sent twice (one message per recipient, Message-IDs unique)",
         max(recipients.values(), default=0) == 1 and len(ids) == len(set(ids))),
    ]  # fmt: skip


def check_traffic(traffic: Traffic, window: tuple[float, float], killed: float) -> list[tuple[str, bool]]:
    """Failures allowed only for requests in flight while PostgreSQL was down (plus GRACE), and for
    requests to B in flight when it was killed (a node's death fails what it was answering)."""
    began, ended = window
    failed = [r for r in traffic.records if not 0 < r[1] < 500 and not (r[0] == "B" and r[3] - r[2] <= killed <= r[3])]
    during = [r for r in failed if r[3] >= began and r[3] - r[2] <= ended + GRACE]
    after = [r for r in traffic.records if r[3] - r[2] > ended + GRACE and 200 <= r[1] < 300]
    print(
        f"traffic: {len(traffic.records)} requests, {len(failed)} failed ({len(during)} in flight during the "
        f"database restart of {ended - began:.1f} s, {len(failed) - len(during)} outside it); {len(after)} 2xx after it"
    )
    for node, status, took, end in (r for r in failed if r not in during):
        print(f"  outside: node {node}, status {status}, started {end - took - ended:+.2f} s after the restart ended")
    return [
        ("a database restart costs only the requests in flight", len(failed) == len(during)),
        ("both nodes answer after the database restart", {r[0] for r in after} == {"A", "B"}),
    ]


def worst(values: list[float | None]) -> float | None:
    return None if any(v is None for v in values) else max(v for v in values if v is not None)


def show(figures: dict[str, float | None]) -> str:
    return ", ".join(f"{name} {'never' if value is None else f'{value:.1f} s'}" for name, value in figures.items())


def within(figures: dict[str, float | None], prefix: str, target: float) -> bool:
    values = [v for name, v in figures.items() if name.startswith(prefix)]
    return bool(values) and all(v is not None and v <= target for v in values)


def start_pgbouncer(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    """PgBouncer in transaction mode in front of the run's PostgreSQL: (process, DATABASE_URL through it)."""
    url = urlsplit(os.environ["DATABASE_URL"])
    port, run_as = free_port(), os.environ.get("PAPERFEED_PG_RUN_AS", "")
    conf = folder / "pgbouncer"
    conf.mkdir()
    (conf / "userlist.txt").write_text(f'"{url.username}" ""\n')
    (conf / "pgbouncer.ini").write_text(
        f"[databases]\n{url.path.lstrip('/')} = host={url.hostname} port={url.port}\n"
        f"[pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
        f"auth_type = trust\nauth_file = {conf / 'userlist.txt'}\npool_mode = transaction\n"
        "max_client_conn = 500\ndefault_pool_size = 20\nignore_startup_parameters = extra_float_digits,options\n"
        # After a failed login to the server (PostgreSQL restarting), PgBouncer refuses clients for
        # server_login_retry seconds (15 by default) instead of trying again: 1 s, as docs/deploy.md says.
        "server_login_retry = 1\n"
    )
    if run_as:
        subprocess.run(["chown", "-R", run_as, str(conf)], check=True)
    command = (["runuser", "-u", run_as, "--"] if run_as else []) + [PGBOUNCER, str(conf / "pgbouncer.ini")]
    with (folder / "pgbouncer.log").open("ab") as log:
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    if wait_until(lambda: _accepts(port), 30) is None:
        raise SystemExit("pgbouncer did not start (see pgbouncer.log)")
    return proc, url._replace(netloc=f"{url.username}@127.0.0.1:{port}").geturl()


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def inside(options: argparse.Namespace) -> int:
    folder = Path(tempfile.mkdtemp(prefix="paperfeed-bench-cluster-"))
    checks: list[tuple[str, bool]] = []
    bouncer = None
    with SmtpServer() as smtp:
        env = base_env(str(folder / "A"), smtp.port)
        env.pop("PAPERFEED_WORKER_POLL", None)  # every setting at its default but mail and upstreams
        if options.pgbouncer:
            os.chmod(folder, 0o755)
            bouncer, pooled = start_pgbouncer(folder)
            env.update(DATABASE_URL=pooled, PAPERFEED_DB_POOLER="transaction")  # the nodes' way in
            print(f"nodes reach PostgreSQL through PgBouncer in transaction mode ({pooled})")
        a, b = Node("A", folder / "A", env), Node("B", folder / "B", env)
        started = time.perf_counter()
        corpus = folder / "corpus.jsonl"
        corpus.write_text("\n".join(corpus_lines(options.papers)) + "\n")
        paperfeed(a.env, "migrate", "--no-input", "-v", "0")
        paperfeed(a.env, "import", "--quiet", str(corpus))
        for node in (a, b):
            paperfeed(node.env, "index", "--no-embed")
        os.environ.update({**a.env, "DATABASE_URL": os.environ["DATABASE_URL"]})  # checks read PostgreSQL itself
        os.environ.pop("PAPERFEED_DB_POOLER", None)
        import django

        django.setup()
        from django.db import connection
        from django.db.models import Max

        from paperfeed.papers.models import Paper

        last_day = Paper.objects.aggregate(day=Max("announced_on"))["day"]
        import datetime as dt

        make_subscriptions("cluster", options.subscribers, dt.datetime.combine(last_day, dt.time(23), tzinfo=dt.UTC))
        connection.close()
        print(f"prepared: {options.papers} papers, keyword indexes on two nodes, {options.subscribers} due digests "
              f"in {time.perf_counter() - started:.0f} s; vectors are computed during the run")  # fmt: skip
        supervisor, traffic = Supervisor([a, b]), Traffic([a, b])
        try:
            for node in (a, b):
                node.start()
            for node in (a, b):
                if wait_until(lambda node=node: request(node.port, "GET", "/healthz")[0] == 200, 120) is None:
                    raise SystemExit(f"node {node.name} did not answer /healthz")
                node.serving = True
            supervisor.start()
            traffic.start()
            senders = [subprocess.Popen([str(PAPERFEED), "digest", "send"], env=n.env, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.STDOUT) for n in (a, b)]  # fmt: skip
            # 1. Papers through A, one at a time.
            rounds = []
            for n, line in enumerate(paper_lines(options.singles, options.papers, "Zyxwv")):
                paper = json.loads(line)
                ingest(a, [line])
                rounds.append(freshness(a, b, [paper["id"]], [paper["title"]], 30))
                print(f"1.{n + 1} one paper ingested through A: {show(rounds[-1])}", flush=True)
            first = {name: worst([r[name] for r in rounds]) for name in rounds[0]}
            print(f"1. worst of {len(rounds)}: {show(first)}")
            checks.append(
                (
                    f"keyword-searchable on both nodes within {KEYWORD_TARGET:g} s",
                    within(first, "keyword", KEYWORD_TARGET),
                )
            )
            semantic_name = f"searchable by meaning on both within {SEMANTIC_TARGET:g} s of its vector"
            checks.append((semantic_name, within(first, "semantic", SEMANTIC_TARGET)))
            # 2. B down for a while; papers arrive through A meanwhile.
            b.kill()
            killed = time.monotonic()
            lines = paper_lines(20, options.papers + options.singles, "Qwfpg")
            ingest(a, lines)
            time.sleep(max(0.0, options.kill_seconds - (time.monotonic() - killed)))
            b.start()
            back = time.monotonic()
            wait_until(lambda: request(b.port, "GET", "/healthz")[0] == 200, 120)
            b.serving = True
            ids, titles = [json.loads(x)["id"] for x in lines], [json.loads(x)["title"] for x in lines]
            found = wait_until(lambda: found_by(b, ids, titles, "keyword"), 180)
            keyword = None if found is None else time.monotonic() - back  # from B's start
            found = wait_until(lambda: found_by(b, ids, titles, "semantic"), 300, 1.0)
            semantic = None if found is None else time.monotonic() - back
            print(f"2. B killed (SIGKILL) for {back - killed:.0f} s while 20 papers came through A; after its "
                  f"restart B found all 20 by keyword after {'never' if keyword is None else f'{keyword:.1f} s'}, "
                  f"by meaning after {'never' if semantic is None else f'{semantic:.1f} s'}")  # fmt: skip
            checks.append(
                (
                    "B, killed and restarted, catches up by keyword and by meaning",
                    keyword is not None and semantic is not None,
                )
            )
            # 3. PostgreSQL restarted under traffic.
            time.sleep(2)
            window = restart_postgres()
            time.sleep(10)
            traffic.done.set()
            traffic.join()
            for sender in senders:
                sender.wait(300)
            wait_for_digests(a.env, folder / "digest-send.log", rerun=10, timeout=300)
            checks += check_traffic(traffic, window, killed)
            checks += check_digests(smtp, options.subscribers)
            # 4. Each node's index holds everything once; nothing embedded twice.
            pending = wait_until(lambda: all(vector_written_at(i) is not None for i in ids), 300, 1.0)
            time.sleep(5)  # a last refresh on each node
            for node in (a, b):
                docs, visible, rows, distinct, counted = index_check(node)
                print(f"node {node.name}: keyword index {docs} docs for {visible} visible papers; vector index "
                      f"{rows} rows, {distinct} distinct, for {counted} stored vectors; "
                      f"restarts: {node.restarts or 'none'}")  # fmt: skip
                checks.append(
                    (
                        f"node {node.name}'s indexes hold every paper once",
                        docs == visible and rows == distinct == counted,
                    )
                )
            inserted, updated = vector_table_writes()
            print(f"vector table: {inserted} rows inserted, {updated} updated (backfill done: {pending is not None})")
            checks.append(
                ("no paper embedded twice (one insert per paper, no update)", updated == 0 and inserted == counted)
            )
        finally:
            supervisor.done.set()
            traffic.done.set()
            for node in (a, b):
                node.stop()
            if bouncer is not None:
                bouncer.terminate()
                bouncer.wait(10)
    return report_checks(checks, folder, failed="not ok")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--papers", type=int, default=300, help="papers in the shared database at the start")
    parser.add_argument("--subscribers", type=int, default=100, help="digests due during the run")
    parser.add_argument("--pgbouncer", action="store_true", help="the nodes reach PostgreSQL through PgBouncer")
    parser.add_argument("--singles", type=int, default=5, help="papers ingested one at a time through node A")
    parser.add_argument("--kill-seconds", type=float, default=30.0, help="how long node B stays down")
    options = parser.parse_args()
    if os.environ.get("DATABASE_URL"):
        if not os.environ.get("PAPERFEED_PG_DATA"):
            sys.exit(
                "bench/cluster.py restarts PostgreSQL: it needs PAPERFEED_PG_DATA and PAPERFEED_PG_BIN "
                "(scripts/with-postgres sets them)"
            )
        sys.exit(inside(options))
    rerun_under_postgres()


if __name__ == "__main__":
    main()
