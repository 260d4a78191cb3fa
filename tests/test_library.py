"""The library (`/library/`): saving papers with tags, filtering by tag, BibTeX and JSON export."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.test import Client

from paperfeed.accounts.library import library_entries, save_paper
from paperfeed.papers.models import Paper
from tests.personas import add_paper, signed_in

pytestmark = pytest.mark.django_db


def test_saving_a_paper_with_tags_puts_it_in_the_library(alice: User) -> None:
    paper = add_paper(title="Graph nets")
    client = signed_in(alice)
    response = client.post(f"/library/save/{paper.arxiv_id}/", {"tags": "to-read, graphs"})
    assert response["Location"] == f"/paper/{paper.arxiv_id}/"
    [entry] = library_entries(alice)
    assert sorted(tag.name for tag in entry.tags.all()) == ["graphs", "to-read"]
    assert "Graph nets" in client.get("/library/").content.decode()


def test_the_library_filters_by_tag_and_is_private(alice: User, bob: User) -> None:
    tagged, other = add_paper(title="Tagged one"), add_paper(title="Untagged one")
    save_paper(alice, tagged, ["graphs"])
    save_paper(alice, other, [])
    html = signed_in(alice).get("/library/?tag=graphs").content.decode()
    assert "Tagged one" in html and "Untagged one" not in html
    assert "Tagged one" not in signed_in(bob).get("/library/").content.decode()


def test_removing_a_paper_takes_it_out(alice: User) -> None:
    paper = add_paper()
    save_paper(alice, paper, ["x"])
    signed_in(alice).post(f"/library/save/{paper.arxiv_id}/", {"remove": "1"})
    assert not library_entries(alice).exists()


def test_a_bad_tag_is_refused_with_a_message(alice: User) -> None:
    paper = add_paper()
    response = signed_in(alice).post(f"/library/save/{paper.arxiv_id}/", {"tags": "<b>bold</b>"}, follow=True)
    assert "is not a tag" in response.content.decode()
    assert not library_entries(alice).exists()


def test_the_bibtex_export_holds_every_saved_paper_or_only_a_tags(alice: User) -> None:
    one = add_paper(title="First paper", authors=["Grace Hopper"])
    two = add_paper(title="Second paper", authors=["Alan Turing"])
    save_paper(alice, one, ["a"])
    save_paper(alice, two, ["b"])
    client = signed_in(alice)
    everything = client.get("/library/export.bib")
    only_a = client.get("/library/export.bib?tag=a").content.decode()
    assert everything["Content-Type"] == "application/x-bibtex"
    assert everything.content.decode().count("@misc{") == 2
    assert only_a.count("@misc{") == 1 and "eprint = {" + one.arxiv_id + "}" in only_a


def test_the_json_export_lists_papers_with_their_tags(alice: User) -> None:
    paper = add_paper(title="Saved", categories=["cs.CL"])
    save_paper(alice, paper, ["nlp"])
    [item] = json.loads(signed_in(alice).get("/library/export.json").content)
    assert item["id"] == paper.arxiv_id and item["tags"] == ["nlp"] and item["categories"] == ["cs.CL"]


def test_hidden_papers_leave_the_library_and_its_exports(alice: User) -> None:
    paper = add_paper()
    save_paper(alice, paper, [])
    Paper.objects.filter(pk=paper.pk).update(is_hidden=True)
    assert json.loads(signed_in(alice).get("/library/export.json").content) == []


def test_the_library_needs_an_account(client: Client) -> None:
    assert client.get("/library/")["Location"].startswith("/accounts/login/")
    assert client.get("/library/export.json")["Location"].startswith("/accounts/login/")


def test_the_library_page_renders_math_in_titles_as_the_feed_does(alice: User) -> None:
    save_paper(alice, add_paper(title="VGG-T$^3$: reconstruction at scale"))
    page = signed_in(alice).get("/library/").content.decode()
    assert "<math" in page and "$^3$" not in page
