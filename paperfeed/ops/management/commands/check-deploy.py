"""paperfeed check-deploy : Django's deployment checks plus paperfeed's own; exit 1 on any warning."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run Django's --deploy checks and paperfeed's own (settings, data dir, database, migrations)."

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("check", deploy=True, fail_level="WARNING", database=["default"])
        self.stdout.write("deployment checks passed")
