"""The WSGI application for gunicorn and ``paperfeed serve``; warms semantic search as it starts.

With PAPERFEED_PRELOAD_EMBEDDER on (the default) the embedding model is loaded as the process
starts, on a thread of its own: the process answers at once (gunicorn kills a worker that takes
longer than its timeout to boot, and loading torch on shared cores can), and a semantic query
that arrives during the warm-up waits for it instead of loading a second copy.
"""

import os
import threading

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paperfeed.settings")
application = get_wsgi_application()


def _warm() -> None:
    from django.conf import settings

    if settings.PRELOAD_EMBEDDER:
        from paperfeed.search.warm import warm_up

        threading.Thread(target=warm_up, name="warm-up", daemon=True).start()


_warm()
