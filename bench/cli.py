"""CLI speed: wall time of `paperfeed search` as a user runs it, keyword and semantic.

    python bench/cli.py [--runs 5] [--days 123] [--embed 200]

A fresh SQLite database gets the real daily listings of ../shared/data/arxiv-cs-daily-2026-dengwei
(all 123 days, 27,081 papers, unless --days says fewer), a keyword index and vectors for --embed
of them. Each command runs --runs times after one warm-up run (bytecode cached in a temporary
PYTHONPYCACHEPREFIX, as on an installed machine); the median wall time is printed.
Baselines, measured in the same run: `python -c "import django"` (the interpreter) and
`paperfeed --version` (Django set up with every app, no command).
Targets on 2 cores: keyword search <= 1.5 s, semantic search <= 3 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DAILY = ROOT.parent / "shared" / "data" / "arxiv-cs-daily-2026-dengwei" / "daily"
PAPERFEED = str(Path(sys.executable).with_name("paperfeed"))
TARGETS = {"keyword search": 1.5, "semantic search": 3.0}


def prepare(env: dict[str, str], days: int, embed: int) -> None:
    started = time.perf_counter()
    files = [str(path) for path in sorted(DAILY.glob("*.jsonl.gz"))[-days:]]
    for args in (
        ["migrate", "--no-input", "-v", "0"],
        ["import", "--quiet", *files],
        ["index", "--quiet", "--embed-limit", str(embed)],
    ):
        subprocess.run([PAPERFEED, *args], env=env, check=True, stdout=subprocess.DEVNULL)
    took = time.perf_counter() - started
    print(f"prepared {len(files)} daily listings, a keyword index and {embed} vectors in {took:.0f} s")


def median_wall(command: list[str], env: dict[str, str], runs: int) -> float:
    """The median wall time of ``command`` over ``runs`` runs, after one warm-up run."""
    times = []
    for attempt in range(runs + 1):
        started = time.perf_counter()
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if attempt:
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def commands() -> dict[str, list[str]]:
    return {
        "python -c 'import django'": [sys.executable, "-c", "import django"],
        "paperfeed --version": [PAPERFEED, "--version"],
        "keyword search": [PAPERFEED, "search", "graph neural network", "--mode", "keyword"],
        "semantic search": [PAPERFEED, "search", "graph neural network", "--mode", "semantic"],
    }


def report(figures: dict[str, float]) -> None:
    interpreter, django_setup = figures["python -c 'import django'"], figures["paperfeed --version"]
    print(f"{'command':28} {'median s':>9} {'x python':>9} {'x --version':>12} {'target':>8}")
    for name, seconds in figures.items():
        target = TARGETS.get(name)
        verdict = f"{'met' if seconds <= target else 'MISSED'} {target:g}" if target else ""
        ratios = f"{seconds / interpreter:9.1f} {seconds / django_setup:12.2f}"
        print(f"{name:28} {seconds:9.2f} {ratios} {verdict:>8}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--days", type=int, default=123, help="how many daily listings (the latest) to import")
    parser.add_argument("--embed", type=int, default=200, help="how many papers get vectors")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="paperfeed-bench-cli-") as folder:
        env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
        env.update(PAPERFEED_DATA_DIR=folder, PAPERFEED_SECRET_KEY="bench", PYTHONPYCACHEPREFIX=f"{folder}/pycache")
        env.pop("DATABASE_URL", None)
        prepare(env, args.days, args.embed)
        print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; median of {args.runs} runs")
        report({name: median_wall(command, env, args.runs) for name, command in commands().items()})


if __name__ == "__main__":
    main()
