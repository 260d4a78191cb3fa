"""Import speed: papers per second for the 27k-paper corpus into SQLite and PostgreSQL.

Run with `make bench` (or `.venv/bin/python bench/import.py [--no-postgres]`). Each database is
fresh; it times the first import (all added) and a re-import (all unchanged), three runs each,
and prints medians. The baseline, measured in the same run, is reading and parsing the file
alone (no database): the ratio shows what the store costs on top of parsing.
Targets (issue #16): >= 5,000 papers/s on SQLite and >= 4,000/s on PostgreSQL (the first
target was 3,000/s on SQLite).

With ``--replicated 1000000`` it measures instead the full Kaggle snapshot's format at scale:
the 200 real lines of ../shared/data/arxiv-kaggle-snapshot-sample replicated with new ids (and
the copy number in the title) into a file of that many lines, and a tenth of it, each imported
once into each database, with the parse-only baseline and the peak RSS of the import process:
memory is bounded when the RSS of the full file is that of its tenth.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "data" / "arxiv-cs-daily-2026-dengwei" / "papers_dedup.jsonl.gz"
KAGGLE = ROOT.parent / "shared" / "data" / "arxiv-kaggle-snapshot-sample" / "arxiv-metadata-oai-snapshot.head.jsonl"
PEAK_RSS = """
import resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
seconds = time.perf_counter() - started
sys.stderr.write(done.stderr)
print(f"{seconds} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss} {done.stdout.strip()}")
sys.exit(done.returncode)
"""
PAPERFEED = Path(sys.executable).with_name("paperfeed")
RUNS = 3

PARSE_ONLY = """
import os, sys
import django
os.environ["DJANGO_SETTINGS_MODULE"] = "paperfeed.settings"
django.setup()
from pathlib import Path
from paperfeed.papers import formats
from paperfeed.papers.importing import open_raw
from paperfeed.papers.store import complete
raw, text = open_raw(Path(sys.argv[1]))
n = sum(1 for p in formats.parse("daily-listing", text, sys.argv[1]) if p.record and complete(p.record))
print(n)
"""


def timed(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=True)
    return time.perf_counter() - start, done.stdout.strip()


def fresh_env(database_url: str | None, data_dir: Path) -> dict[str, str]:
    env = {**os.environ, "PAPERFEED_SECRET_KEY": "bench", "PAPERFEED_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def reset_postgres(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


def measure(database_url: str | None, papers: int) -> dict[str, float]:
    first, again = [], []
    for _ in range(RUNS):
        data_dir = Path(tempfile.mkdtemp(prefix="paperfeed-bench-"))
        if database_url:
            reset_postgres(database_url)
        env = fresh_env(database_url, data_dir)
        subprocess.run([str(PAPERFEED), "migrate", "-v", "0"], env=env, check=True)
        seconds, out = timed([str(PAPERFEED), "import", "--quiet", str(CORPUS)], env)
        assert out.startswith(f"{papers} added"), out
        first.append(seconds)
        seconds, out = timed([str(PAPERFEED), "import", "--quiet", str(CORPUS)], env)
        assert out.startswith(f"0 added, 0 updated, {papers} unchanged"), out
        again.append(seconds)
        shutil.rmtree(data_dir)
    return {"import": statistics.median(first), "reimport": statistics.median(again)}


TARGETS = {"SQLite": 5000, "PostgreSQL": 4000}  # issue #16, first imports


def report(name: str, figures: dict[str, float], papers: int, parse: float) -> None:
    for kind, seconds in figures.items():
        label = f"{name} {'import' if kind == 'import' else 're-import (unchanged)'}"
        print(f"{label:<30}{seconds:>9.2f}{papers / seconds:>11.0f}{seconds / parse:>14.2f}x", flush=True)
    rate, target = papers / figures["import"], TARGETS[name]
    print(f"target >= {target} papers/s on {name} import: {'met' if rate >= target else 'NOT met'} ({rate:.0f}/s)")


def parse_baseline() -> tuple[int, float]:
    env = fresh_env(None, Path(tempfile.mkdtemp()))
    runs = [timed([sys.executable, "-c", PARSE_ONLY, str(CORPUS)], env) for _ in range(RUNS)]
    return int(runs[0][1]), statistics.median(seconds for seconds, _ in runs)


def replicate(lines: int, path: Path) -> None:
    """``lines`` Kaggle snapshot lines: the sample's, again and again, each with an id of its own."""
    import json

    sample = [json.loads(line) for line in KAGGLE.read_text().splitlines() if line.strip()]
    with path.open("w") as out:
        for n in range(lines):
            record = dict(sample[n % len(sample)])
            year, rest = divmod(n, 12 * 100_000)
            month, number = divmod(rest, 100_000)
            record["id"] = f"{15 + year:02d}{month + 1:02d}.{number:05d}"  # five-digit numbers: 2015 on
            record["title"] = f"{record['title']} (copy {n // len(sample)})"
            out.write(json.dumps(record) + "\n")


