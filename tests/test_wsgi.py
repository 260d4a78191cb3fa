"""paperfeed/wsgi.py: the web server loads the embedding model before it serves (PAPERFEED_PRELOAD_EMBEDDER)."""

from __future__ import annotations

import subprocess
import sys

import pytest

LOADED = (
    "import threading\n"
    "import paperfeed.wsgi\n"
    "from django.conf import settings\n"
    "from paperfeed.search.embedding import _load, load_embedder\n"
    "warming = [t for t in threading.enumerate() if t.name == 'warm-up']\n"
    "print('warming on its own thread:', len(warming))\n"
    "load_embedder(settings.EMBEDDING_MODEL, settings.EMBEDDING_DEVICE) if warming else None\n"
    "[t.join() for t in warming]\n"
    "print('models loaded:', _load.cache_info().currsize)\n"
)


@pytest.mark.parametrize(("preload", "loaded"), [("true", 1), ("false", 0)])
def test_the_wsgi_app_loads_the_model_at_import_when_the_setting_is_on(cli_env, preload, loaded):
    env = {**cli_env, "PAPERFEED_PRELOAD_EMBEDDER": preload}
    done = subprocess.run([sys.executable, "-c", LOADED], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"models loaded: {loaded}" in done.stdout, "a query during the warm-up waits for it: one model"
    assert f"warming on its own thread: {loaded}" in done.stdout, "the process answers while the model loads"
