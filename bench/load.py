"""Load test: 4 web processes and 2 workers on one PostgreSQL under mixed traffic, then checks.

    python bench/load.py [--seconds 20] [--requests 20000] [--clients 8] [--users 32] [--subscribers 200]

Runs itself under scripts/with-postgres (a throwaway server) unless DATABASE_URL is set. A fresh
data folder gets the 27k-paper corpus and a keyword index only (`paperfeed index --no-embed`:
embedding 27k abstracts on a CPU takes most of an hour, so search runs in keyword mode). Then 4
gunicorn processes (1 sync worker each, deploy/gunicorn.conf.py) on 4 loopback ports, 2
`paperfeed worker` processes and a local aiosmtpd sink; N users with API tokens and due digest
subscriptions. A second process sends daily pages, keyword searches, upvote toggles and
submissions round-robin over the ports, bounded in time and count, while the workers' digest
job and two `paperfeed digest send` processes deliver the digests. Afterwards, from the
database: no 5xx, no lost vote, no duplicate email. Exits 1 when a check fails.

With --restart-postgres, the PostgreSQL server is restarted once (pg_ctl -m fast restart) at half
the load; the two `digest send` processes start once it is back. Requests that fail (5xx or no
answer) while it is down are counted apart; a vote or submission whose answer was lost makes its
(user, paper) pair unknown, left out of the exact comparison. A `paperfeed worker` that exits is
started again after 1 s, as systemd's Restart=always would; leases are shortened (jobs 20 s,
digests 10 s) so work left claimed by a dead process is taken over within the run, and a
`paperfeed digest send` runs again every 10 s while digests are still open (as a timer would).
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import multiprocessing
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.web import QUERIES  # noqa: E402
from tests.smtp_server import SmtpServer, free_port  # noqa: E402

CORPUS = ROOT.parent / "shared" / "data" / "arxiv-cs-daily-2026-dengwei" / "papers_dedup.jsonl.gz"
PAPERFEED = Path(sys.executable).with_name("paperfeed")
GUNICORN = Path(sys.executable).with_name("gunicorn")
WEIGHTS = {"daily": 4, "search": 3, "vote": 2, "submit": 1}
UNREACHABLE = "http://127.0.0.1:9"  # no upstream is called during the load: any attempt fails at once
GRACE = 1.0  # seconds after PostgreSQL is back during which a failed request still counts as "during restart"
RESTART_LEASE = 10  # digest lease in the restart variant; the job lease is twice that


def base_env(data_dir: str, smtp_port: int) -> dict[str, str]:
    env = {**os.environ, "PAPERFEED_DATA_DIR": data_dir, "PAPERFEED_SECRET_KEY": "bench"}
    env.update(
        DJANGO_SETTINGS_MODULE="paperfeed.settings",
        PAPERFEED_LOG_LEVEL="WARNING",
        PAPERFEED_EMAIL_HOST="127.0.0.1",
        PAPERFEED_EMAIL_PORT=str(smtp_port),
        PAPERFEED_VOTES_PER_MINUTE="1000000",
        PAPERFEED_SUBMISSIONS_PER_HOUR="1000000",
        PAPERFEED_SUBMIT_DAILY_CAP="1000000",
        PAPERFEED_SUBMIT_MAX_AGE_DAYS="36500",
        PAPERFEED_WORKER_POLL="0.5",
        PAPERFEED_HTTP_RETRIES="0",
        PAPERFEED_ARXIV_OAI_URL=UNREACHABLE,
        PAPERFEED_ARXIV_API_URL=UNREACHABLE,
        PAPERFEED_ARXIV_RSS_URL=UNREACHABLE,
        PAPERFEED_HF_API_URL=UNREACHABLE,
    )
    return env


def prepare(env: dict[str, str]) -> None:
    started = time.perf_counter()
    for args in (["migrate", "--no-input", "-v", "0"], ["import", "--quiet", str(CORPUS)], ["index", "--no-embed"]):
        subprocess.run([str(PAPERFEED), *args], env=env, check=True, stdout=subprocess.DEVNULL)
    print(f"prepared PostgreSQL with the 27k corpus and a keyword-only index in {time.perf_counter() - started:.0f} s")


def make_fixtures(users: int, subscribers: int) -> dict[str, Any]:
    """Users with tokens, papers to vote on and to submit (disjoint), due subscriptions; returns the plan."""
    from django.contrib.auth.models import User
    from django.db.models import Max

    from paperfeed.accounts.tokens import create_token
    from paperfeed.papers.models import Paper

    tag = f"load{random.randrange(10**6)}"
    User.objects.bulk_create([User(username=f"{tag}-{n}", password="!") for n in range(users)])
    people = list(User.objects.filter(username__startswith=f"{tag}-").order_by("pk"))
    tokens = [create_token(user, "load")[1] for user in people]
    last_day = Paper.objects.aggregate(day=Max("announced_on"))["day"]
    ids = list(Paper.objects.filter(announced_on=last_day).order_by("arxiv_id").values_list("arxiv_id", flat=True))
    days = [
        str(d) for d in Paper.objects.values_list("announced_on", flat=True).distinct().order_by("-announced_on")[:20]
    ]
    make_subscriptions(tag, subscribers, dt.datetime.combine(last_day, dt.time(23, 0), tzinfo=dt.UTC))
    return {"tag": tag, "user_ids": [u.pk for u in people], "tokens": tokens, "days": days,
            "vote_papers": ids[:30], "submit_papers": ids[30:70]}  # fmt: skip


def make_subscriptions(tag: str, count: int, slot: dt.datetime) -> None:
    """Confirmed daily subscriptions whose slot (the corpus's last day, 23:00 UTC) is past: all due now."""
    from paperfeed.digests.models import Subscription

    topics = ["cs.LG", "cs.CV", "cs.CL", "cs.AI", "cs.RO", "cs.CR"]
    Subscription.objects.bulk_create(
        Subscription(email=f"{tag}-reader{n}@example.org", status=Subscription.ACTIVE, frequency=Subscription.DAILY,
                     timezone="UTC", send_hour=23, categories=[topics[n % len(topics)]], trending_count=5,
                     next_digest_at=slot, created_at=slot, confirmed_at=slot)
        for n in range(count)
    )  # fmt: skip


def park_jobs() -> None:
    """The workers' jobs exist but wait (no harvest, no embedding); send-due-digests is released mid-load."""
    from django.utils import timezone

    from paperfeed.jobs.kinds import ensure_default_jobs
    from paperfeed.jobs.models import Job

    ensure_default_jobs()
    Job.objects.update(next_run_at=timezone.now() + dt.timedelta(days=365))


def release_digest_job() -> None:
    from django.utils import timezone

    from paperfeed.jobs.models import Job

    Job.objects.filter(name="send-due-digests").update(next_run_at=timezone.now())


def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT)


