"""The `paperfeed` console script: Django's management commands under one name."""

from __future__ import annotations

import os
import select
import sys

from django.conf import settings
from django.core.management import execute_from_command_line

from paperfeed.lib.env import SettingError

# A reader that stops early (`paperfeed export | head`) ends the command as SIGPIPE would.
SIGPIPE_STATUS = 141


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paperfeed.settings")
    load_settings()
    try:
        execute_from_command_line(["paperfeed", *(sys.argv[1:] if argv is None else argv)])
        sys.stdout.flush()
    except BrokenPipeError:
        if not stdout_reader_gone():
            raise  # a socket's broken pipe (SMTP, HTTP) is an error like any other
        quit_on_closed_stdout()


def load_settings() -> None:
    """Read the settings now; a bad one is a usage error: its message alone, exit status 2.

    (Only the CLI says so briefly: the web server, paperfeed/wsgi.py, still fails with the traceback.)
    """
    try:
        settings.INSTALLED_APPS  # noqa: B018 - the first access imports paperfeed.settings
    except SettingError as error:
        print(f"paperfeed: {error}", file=sys.stderr)
        sys.exit(2)


def stdout_reader_gone() -> bool:
    """Whether stdout is a pipe whose reading end is closed (poll reports POLLERR for it)."""
    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
    except (OSError, ValueError, AttributeError):  # no real stdout (a test's StringIO), or no poll
        return False
    return any(events & select.POLLERR for _, events in poller.poll(0))


def quit_on_closed_stdout() -> None:
    # Point stdout at /dev/null so the interpreter's last flush at exit cannot fail again.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(SIGPIPE_STATUS)


if __name__ == "__main__":
    main()