def measured(args: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """(seconds, peak RSS in MiB, stdout) of one command, run by a small parent that reads its rusage."""
    done = subprocess.run([sys.executable, "-c", PEAK_RSS, *args], env=env, capture_output=True, text=True, check=True)
    seconds, rss_kib, out = done.stdout.strip().split(" ", 2)
    return float(seconds), int(rss_kib) // 1024, out


def at_scale(lines: int, postgres_url: str | None) -> None:
    folder = Path(tempfile.mkdtemp(prefix="paperfeed-bench-import-"))
    try:
        for size in (lines // 10, lines):
            path = folder / f"kaggle-{size}.jsonl"
            replicate(size, path)
            env = fresh_env(None, folder / "parse")
            parse, parse_rss, count = measured(
                [sys.executable, "-c", PARSE_ONLY.replace("daily-listing", "kaggle"), str(path)], env
            )
            print(f"{size:>9,} Kaggle lines ({path.stat().st_size / 2**20:,.0f} MiB): parse only {parse:.1f} s = "
                  f"{int(count) / parse:,.0f}/s, peak RSS {parse_rss} MiB", flush=True)  # fmt: skip
            for name, url in (("SQLite", None), ("PostgreSQL", postgres_url)):
                if name == "PostgreSQL" and not url:
                    continue
                data_dir = folder / f"{name}-{size}"
                if url:
                    reset_postgres(url)
                env = fresh_env(url, data_dir)
                subprocess.run([str(PAPERFEED), "migrate", "-v", "0"], env=env, check=True)
                seconds, rss, out = measured([str(PAPERFEED), "import", "--quiet", str(path)], env)
                assert out.startswith(f"{size} added"), out
                rate = size / seconds
                verdict = "met" if rate >= TARGETS[name] else "NOT met"
                print(f"{'':>9} {name:<10} import {seconds:7.1f} s = {rate:,.0f}/s ({seconds / parse:.2f}x parse), "
                      f"peak RSS {rss} MiB; target {TARGETS[name]:,}/s {verdict}", flush=True)  # fmt: skip
                shutil.rmtree(data_dir, ignore_errors=True)
            path.unlink()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-postgres", action="store_true", help="skip the PostgreSQL run")
    parser.add_argument(
        "--postgres-only", nargs=2, type=float, metavar=("PAPERS", "PARSE_SECONDS"), help=argparse.SUPPRESS
    )  # the second half, run inside scripts/with-postgres
    parser.add_argument("--replicated", type=int, metavar="LINES", help="the Kaggle format at scale (see above)")
    options = parser.parse_args()
    if options.replicated:
        if os.environ.get("DATABASE_URL") or options.no_postgres:
            at_scale(options.replicated, os.environ.get("DATABASE_URL"))
            return
        script = ROOT / "scripts" / "with-postgres"
        subprocess.run([str(script), sys.executable, __file__, "--replicated", str(options.replicated)], check=True)
        return
    if options.postgres_only:
        papers, parse = int(options.postgres_only[0]), options.postgres_only[1]
        report("PostgreSQL", measure(os.environ["DATABASE_URL"], papers), papers, parse)
        return
    papers, parse = parse_baseline()
    print(f"corpus: {CORPUS.name}, {papers} papers; medians of {RUNS} runs, whole command incl. start-up")
    print(f"{'':<30}{'seconds':>9}{'papers/s':>11}{'vs parse-only':>15}")
    print(f"{'parse only (baseline)':<30}{parse:>9.2f}{papers / parse:>11.0f}{1.0:>14.2f}x", flush=True)
    sqlite = measure(None, papers)
    report("SQLite", sqlite, papers, parse)
    if not options.no_postgres:
        script = ROOT / "scripts" / "with-postgres"
        subprocess.run([str(script), sys.executable, __file__, "--postgres-only", str(papers), str(parse)], check=True)


if __name__ == "__main__":
    main()
