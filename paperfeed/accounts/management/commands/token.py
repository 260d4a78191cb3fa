"""paperfeed token USERNAME [--name NAME] : create an API token and print it (shown once)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from paperfeed.accounts.tokens import create_token


class Command(BaseCommand):
    help = "Create an API token for USERNAME and print it; only its digest is stored."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="cli", help="a label to tell tokens apart")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {options['username']!r}")
        _, token = create_token(user, options["name"])
        self.stdout.write(token)
