"""``/papers/ID.md`` (Hugging Face's path, ``HfApi.read_paper``) and ``paperfeed paper ID --markdown``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from huggingface_hub.errors import HfHubHTTPError

from paperfeed.papers.fulltext.document import NO_HTML as NO_HTML_NOTE
from paperfeed.papers.fulltext.document import NOT_YET
from paperfeed.papers.fulltext.fetching import fetch_due_full_texts
from paperfeed.papers.models import FullText, Paper
from tests.conftest import call, run_cli
from tests.fulltext_support import MATH, NO_HTML, add_recorded_paper, serve_recording
from tests.hf_client_support import loopback_client
from tests.personas import add_paper

pytestmark = pytest.mark.django_db


def get_md(path: str):  # type: ignore[no-untyped-def]
    return Client().get(path)


def test_before_the_fetch_it_is_the_record_and_abstract_saying_so(upstream) -> None:
    paper = add_recorded_paper(MATH, abstract="We look for fast stars with $v_{\\rm esc}<v$ and <b>bold</b> claims.")
    response = get_md("/papers/2507.00150.md")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"
    text = response.content.decode()
    assert text.startswith(
        f"# {paper.title}\n\n- **Authors:** Julio A. Carballo-Bello, Pau Ramos, Jesús M. Corral-Santana\n"
    )
    assert "- **arXiv:** 2507.00150v1\n" in text and "- **PDF:** https://arxiv.org/pdf/2507.00150\n" in text
    assert "## Abstract\n\nWe look for fast stars with $v_{\\rm esc}\\lt v$ and &lt;b>bold&lt;/b> claims." in text
    assert text.rstrip().endswith(NOT_YET)
    assert upstream.requests == []  # no request fetches anything
    assert FullText.objects.get(paper=paper).state == "waiting"  # it asked the worker


def test_after_the_fetch_it_is_the_full_text(upstream) -> None:
    paper = add_recorded_paper(MATH)
    serve_recording(upstream, paper, MATH)
    get_md("/papers/2507.00150.md")
    fetch_due_full_texts()
    text = get_md("/papers/2507.00150.md").content.decode()
    assert text.startswith(f"# {paper.title}\n")
    assert f"*Full text from arXiv's HTML rendering, {upstream.url('/html/2507.00150v1')}.*" in text
    assert "## 2 Methodology. Sample of HVS candidates" in text
    assert "| HVS01 | S | 3841458366321558656 |" in text
    assert NOT_YET not in text
    assert len(upstream.requests) == 1  # the worker's fetch only


def test_a_paper_without_html_says_so(upstream) -> None:
    paper = add_recorded_paper(NO_HTML)
    serve_recording(upstream, paper, NO_HTML)
    get_md("/papers/2401.00001.md")
    fetch_due_full_texts()
    text = get_md("/papers/2401.00001.md").content.decode()
    assert text.rstrip().endswith(NO_HTML_NOTE) and "## Abstract" in text


def test_a_version_suffix_names_the_same_paper() -> None:
    add_recorded_paper(MATH)
    assert get_md("/papers/2507.00150v1.md").content == get_md("/papers/2507.00150.md").content
    assert get_md("/papers/2507.00150v7.md").status_code == 200


def test_what_hugging_face_says_of_a_paper_is_in_its_markdown() -> None:
    """The page's "In one line" summary, the day HF featured it and its upvotes: a reader of the .md sees them too."""
    add_paper(
        "2602.05400",
        "A featured paper",
        ai_summary="A one-line summary of <b>it</b>.",
        upvotes=42,
        hf_submitted_at=dt.datetime(2026, 2, 20, tzinfo=dt.UTC),
    )
    text = get_md("/papers/2602.05400.md").content.decode()
    assert "- **In one line:** A one-line summary of &lt;b>it&lt;/b>." in text
    assert "- **On Hugging Face Daily Papers:** 2026-02-20" in text and "- **Upvotes on Hugging Face:** 42" in text


def test_an_old_style_id_has_its_markdown() -> None:
    add_paper("hep-th/9901001", "String Junctions")
    response = get_md("/papers/hep-th/9901001v3.md")
    assert response.status_code == 200 and response.content.startswith(b"# String Junctions\n")


@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("/papers/2507.99999.md", "no paper 2507.99999 here"),
        ("/papers/not-an-id.md", "malformed arXiv id 'not-an-id'"),
        ("/papers/2513.00001.md", "malformed arXiv id"),
        ("/papers/" + "9" * 5000 + ".md", "malformed arXiv id"),
    ],
)
def test_an_unknown_paper_or_a_bad_id_is_404_saying_which(path: str, says: str) -> None:
    add_recorded_paper(MATH)
    response = get_md(path)
    assert response.status_code == 404 and says in response.content.decode()
    assert response["Content-Type"] == "text/plain; charset=utf-8"


def test_a_hidden_paper_is_404() -> None:
    add_recorded_paper(MATH)
    Paper.objects.filter(arxiv_id="2507.00150").update(is_hidden=True)
    assert get_md("/papers/2507.00150.md").status_code == 404
    assert not FullText.objects.exists()


def test_only_get_and_head_are_answered() -> None:
    add_recorded_paper(MATH)
    assert Client().head("/papers/2507.00150.md").status_code == 200
    assert Client().post("/papers/2507.00150.md").status_code == 405


def test_the_paper_page_links_its_markdown_and_asks_for_the_full_text(upstream) -> None:
    paper = add_recorded_paper(MATH)
    response = Client().get("/paper/2507.00150/")
    assert b'href="/papers/2507.00150.md"' in response.content
    assert FullText.objects.get(paper=paper).reason == "opened"
    assert upstream.requests == []


def test_the_cli_prints_the_same_markdown(upstream) -> None:
    paper = add_recorded_paper(MATH)
    code, out, err = call("paper", "2507.00150v1", "--markdown")
    assert (code, err) == (0, "")
    assert out.startswith(f"# {paper.title}\n") and out.rstrip().endswith(NOT_YET)
    serve_recording(upstream, paper, MATH)
    get_md("/papers/2507.00150.md")
    fetch_due_full_texts()
    code, out, _ = call("paper", "2507.00150", "--markdown")
    assert out == get_md("/papers/2507.00150.md").content.decode()
    assert "\\tag" not in out and "$v_{\\rm esc}$" in out


def test_the_cli_refuses_json_and_markdown_together(cli_env: dict[str, str]) -> None:
    done = run_cli(cli_env, "paper", "2507.00150", "--json", "--markdown")
    assert done.returncode == 2 and "argument --markdown: not allowed with argument --json" in done.stderr


@pytest.mark.django_db(transaction=True)
def test_hugging_faces_client_reads_it(live_server, upstream, monkeypatch, tmp_path) -> None:
    paper = add_recorded_paper(MATH)
    serve_recording(upstream, paper, MATH)
    with loopback_client(live_server.url, monkeypatch, tmp_path) as api:
        assert api.read_paper("2507.00150").rstrip().endswith(NOT_YET)
        fetch_due_full_texts()
        assert "## 5 Conclusions" in api.read_paper("2507.00150v1")
        with pytest.raises(HfHubHTTPError) as raised:
            api.read_paper("2507.99999")
    assert raised.value.response.status_code == 404
