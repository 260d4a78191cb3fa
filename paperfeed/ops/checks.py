"""paperfeed's own deployment checks, run by `paperfeed check-deploy` beside Django's."""

from __future__ import annotations

import os
from typing import Any

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
    return problems


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