def wait_for_port(port: int) -> None:
    for _ in range(300):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"gunicorn on port {port} did not start")


def request(port: int, method: str, path: str, token: str | None = None, body: Any = None) -> tuple[int, Any, float]:
    """One request on a new connection: (status, parsed JSON or None, seconds); status 0 if it failed."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = None if body is None else json.dumps(body).encode()
    if data is not None:
        headers["Content-Type"] = "application/json"
    started = time.perf_counter()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        raw = response.read()
        connection.close()
    except OSError:
        return 0, None, time.perf_counter() - started
    parsed = json.loads(raw) if response.getheader("Content-Type", "").startswith("application/json") else None
    return response.status, parsed, time.perf_counter() - started


class Driver:
    """The load, in the second process: each thread owns the users n with n % clients == its number,
    so one user's vote toggles are sequential and each answer says that pair's state exactly."""

    def __init__(self, plan: dict[str, Any]) -> None:
        self.plan, self.lock, self.sent, self.turn = plan, threading.Lock(), 0, 0
        self.records: list[tuple[str, int, float, float]] = []
        self.expected: dict[tuple[int, str], bool] = {}
        self.unknown: set[tuple[int, str]] = set()
        self.submitted: list[tuple[int, str]] = []
        self.deadline = time.perf_counter() + plan["seconds"]

    def next_port(self) -> int | None:
        with self.lock:
            if self.sent >= self.plan["requests"] or time.perf_counter() >= self.deadline:
                return None
            self.sent += 1
            return int(self.plan["ports"][self.sent % len(self.plan["ports"])])

    def client(self, number: int) -> None:
        rng = random.Random(number)
        mine = list(range(number, len(self.plan["tokens"]), self.plan["clients"]))
        kinds = [kind for kind in WEIGHTS if mine or kind in ("daily", "search")]
        while (port := self.next_port()) is not None:
            kind = rng.choices(kinds, [WEIGHTS[k] for k in kinds])[0]
            status, took = getattr(self, kind)(port, rng, mine)
            with self.lock:
                self.records.append((kind, status, took, time.monotonic()))

    def daily(self, port: int, rng: random.Random, mine: list[int]) -> tuple[int, float]:
        path = rng.choice(["/"] + [f"/day/{day}/" for day in self.plan["days"]])
        return request(port, "GET", path)[::2]

    def search(self, port: int, rng: random.Random, mine: list[int]) -> tuple[int, float]:
        query = rng.choice(QUERIES).replace(" ", "+")
        return request(port, "GET", f"/api/papers/search?q={query}&mode=keyword&limit=20")[::2]

    def vote(self, port: int, rng: random.Random, mine: list[int]) -> tuple[int, float]:
        user, paper = rng.choice(mine), rng.choice(self.plan["vote_papers"])
        method = "DELETE" if self.expected.get((user, paper), False) else "POST"
        status, answer, took = request(port, method, f"/api/papers/{paper}/upvote", self.plan["tokens"][user])
        if status == 200:
            self.expected[(user, paper)] = bool(answer["voted"])
        elif status == 0 or status >= 500:
            self.unknown.add((user, paper))
        return status, took

    def submit(self, port: int, rng: random.Random, mine: list[int]) -> tuple[int, float]:
        user, paper = rng.choice(mine), rng.choice(self.plan["submit_papers"])
        status, _, took = request(port, "POST", "/api/submit", self.plan["tokens"][user], {"id": paper})
        if status == 201:
            with self.lock:
                self.submitted.append((user, paper))
        elif status == 0 or status >= 500:
            self.unknown.add((user, paper))
        return status, took


def drive(plan: dict[str, Any], out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    driver = Driver(plan)
    started = time.perf_counter()
    threads = [threading.Thread(target=driver.client, args=(n,)) for n in range(plan["clients"])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    votes = [(user, paper) for (user, paper), voted in driver.expected.items() if voted]
    out.put((driver.records, time.perf_counter() - started, votes, list(driver.unknown), driver.submitted))


def restart_postgres() -> tuple[float, float]:
    """pg_ctl -m fast restart, waiting for the server to accept connections; returns (start, end) monotonic."""
    from django.db import connection

    run_as = os.environ.get("PAPERFEED_PG_RUN_AS", "")
    pg_ctl = Path(os.environ["PAPERFEED_PG_BIN"]) / "pg_ctl"
    args = [str(pg_ctl), "-D", os.environ["PAPERFEED_PG_DATA"], "-l", os.environ["PAPERFEED_PG_LOG"]]
    args = (["runuser", "-u", run_as, "--"] if run_as else []) + [*args, "-m", "fast", "-w", "-t", "60", "restart"]
    began = time.monotonic()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    ended = time.monotonic()
    connection.close()  # this process's connection died with the server: outside requests nothing checks it
    return began, ended


def run_load(plan: dict[str, Any], env: dict[str, str], log: Path, procs: list[Any], restart: bool) -> tuple[Any, ...]:
    """The load in a second process; the digest job is released at 1/4 of it, two `digest send` start at 1/2
    (with ``restart``: PostgreSQL is restarted at 1/2, and they start once it is back)."""
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    loader = context.Process(target=drive, args=(plan, out), daemon=True)
    loader.start()
    procs.append(loader)
    time.sleep(plan["seconds"] / 4)
    release_digest_job()
    time.sleep(plan["seconds"] / 4)
    window = restart_postgres() if restart else None
    senders = [start([str(PAPERFEED), "digest", "send"], env, log) for _ in range(2)]
    procs.extend(senders)
    result = out.get(timeout=plan["seconds"] + 300)
    loader.join(30)
    for sender in senders:
        sender.wait(300)
    return (*result, window)


def wait_for_digests(env: dict[str, str], log: Path, rerun: float | None = None, timeout: float = 300) -> int:
    """Until no digest is due or open; with ``rerun``, a `paperfeed digest send` every that many seconds
    meanwhile (it takes over deliveries whose lease ran out). Returns how many such runs there were."""
    from django.utils import timezone

    from paperfeed.digests.models import Delivery, Subscription

    deadline = time.monotonic() + timeout
    runs, next_run = 0, time.monotonic() + (rerun or 0)
    while time.monotonic() < deadline:
        due = Subscription.objects.filter(status=Subscription.ACTIVE, next_digest_at__lte=timezone.now()).exists()
        open_ = Delivery.objects.exclude(state__in=Delivery.FINAL).exists()
        if not due and not open_:
            return runs
        if rerun and time.monotonic() >= next_run:
            subprocess.run([str(PAPERFEED), "digest", "send"], env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT)
            runs, next_run = runs + 1, time.monotonic() + rerun
        time.sleep(0.5)
    return runs


def quantile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else sum(values)


def print_traffic(records: list[tuple[str, int, float, float]], seconds: float) -> None:
    print(f"{'kind':<8}{'requests':>9}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'2xx':>7}{'4xx':>6}{'5xx':>6}{'conn':>6}")
    for kind in [*WEIGHTS, "all"]:
        rows = [r for r in records if kind in (r[0], "all")]
        took = [r[2] * 1000 for r in rows]
        classes = Counter(r[1] // 100 for r in rows)
        print(
            f"{kind:<8}{len(rows):>9}{len(rows) / seconds:>8.1f}{quantile(took, 50):>9.1f}{quantile(took, 99):>9.1f}"
            f"{classes[2]:>7}{classes[4]:>6}{classes[5]:>6}{classes[0]:>6}"
        )
    refusals = Counter((r[0], r[1]) for r in records if 400 <= r[1] < 500)
    print("4xx by kind and status:", dict(refusals) or "none")


def check_votes(plan: dict[str, Any], votes: list, unknown: list, submitted: list) -> list[tuple[str, bool]]:
    from paperfeed.papers.models import Submission, Vote

    index = {pk: n for n, pk in enumerate(plan["user_ids"])}
    rows = Vote.objects.filter(user_id__in=index).values_list("user_id", "paper__arxiv_id")
    stored = {(index[user], paper) for user, paper in rows} - {tuple(pair) for pair in unknown}
    expected = {tuple(pair) for pair in votes + submitted} - {tuple(pair) for pair in unknown}
    lost = {tuple(pair) for pair in unknown}
    sub_rows = Submission.objects.filter(user_id__in=index).values_list("user_id", "paper__arxiv_id")
    subs = sorted(pair for pair in ((index[user], paper) for user, paper in sub_rows) if pair not in lost)
    answered = sorted(tuple(pair) for pair in submitted if tuple(pair) not in lost)
    print(
        f"votes: {len(stored)} rows, {len(expected)} expected from the answers "
        f"({len(expected - stored)} lost, {len(stored - expected)} extra, {len(unknown)} pairs unknown); "
        f"submissions: {len(subs)} rows, {len(answered)} answered 201"
        + (f" (pairs unknown left out: {len(sub_rows) - len(subs)} rows)" if unknown else "")
    )
    return [("no lost or extra vote", stored == expected), ("submissions = 201 answers", subs == answered)]


def check_email(smtp: SmtpServer) -> list[tuple[str, bool]]:
    from paperfeed.digests.models import Delivery

    ids = [str(message["Message-ID"]) for message in smtp.messages]
    states = Counter(Delivery.objects.values_list("state", flat=True))
    sent_ids = set(Delivery.objects.filter(state=Delivery.SENT).values_list("message_id", flat=True))
    print(f"digests: deliveries {dict(states)}; messages at the sink {len(ids)}, distinct Message-IDs {len(set(ids))}")
    return [
        ("no duplicate email (Message-IDs unique)", len(ids) == len(set(ids))),
        ("deliveries sent = messages received", states[Delivery.SENT] == len(ids) and sent_ids == set(ids)),
        ("a digest run happened during the load", states[Delivery.SENT] > 0),
    ]


def start_servers(env: dict[str, str], folder: Path, procs: list[Any], workers: list[Any]) -> list[int]:
    ports = [free_port() for _ in range(4)]
    for port in ports:
        args = ["--config", str(ROOT / "deploy" / "gunicorn.conf.py"), "-b", f"127.0.0.1:{port}", "-w", "1"]
        procs.append(start([str(GUNICORN), *args, "--access-logfile", "/dev/null"], env, folder / f"web-{port}.log"))
    for n in range(2):
        workers.append(start([str(PAPERFEED), "worker"], env, folder / f"worker-{n}.log"))
    procs.extend(workers)
    for port in ports:
        wait_for_port(port)
        request(port, "GET", "/about/")
    return ports


class Supervisor(threading.Thread):
    """Like systemd's Restart=always (RestartSec shortened to 1 s) for the `paperfeed worker`s."""

    def __init__(self, env: dict[str, str], folder: Path, procs: list[Any], workers: list[Any]) -> None:
        super().__init__(daemon=True)
        self.env, self.folder, self.procs, self.workers = env, folder, procs, workers
        self.done, self.restarts = threading.Event(), []  # (worker number, exit status)

    def run(self) -> None:
        while not self.done.wait(0.2):
            for n, proc in enumerate(self.workers):
                if proc.poll() is not None and not self.done.wait(1.0):
                    self.restarts.append((n, proc.returncode))
                    self.workers[n] = start([str(PAPERFEED), "worker"], self.env, self.folder / f"worker-{n}.log")
                    self.procs.append(self.workers[n])


