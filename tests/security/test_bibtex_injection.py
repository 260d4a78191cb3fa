"""BibTeX injection: a crafted DOI or primary category that closes its field and opens an entry
of its own (``}, note = {...}} @misc{evil, ...``). Every field goes through the same brace
escaping, so the export stays one entry whose fields hold exactly what the paper holds."""

from __future__ import annotations

import re

import pytest

from paperfeed.papers.bibtex import bibtex, bibtex_file
from tests.personas import add_paper

pytestmark = pytest.mark.django_db

DOI = "10.1000/x}, note = {owned}}\n@misc{evil, title = {Injected"
CATEGORY = "cs.LG}} @misc{evil, x={"


def top_level_entries(text: str) -> list[str]:
    """The entry types BibTeX sees: an ``@`` outside every brace starts an entry."""
    depth, entries = 0, []
    for match in re.finditer(r"[{}]|@(\w+)", text):
        if match[0] == "{":
            depth += 1
        elif match[0] == "}":
            depth -= 1
            assert depth >= 0, "a field closed more braces than it opened"
        elif depth == 0:
            entries.append(match[1])
    assert depth == 0
    return entries


def field_names(entry: str) -> list[str]:
    return re.findall(r"^  (\w+) = \{", entry, flags=re.MULTILINE)


@pytest.mark.parametrize(("field", "value"), [("doi", DOI), ("categories", [CATEGORY])])
def test_a_crafted_doi_or_category_cannot_inject_a_bibtex_entry(field: str, value: object) -> None:
    paper = add_paper(title="Safe {title", **{field: value})
    assert top_level_entries(bibtex_file([paper, paper])) == ["misc", "misc"]
    doi = ["doi"] if field == "doi" else []
    assert field_names(bibtex(paper)) == [
        "title",
        "author",
        "year",
        "eprint",
        "archivePrefix",
        "primaryClass",
        *doi,
        "url",
    ]
