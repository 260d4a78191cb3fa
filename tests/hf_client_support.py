"""Hugging Face's own client (huggingface_hub) pointed at a paperfeed on loopback, and nowhere else.

``loopback_client`` changes only what a user changes (the endpoint, and HF_ENDPOINT as the `hf`
process has it: huggingface_hub also fetches {HF_ENDPOINT}/api/agent-harnesses for its
User-Agent, and HfApi's endpoint does not cover that; docs/site.md) and records every request's
host: one that leaves loopback fails the test.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import huggingface_hub as hub
import pytest
from huggingface_hub import HfApi, constants
from huggingface_hub.utils import _detect_agent, _http

LOOPBACK = {"127.0.0.1", "localhost"}


@contextmanager
def loopback_client(endpoint: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[HfApi]:
    hosts: list[str] = []

    def record(request: Any) -> None:
        hosts.append(request.url.host)
        if request.url.host not in LOOPBACK:
            raise AssertionError(f"a request left loopback: {request.url}")

    def client() -> Any:
        made = _http.default_client_factory()
        made.event_hooks["request"].append(record)
        return made

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)  # loading the embedder elsewhere may have set it
    monkeypatch.setattr(constants, "ENDPOINT", endpoint)
    monkeypatch.setattr(constants, "AGENT_HARNESSES_PATH", str(tmp_path / "agent_harnesses.json"))
    monkeypatch.setattr(_detect_agent, "_registry", None)
    hub.set_client_factory(client)
    try:
        yield HfApi(endpoint=endpoint, token=False)
    finally:
        hub.set_client_factory(_http.default_client_factory)
    assert hosts and set(hosts) <= LOOPBACK