def check_restart(records: list[tuple[str, int, float, float]], window: tuple[float, float], supervisor: Supervisor,
                  reruns: int) -> list[tuple[str, bool]]:  # fmt: skip
    """Failures allowed only for requests in flight while the server was down (plus GRACE); 2xx after it."""
    began, ended = window
    failed = [r for r in records if not 0 < r[1] < 500]
    during = [r for r in failed if r[3] >= began and r[3] - r[2] <= ended + GRACE]
    after = [r for r in records if r[3] - r[2] > ended]
    ok_after = [r for r in after if 200 <= r[1] < 300]
    first_ok = min((r[3] - ended for r in ok_after), default=float("nan"))
    print(
        f"restart: pg_ctl -m fast restart took {ended - began:.2f} s; failed requests during it {len(during)} "
        f"({Counter(r[1] for r in during)}), failed outside it {len(failed) - len(during)}; "
        f"after it {len(after)} requests, {len(ok_after)} 2xx, first 2xx answered {first_ok:.2f} s after it; "
        f"paperfeed workers restarted (exit status): {supervisor.restarts or 'none'}; extra digest send runs {reruns}"
    )
    return [
        ("no 5xx or failed connection outside the restart", len(failed) == len(during)),
        ("the site answers 2xx after the restart", len(ok_after) > 0),
    ]


