"""Warm the web server before it answers: the embedding model loaded and run once, the index opened.

Called from ``paperfeed/wsgi.py`` (gunicorn's workers and ``paperfeed serve`` both import it
before they listen), never from AppConfig.ready: management commands must not pay for it.
"""

from __future__ import annotations

import logging
import time

from paperfeed.search.onnxmodel import configured_embedder
from paperfeed.search.service import search

log = logging.getLogger(__name__)


def warm_up() -> float:
    """Load the model, embed one query and run one semantic search; returns the seconds it took."""
    started = time.perf_counter()
    try:
        configured_embedder().embed_query("warm up")
        search("warm up", mode="semantic", limit=1)
    except Exception as error:  # a cold start is better than no start (no index or database yet, no model)
        log.warning("semantic search not warmed up: %s: %s", type(error).__name__, error)
    else:
        log.info("semantic search warmed up in %.1f s", time.perf_counter() - started)
    return time.perf_counter() - started
