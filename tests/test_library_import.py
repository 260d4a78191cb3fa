"""Importing a library (accounts/imports/): each format on real exports, not-matched entries with
their line, malformed files keeping their good entries, re-import changing nothing, the site's form.

The exports in tests/fixtures/library/ name papers of the real listing of 2 March 2026 (the
``real_day`` fixture imports it) and a few the store lacks (tests/fixtures/library/SOURCE.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from paperfeed.accounts.imports.formats import Unreadable, detect, read_library
from paperfeed.accounts.imports.service import import_library
from paperfeed.accounts.library import library_entries, save_paper
from paperfeed.accounts.models import LibraryEntry, LibraryFetch
from paperfeed.papers.models import Paper
from tests.personas import signed_in

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "library"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def saved_ids(user: User) -> set[str]:
    return {entry.paper.arxiv_id for entry in library_entries(user)}


def queued_ids(user: User) -> set[str]:
    return set(LibraryFetch.objects.filter(user=user).values_list("arxiv_id", flat=True))


# Each real export: its format as detected, the ids it names in file order, and its entries naming none.
EXPORTS = {
    "zotero.bib": ("bibtex", ["2602.24024", "2602.24092", "2602.24169", "1605.08386"], ["knuth_art_1997"]),
    "jabref.bib": ("bibtex", ["2602.23438", "2602.23367"], []),
    "mendeley.bib": ("bibtex", ["2602.24224", "2602.23534"], []),
    "bbt-biblatex-eprinttype.bib": ("bibtex", ["1412.2970"], []),
    "zotero.ris": ("ris", ["2602.24191", "2602.23754", "1707.08567"], ["Deep learning"]),
    "rispy-endnote.ris": ("ris", [], ["123"]),
    "rispy-extraneous-data.ris": ("ris", [], ["12345", "12345"]),
    "zotero.json": ("csl-json", ["2602.23520", "2602.23741", "2602.23370"], ["Deep learning"]),
    "ids.txt": (
        "text",
        ["2602.23370", "2602.24024", "2602.24092", "2602.24169", "hep-th/9901001", "astro-ph/0601001"],
        [""],
    ),
}


@pytest.mark.parametrize("name", list(EXPORTS))
def test_each_real_export_is_read_with_the_arxiv_ids_it_names(name: str) -> None:
    fmt, ids, unnamed = EXPORTS[name]
    reading = read_library(name, fixture(name))
    assert reading.format == fmt
    assert [entry.arxiv_id for entry in reading.entries if entry.arxiv_id] == ids
    assert [entry.key for entry in reading.entries if not entry.arxiv_id] == unnamed


def test_the_content_decides_the_format_and_the_extension_only_breaks_a_tie() -> None:
    bib = fixture("zotero.bib").decode()
    assert detect("library.txt", bib) == "bibtex"  # a BibTeX export saved as .txt is still BibTeX
    assert detect("library.json", fixture("zotero.ris").decode()) == "ris"
    assert detect("empty.bib", "") == "bibtex"  # nothing to tell by: the extension says
    assert detect("list", "2602.23370\n") == "text"


def test_papers_in_the_store_are_saved_at_once_and_others_are_queued_for_the_worker(
    alice: User, real_day: list[Paper]
) -> None:
    report = import_library(alice, "zotero.bib", fixture("zotero.bib"))
    assert saved_ids(alice) == {"2602.24024", "2602.24092", "2602.24169"}
    assert report.queued == ["1605.08386"] and queued_ids(alice) == {"1605.08386"}
    assert LibraryFetch.objects.get(arxiv_id="1605.08386").state == LibraryFetch.WAITING
    assert not Paper.objects.filter(arxiv_id="1605.08386").exists(), "nothing is fetched inside the import"
    assert report.problems() == [
        "zotero.bib:15: knuth_art_1997: no arXiv id (looked in eprint, arxivId, url, doi, journal, note)"
    ]
    assert report.summary() == (
        "5 entries: 3 added, 0 already in your library or waiting, 1 to be fetched from arXiv, 1 not matched"
    )


def test_importing_the_same_file_again_changes_nothing(alice: User, real_day: list[Paper]) -> None:
    for name in ("zotero.bib", "zotero.ris", "zotero.json", "ids.txt"):
        import_library(alice, name, fixture(name))
    library = list(LibraryEntry.objects.filter(user=alice).order_by("pk").values())
    fetches = list(LibraryFetch.objects.filter(user=alice).order_by("pk").values())
    for name in ("zotero.bib", "zotero.ris", "zotero.json", "ids.txt"):
        again = import_library(alice, name, fixture(name))
        assert again.added == [] and again.queued == []
    assert list(LibraryEntry.objects.filter(user=alice).order_by("pk").values()) == library
    assert list(LibraryFetch.objects.filter(user=alice).order_by("pk").values()) == fetches


def test_a_paper_already_saved_keeps_its_tags_and_date(alice: User, real_day: list[Paper]) -> None:
    paper = Paper.objects.get(arxiv_id="2602.24169")
    entry = save_paper(alice, paper, ["fair-division"])
    report = import_library(alice, "zotero.bib", fixture("zotero.bib"))
    assert report.already == 1 and "2602.24169" not in report.added
    kept = LibraryEntry.objects.get(pk=entry.pk)
    assert kept.added_at == entry.added_at and [tag.name for tag in kept.tags.all()] == ["fair-division"]


def test_a_malformed_bibtex_file_keeps_its_good_entries_and_names_the_bad_lines(
    alice: User, real_day: list[Paper]
) -> None:
    report = import_library(alice, "malformed.bib", fixture("malformed.bib"))
    assert set(report.added) == {"2602.24169", "2602.23754"}  # before and after the broken entry
    assert report.problems() == [
        "malformed.bib:7: broken_entry_2026: malformed @article entry: Expected comma after entry key, but found =",
        "malformed.bib:18: pubmed_2026: its eprint '38123456' is on 'pubmed', not arXiv",
        "malformed.bib:24: bad_eprint: its eprint 'arXiv:2613.00001' is not an arXiv id",
    ]


def test_malformed_csl_json_keeps_the_items_before_the_error_and_names_its_line(
    alice: User, real_day: list[Paper]
) -> None:
    report = import_library(alice, "malformed.json", fixture("malformed.json"))
    assert report.added == ["2602.23370"]
    assert report.problems() == [
        "malformed.json:9: not a CSL-JSON item: a JSON str, not an object",
        "malformed.json:14: not valid JSON, the rest of the file is not read: Expecting ',' delimiter",
    ]


def test_lines_of_a_list_that_are_no_id_are_listed_and_old_style_ids_are_queued(
    alice: User, real_day: list[Paper]
) -> None:
    report = import_library(alice, "ids.txt", fixture("ids.txt"))
    assert set(report.added) == {"2602.23370", "2602.24024", "2602.24092", "2602.24169"}
    assert report.queued == ["hep-th/9901001", "astro-ph/0601001"]
    assert report.problems() == ["ids.txt:9: not an arXiv id or arXiv URL: 'see the slides from Tuesday'"]


def test_a_paper_listed_twice_is_saved_once(alice: User, real_day: list[Paper]) -> None:
    report = import_library(alice, "twice.txt", b"2602.23370\nhttps://arxiv.org/abs/2602.23370v2\n")
    assert report.added == ["2602.23370"] and report.twice == 1
    assert LibraryEntry.objects.filter(user=alice).count() == 1


def test_a_paper_hidden_by_a_moderator_is_not_matched(alice: User, real_day: list[Paper]) -> None:
    Paper.objects.filter(arxiv_id="2602.23370").update(is_hidden=True)
    report = import_library(alice, "ids.txt", b"2602.23370\n")
    assert report.problems() == ["ids.txt:1: 2602.23370 is not available on this site"]
    assert not LibraryEntry.objects.exists() and not LibraryFetch.objects.exists()


def test_a_file_that_is_not_utf8_is_refused_naming_the_line() -> None:
    with pytest.raises(Unreadable, match=r"^old.bib:2: not UTF-8 text; export as UTF-8$"):
        read_library("old.bib", "@misc{a,\n title = {Caf\u00e9}}\n".encode("latin-1"))


def test_utf16_and_a_byte_order_mark_and_windows_line_ends_are_read() -> None:
    ris = fixture("zotero.ris").decode()
    assert "\r\n" in ris  # Zotero writes RIS with CRLF
    for data in (ris.encode("utf-16"), b"\xef\xbb\xbf" + ris.encode()):
        reading = read_library("zotero.ris", data)
        assert reading.format == "ris" and [e.line for e in reading.entries] == [1, 24, 45, 62]


# --- the site ---------------------------------------------------------------------------------


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_the_library_page_imports_a_file_and_shows_the_report(alice: User, real_day: list[Paper]) -> None:
    client = signed_in(alice)
    assert 'enctype="multipart/form-data"' in client.get("/library/").content.decode()
    response = client.post("/library/import/", {"file": upload("zotero.ris", fixture("zotero.ris"))})
    html = response.content.decode()
    assert response.status_code == 200
    assert "4 entries: 2 added, 0 already in your library or waiting, 1 to be fetched from arXiv, 1 not matched" in html
    assert "zotero.ris:45: Deep learning: no arXiv id" in html
    assert "1 paper waiting to be fetched from arXiv" in html
    assert saved_ids(alice) == {"2602.24191", "2602.23754"} and queued_ids(alice) == {"1707.08567"}


def test_the_form_says_what_was_wrong_with_a_refused_file(alice: User) -> None:
    client = signed_in(alice)
    response = client.post("/library/import/", {"file": upload("paper.pdf", b"%PDF-1.7\n\x00\x01binary")})
    assert response.status_code == 400
    assert (
        "paper.pdf holds binary data: export the library as BibTeX, RIS, CSL-JSON or text" in response.content.decode()
    )
    response = client.post("/library/import/", {})
    assert response.status_code == 400 and "Choose a file to import." in response.content.decode()
    response = client.post("/library/import/", {"file": upload("a.txt", b"2602.23370\n"), "format": "endnote-xml"})
    assert response.status_code == 400 and "unknown format" in response.content.decode()


def test_the_import_needs_an_account_and_a_post(client, alice: User) -> None:  # type: ignore[no-untyped-def]
    assert client.post("/library/import/", {"file": upload("a.txt", b"2602.23370\n")}).status_code in (302, 403)
    assert signed_in(alice).get("/library/import/").status_code == 405
    assert not LibraryEntry.objects.exists()