def alive(proc: Any) -> bool:
    return proc.poll() is None if isinstance(proc, subprocess.Popen) else bool(proc.is_alive())


def stop(procs: list[Any]) -> None:
    """Terminate every process this run started, then kill what is still there after 15 s."""
    for proc in filter(alive, procs):
        proc.terminate()
    deadline = time.monotonic() + 15
    while any(alive(proc) for proc in procs) and time.monotonic() < deadline:
        time.sleep(0.1)
    for proc in filter(alive, procs):
        proc.kill()


def inside(options: argparse.Namespace) -> int:
    folder = Path(tempfile.mkdtemp(prefix="paperfeed-bench-load-"))
    procs: list[Any] = []
    workers: list[Any] = []
    with SmtpServer() as smtp:
        env = base_env(str(folder), smtp.port)
        if options.restart_postgres:
            env.update(PAPERFEED_DIGEST_LEASE=str(RESTART_LEASE), PAPERFEED_JOB_LEASE=str(2 * RESTART_LEASE))
        supervisor = Supervisor(env, folder, procs, workers)
        os.environ.update(env)
        try:
            prepare(env)
            import django

            django.setup()
            plan = make_fixtures(options.users, options.subscribers)
            park_jobs()
            from django.db import connection

            connection.close()
            plan.update(ports=start_servers(env, folder, procs, workers), seconds=options.seconds,
                        requests=options.requests, clients=options.clients)  # fmt: skip
            print(
                f"4 gunicorn processes (1 sync worker each), 2 paperfeed workers, PostgreSQL; {options.clients} "
                f"client threads in a second process; {options.users} users, {options.subscribers} due digests; "
                f"search in keyword mode (no vectors: embedding is too slow here); load average before "
                f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} cores",
                flush=True,
            )
            if options.restart_postgres:
                supervisor.start()
            sends = folder / "digest-send.log"
            records, seconds, votes, unknown, submitted, window = run_load(
                plan, env, sends, procs, options.restart_postgres
            )
            load_after = os.getloadavg()[0]
            reruns = wait_for_digests(env, sends, RESTART_LEASE if options.restart_postgres else None)
            print_traffic(records, seconds)
            print(f"load: {seconds:.1f} s; load average at its end {load_after:.2f}")
            if window is None:
                checks = [("no 5xx and no failed connection", all(0 < r[1] < 500 for r in records))]
            else:
                checks = check_restart(records, window, supervisor, reruns)
            checks += check_votes(plan, votes, unknown, submitted) + check_email(smtp)
        finally:
            supervisor.done.set()
            if supervisor.is_alive():
                supervisor.join()
            stop(procs)
    return report_checks(checks, folder)


