"""paperfeed's own deployment checks, run by `paperfeed check-deploy` beside Django's."""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

TAG = "paperfeed"


@register(TAG, deploy=True)
def check_settings(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    problems: list[CheckMessage] = []
    if settings.DEBUG:
        problems.append(Error("PAPERFEED_DEBUG is on", hint="Unset it in production.", id="paperfeed.E001"))
    if "*" in settings.ALLOWED_HOSTS:
        problems.append(Warning("PAPERFEED_ALLOWED_HOSTS contains '*'", hint="Name your hosts.", id="paperfeed.W001"))
    if not os.access(settings.DATA_DIR, os.W_OK):
        problems.append(Error(f"PAPERFEED_DATA_DIR {settings.DATA_DIR} is not writable", id="paperfeed.E002"))
    problems += _check_site_url()
    return problems


LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}


def _check_site_url() -> list[CheckMessage]:
    """Every link in every email is built from PAPERFEED_SITE_URL: it must be the public address."""
    site = urlsplit(settings.SITE_URL)
    if site.scheme not in {"http", "https"} or not site.hostname:
        return [Error(f"PAPERFEED_SITE_URL={settings.SITE_URL!r} is not an http(s) URL", id="paperfeed.E005")]
    if site.hostname in LOCAL_HOSTS or site.hostname.endswith(".localhost"):
        hint = "Set it to the address people use, e.g. https://papers.example.org: emails link to it."
        return [Error(f"PAPERFEED_SITE_URL is {settings.SITE_URL}, a local address", hint=hint, id="paperfeed.E006")]
    return []


@register(TAG, deploy=True)
def check_database(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as error:  # unreachable database, bad credentials, ...
        return [Error(f"cannot reach the database: {error}", id="paperfeed.E003")]
    if pending:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in pending[:5])
        return [
            Error(
                f"{len(pending)} migrations not applied ({names})", hint="Run: paperfeed migrate", id="paperfeed.E004"
            )
        ]
    return []
