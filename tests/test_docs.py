"""The docs name every setting, command, format and canonical field: a test fails when one is missing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.management import get_commands

from paperfeed.lib.env import READ_SETTINGS
from paperfeed.papers.exporting import canonical_dict
from paperfeed.papers.formats import FORMATS
from paperfeed.papers.models import Paper

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
FORMATS_DOC = (ROOT / "docs" / "formats.md").read_text()


def table_names(text: str) -> set[str]:
    """The backticked names in the first column of every markdown table row."""
    return set(re.findall(r"^\|\s*`([^`]+)`", text, flags=re.MULTILINE))


def test_every_setting_read_from_the_environment_is_in_the_readme_table():
    assert len(READ_SETTINGS) >= 5  # settings.py has been imported and declared what it reads
    missing = sorted(set(READ_SETTINGS) - table_names(README))
    assert not missing, f"settings missing from README.md's table: {missing}"


def test_the_readme_documents_no_setting_that_does_not_exist():
    documented = {name for name in table_names(README) if name.startswith("PAPERFEED_") or name == "DATABASE_URL"}
    # PAPERFEED_IMPORT and PAPERFEED_PORT are read by `make run` (scripts/run-local), not by the program.
    assert documented - set(READ_SETTINGS) <= {"PAPERFEED_IMPORT", "PAPERFEED_PORT"}


def test_every_paperfeed_command_is_in_the_readme_command_table():
    ours = sorted(name for name, app in get_commands().items() if app.startswith("paperfeed"))
    assert "import" in ours
    rows = {name.split()[1] for name in table_names(README) if name.startswith("paperfeed ")}
    missing = [name for name in ours if name not in rows]
    assert not missing, f"commands missing from README.md: {missing}"


@pytest.mark.parametrize("name", list(FORMATS))
def test_every_import_format_is_documented(name):
    assert f"`{name}`" in README
    assert f"(`{name}`)" in FORMATS_DOC


def test_every_canonical_field_is_in_the_formats_table():
    paper = Paper(arxiv_id="2403.01234", title="t", version=1, upvotes=1, github_stars=1, num_comments=1)
    fields = set(canonical_dict(paper)) | {
        "updated", "comment", "journal_ref", "doi", "license", "announced_on", "ai_summary",
        "ai_keywords", "hf_submitted_at", "code_links", "project_page", "github_repo",
    }  # fmt: skip
    documented = table_names(FORMATS_DOC) | {
        part.strip("` ")
        for row in re.findall(r"^\| (`[^|]*`) \|", FORMATS_DOC, re.MULTILINE)
        for part in row.split(",")
    }
    assert not fields - documented, f"canonical fields missing from docs/formats.md: {fields - documented}"