def report_checks(checks: list[tuple[str, bool]], folder: Path, failed: str = "FAILED") -> int:
    """One line a check, ok or ``failed``; the exit status (1 when one failed, naming the logs' folder)."""
    for name, passed in checks:
        print(f"{'ok' if passed else failed:<7}{name}")
    if not all(passed for _, passed in checks):
        print(f"logs of the servers and workers: {folder}")
        return 1
    return 0


def rerun_under_postgres() -> None:
    """Run this script again inside scripts/with-postgres (a throwaway server), with its exit status."""
    script = os.path.abspath(sys.argv[0])
    child = subprocess.Popen([str(ROOT / "scripts" / "with-postgres"), sys.executable, script, *sys.argv[1:]])
    while True:
        try:
            sys.exit(child.wait())
        except KeyboardInterrupt:  # the child got it too; let it clean up (with-postgres stops its server)
            continue


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=20.0, help="longest load")
    parser.add_argument("--requests", type=int, default=20_000, help="most requests in all")
    parser.add_argument("--clients", type=int, default=8, help="concurrent client threads")
    parser.add_argument("--users", type=int, default=32, help="accounts with API tokens that vote and submit")
    parser.add_argument("--subscribers", type=int, default=200, help="digest subscriptions due during the load")
    parser.add_argument("--restart-postgres", action="store_true", help="restart PostgreSQL once at half the load")
    options = parser.parse_args()
    if os.environ.get("DATABASE_URL"):
        if options.restart_postgres and not os.environ.get("PAPERFEED_PG_DATA"):
            sys.exit(
                "--restart-postgres needs PAPERFEED_PG_DATA and PAPERFEED_PG_BIN (scripts/with-postgres sets them)"
            )
        sys.exit(inside(options))
    rerun_under_postgres()


if __name__ == "__main__":
    main()
