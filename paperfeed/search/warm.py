"""Warm the web server before it answers: the embedding model loaded and run once, the index opened.

Called from ``paperfeed/wsgi.py`` (gunicorn's workers and ``paperfeed serve`` both import it
before they listen), never from AppConfig.ready: management commands must not pay for it.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings

from paperfeed.search.embedding import EmbeddingModelError, load_embedder
from paperfeed.search.service import SearchError, search

log = logging.getLogger(__name__)


def warm_up() -> float:
    """Load the model, embed one query and run one semantic search; returns the seconds it took."""
    started = time.perf_counter()
    try:
        load_embedder(settings.EMBEDDING_MODEL, settings.EMBEDDING_DEVICE).embed_query("warm up")
        search("warm up", mode="semantic", limit=1)
    except (EmbeddingModelError, SearchError, ImportError) as error:  # the site still serves keyword search
        log.warning("semantic search not warmed up: %s", error)
    except Exception as error:  # a cold start is better than no start (e.g. no database yet)
        log.warning("semantic search not warmed up: %s: %s", type(error).__name__, error)
    seconds = time.perf_counter() - started
    log.info("semantic search warmed up in %.1f s", seconds)
    return seconds
