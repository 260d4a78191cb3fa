"""The WSGI application for gunicorn and ``paperfeed serve``; warms semantic search before serving.

With PAPERFEED_PRELOAD_EMBEDDER on (the default) the embedding model is loaded here, at import,
so the first semantic query after a restart does not wait for it (bench/embedding.py measures it).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paperfeed.settings")
application = get_wsgi_application()


def _warm() -> None:
    from django.conf import settings

    if settings.PRELOAD_EMBEDDER:
        from paperfeed.search.warm import warm_up

        warm_up()


_warm()
