"""Web speed: requests/s and p99 latency of the site under gunicorn (2 workers) on the 27k corpus.

    python bench/web.py [--seconds 10] [--requests 5000] [--clients 8]

A fresh SQLite database gets the 123 real daily listings of
../shared/data/arxiv-cs-daily-2026-dengwei (27,081 papers) and a keyword search index
(no vectors: embedding 27k abstracts on a CPU takes most of an hour, so hybrid search runs on
keywords). gunicorn serves it with 2 sync workers on 127.0.0.1; a second process sends the
load from several threads, each request on a new connection, for at most --seconds or
--requests per endpoint. Baseline, measured in the same run: /about/, the cheapest page.
Targets: the daily page >= 500 req/s, the search API >= 100 req/s.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DAILY = ROOT.parent / "shared" / "data" / "arxiv-cs-daily-2026-dengwei" / "daily"
BIN = Path(sys.executable).parent
QUERIES = [
    "reinforcement learning", "large language models", "diffusion", "graph neural network", "robot manipulation",
    "speech recognition", "retrieval augmented generation", "federated learning", "image segmentation",
    "adversarial robustness", "code generation", "protein", "quantum", "causal inference", "time series",
]  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare(env: dict[str, str]) -> None:
    started = time.perf_counter()
    for args in (
        ["migrate", "--no-input", "-v", "0"],
        ["import", "--quiet", str(DAILY)],
        ["index", "--no-embed", "--quiet"],
    ):
        subprocess.run([str(BIN / "paperfeed"), *args], env=env, check=True, stdout=subprocess.DEVNULL)
    print(f"prepared a database of the 27k corpus with a keyword index in {time.perf_counter() - started:.0f} s")


def announced_days(folder: str, count: int = 20) -> list[str]:
    with sqlite3.connect(Path(folder) / "paperfeed.sqlite3") as db:
        query = "SELECT DISTINCT announced_on FROM papers_paper WHERE announced_on IS NOT NULL ORDER BY 1 DESC LIMIT ?"
        return [row[0] for row in db.execute(query, (count,))]


def serve(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "paperfeed.wsgi:application",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


def fetch(port: int, path: str) -> float:
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"GET {path}: HTTP {response.status}")
    return time.perf_counter() - started


def load(port: int, paths: list[str], clients: int, seconds: float, limit: int, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    """Run in a second process: ``clients`` threads GET ``paths`` in turn until the time or count runs out."""
    latencies: list[float] = []
    lock, deadline, sent = threading.Lock(), time.perf_counter() + seconds, [0]

    def client(offset: int) -> None:
        n = offset
        while time.perf_counter() < deadline:
            with lock:
                if sent[0] >= limit:
                    return
                sent[0] += 1
            took = fetch(port, paths[n % len(paths)])
            n += clients
            with lock:
                latencies.append(took)

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out.put((len(latencies) / (time.perf_counter() - started), statistics.quantiles(latencies, n=100)[98]))


def measure(port: int, name: str, paths: list[str], args: argparse.Namespace) -> float:
    for path in paths[:3]:
        fetch(port, path)  # warm each worker's caches a little
    out: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    worker = multiprocessing.Process(target=load, args=(port, paths, args.clients, args.seconds, args.requests, out))
    worker.start()
    rate, p99 = out.get()
    worker.join()
    print(f"{name:<28} {rate:8.0f} req/s   p99 {p99 * 1000:7.1f} ms")
    return float(rate)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10.0, help="longest run per endpoint")
    parser.add_argument("--requests", type=int, default=6000, help="most requests per endpoint")
    parser.add_argument("--clients", type=int, default=8, help="concurrent client threads")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="paperfeed-bench-web-") as folder:
        env = {
            **os.environ,
            "PAPERFEED_DATA_DIR": folder,
            "PAPERFEED_SECRET_KEY": "bench",
            "PAPERFEED_LOG_LEVEL": "WARNING",
        }
        env.pop("DATABASE_URL", None)
        env["DJANGO_SETTINGS_MODULE"] = "paperfeed.settings"
        prepare(env)
        port = free_port()
        server = serve(env, port)
        try:
            search = [f"/api/papers/search?q={q.replace(' ', '+')}&limit=20" for q in QUERIES]
            print(f"gunicorn, 2 sync workers, {args.clients} client threads in a second process, SQLite, 27,081 papers")
            baseline = measure(port, "baseline: /about/", ["/about/"], args)
            daily = measure(port, "daily page /", ["/"], args)
            days = measure(port, "day pages /day/DATE/", [f"/day/{day}/" for day in announced_days(folder)], args)
            api = measure(port, "search API /api/papers/search", search, args)
            trending = measure(port, "trending API /api/trending", ["/api/trending?window=week"], args)
        finally:
            server.terminate()
            server.wait(10)
    print(
        f"daily page: {daily / baseline:.2f}x the baseline; target >= 500 req/s: {'met' if daily >= 500 else 'NOT met'}"
    )
    print(f"day pages: {days:.0f} req/s; trending API: {trending:.0f} req/s")
    print(f"search API: {api / baseline:.2f}x the baseline; target >= 100 req/s: {'met' if api >= 100 else 'NOT met'}")


if __name__ == "__main__":
    main()
