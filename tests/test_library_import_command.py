"""`paperfeed library import USERNAME FILE [--format F]`."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management.base import CommandError

from paperfeed.accounts.library import library_entries
from paperfeed.accounts.models import LibraryFetch
from paperfeed.papers.models import Paper
from tests.conftest import call, daily_file, run_cli

FIXTURES = Path(__file__).parent / "fixtures" / "library"


@pytest.mark.django_db
def test_it_imports_a_file_and_lists_what_it_could_not_match_on_stderr(alice: User, real_day: list[Paper]) -> None:
    path = FIXTURES / "zotero.bib"
    code, out, err = call("library", "import", "alice", str(path))
    assert code == 0
    assert (
        out.strip()
        == "5 entries: 3 added, 0 already in your library or waiting, 1 to be fetched from arXiv, 1 not matched"
    )
    assert err.strip() == f"{path}:15: knuth_art_1997: no arXiv id (looked in eprint, arxivId, url, doi, journal, note)"
    assert library_entries(alice).count() == 3 and LibraryFetch.objects.filter(user=alice).count() == 1


@pytest.mark.django_db
def test_it_is_not_rate_limited_like_the_site(alice: User, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LIBRARY_IMPORTS_PER_HOUR = 1
    for _ in range(3):
        assert call("library", "import", "alice", str(FIXTURES / "ids.txt"))[0] == 0


@pytest.mark.django_db
def test_it_says_why_it_cannot_import(alice: User, tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="no active user 'nobody'"):
        call("library", "import", "nobody", str(FIXTURES / "ids.txt"))
    with pytest.raises(CommandError, match=r"missing\.bib: No such file or directory"):
        call("library", "import", "alice", str(tmp_path / "missing.bib"))
    settings.LIBRARY_IMPORT_MAX_BYTES = 10
    with pytest.raises(CommandError, match=r"ids\.txt is 254 bytes: an import may be at most 10 bytes; split the file"):
        call("library", "import", "alice", str(FIXTURES / "ids.txt"))


def test_the_console_script_imports_a_library(cli_env: dict[str, str], tmp_path: Path) -> None:
    assert run_cli(cli_env, "migrate", "--no-input", "-v", "0").returncode == 0
    assert run_cli(cli_env, "import", str(daily_file("2026-03-02"))).returncode == 0
    create = "from django.contrib.auth.models import User; User.objects.create_user('ada', 'ada@example.org', 'x')"
    assert run_cli(cli_env, "shell", "-c", create).returncode == 0
    done = run_cli(cli_env, "library", "import", "ada", str(FIXTURES / "zotero.ris"), "--format", "ris")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().startswith("4 entries: 2 added,")
    assert ":45: Deep learning: no arXiv id" in done.stderr
    wrong = run_cli(cli_env, "library", "import", "ada", str(FIXTURES / "zotero.ris"), "--format", "endnote")
    assert wrong.returncode == 2 and "invalid choice" in wrong.stderr
