"""paperfeed serve [ADDRPORT] : serve the site (Django's server; use gunicorn in production)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.staticfiles.management.commands.runserver import Command as RunServer
from django.core.management.base import CommandParser


class Command(RunServer):
    help = "Serve paperfeed on ADDRPORT (default 127.0.0.1:8000)."
    default_addr = "127.0.0.1"
    default_port = "8000"

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            options["insecure_serving"] = True  # serve static files without a proxy in front
        super().handle(*args, **options)
