"""scripts/run-local (`make run`): serves on PAPERFEED_PORT, and Ctrl-C stops every process it started."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from tests.conftest import daily_file

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def children_of(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_until(check, seconds: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.25)
    return False


def answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
            return True
    except urllib.error.HTTPError:
        return True  # 503 is an answer too
    except OSError:
        return False


def test_it_serves_on_the_port_given_and_ctrl_c_stops_every_process_with_exit_status_0(cli_env, tmp_path):
    port = free_port()
    env = {
        **cli_env,
        "PAPERFEED_PORT": str(port),
        "PAPERFEED_EMAIL_PORT": str(free_port()),
        "PAPERFEED_IMPORT": str(daily_file("2026-03-02")),
        "PAPERFEED_PRELOAD_EMBEDDER": "false",  # the test is about processes, not the warm model
    }
    env.pop("PAPERFEED_EMAIL_HOST", None)
    Path(env["PAPERFEED_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    log = (tmp_path / "run-local.log").open("w")
    script = subprocess.Popen(
        ["scripts/run-local"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        assert wait_until(lambda: answers(port), 240), (tmp_path / "run-local.log").read_text()
        # The web server answers while it still warms up; the embed lane is up once its model is loaded.
        lanes_up = ("(embed lane) started", "(main lane) started")
        logged = tmp_path / "run-local.log"
        assert wait_until(lambda: all(line in logged.read_text() for line in lanes_up), 240), logged.read_text()
        children = children_of(script.pid)
        assert len(children) == 4  # the mail server, the embed lane, the main lane and the web server
        os.killpg(script.pid, signal.SIGINT)  # what Ctrl-C sends to the terminal's foreground group
        assert script.wait(timeout=60) == 0
        assert wait_until(lambda: not any(alive(pid) for pid in children), 10)
        assert not answers(port)
    finally:
        if script.poll() is None:
            os.killpg(script.pid, signal.SIGKILL)
        log.close()
    text = (tmp_path / "run-local.log").read_text()
    assert f"serving http://127.0.0.1:{port}/" in text
    assert "(embed lane) started" in text and "(main lane) started" in text


def test_make_passes_port_to_run_local():
    done = subprocess.run(
        ["make", "-n", "run", "PORT=8001"], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    assert "PAPERFEED_PORT=8001 scripts/run-local" in done.stdout
