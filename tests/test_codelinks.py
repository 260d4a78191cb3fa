"""Code links (paperfeed/papers/codelinks.py) found the way real abstracts write them."""

from __future__ import annotations

import gzip
import json
from functools import cache

import pytest

from paperfeed.papers.codelinks import extract_code_links, extract_project_page, merge_links, normalise_repo_url
from tests.conftest import DEDUP, shared


@cache
def listed_papers() -> dict[str, dict[str, str]]:
    """The real listing records by id (abstract in ``summary``, arXiv comments in ``comment``)."""
    shared("arxiv-cs-daily-2026-dengwei", "papers_dedup.jsonl.gz")
    with gzip.open(DEDUP, "rt", encoding="utf-8") as lines:
        return {obj["id"]: obj for obj in map(json.loads, lines)}


def links_of(arxiv_id: str) -> list[str]:
    paper = listed_papers()[arxiv_id]
    return extract_code_links(paper["summary"], paper["comment"])


def page_of(arxiv_id: str) -> str:
    paper = listed_papers()[arxiv_id]
    return extract_project_page(paper["summary"], paper["comment"])


# Each id's abstract or comment, as the listing has it, and the repository a reader sees there.
@pytest.mark.parametrize(
    ("arxiv_id", "written_as", "repository"),
    [
        (
            "2604.09220",
            "https: //github.com/HannanAkhtar/TinyNeRV-Implementation.",
            "github.com/HannanAkhtar/TinyNeRV-Implementation",
        ),
        ("2605.13794", "https: //github.com/AkierRaee/BlitzGS.", "github.com/AkierRaee/BlitzGS"),
        (
            "2605.03148",
            "https://github. com/jonasvilhofunk/WildfireUQ-FCER",
            "github.com/jonasvilhofunk/WildfireUQ-FCER",
        ),
        ("2606.18783", "https://github. com/yall-in-one/Reemm.", "github.com/yall-in-one/Reemm"),
        (
            "2602.23479",
            "code is available at: https://github.com/mooshifrew/fhirpath-qa.",
            "github.com/mooshifrew/fhirpath-qa",
        ),
        (
            "2602.23678",
            "The code is available at: https://github.com/cybergis/rs-embed",
            "github.com/cybergis/rs-embed",
        ),
        ("2603.04058", "https://github.com/valentin-biller/lgm.git", "github.com/valentin-biller/lgm"),
        (
            "2504.11101",
            "Code: https://github.com/Aslan-yulong/consensus-entropy.",
            "github.com/Aslan-yulong/consensus-entropy",
        ),
        ("2603.25804", "\\url{https://github.com/Speakn0w/RealChart2Code}.", "github.com/Speakn0w/RealChart2Code"),
        (
            "2603.02872",
            "\\href{https://github.com/EIT-NLP/StreamingLLM/tree/main/TaYS}{this",
            "github.com/EIT-NLP/StreamingLLM",
        ),
        (
            "2603.03332",
            "\\href{https://github.com/Mystic-Slice/CoTPerturbation}{here}",
            "github.com/Mystic-Slice/CoTPerturbation",
        ),
        ("2603.03292", "[this url](https://github.com/NJU-RL/MA-RAG).", "github.com/NJU-RL/MA-RAG"),
        (
            "2603.18429",
            "[https://github.com/CVC2233/AndroTMem](https://github.com/CVC2233/AndroTMem)",
            "github.com/CVC2233/AndroTMem",
        ),
        (
            "2603.20856",
            "Code: https://gitlab.com/siddharthsrivastava/wbc-bench-2026.",
            "gitlab.com/siddharthsrivastava/wbc-bench-2026",
        ),
        ("2603.08967", "\\hyperlink{https://gitlab.com/viper-purdue/atlas}", "gitlab.com/viper-purdue/atlas"),
        (
            "2603.02541",
            "https://huggingface.co/datasets/etri/ForestPersons.",
            "huggingface.co/datasets/etri/ForestPersons",
        ),
        (
            "2602.23603",
            "https://huggingface.co/datasets/nlpatunt/LFQA-HP-1M",
            "huggingface.co/datasets/nlpatunt/LFQA-HP-1M",
        ),
    ],
)
def test_it_finds_the_repository_a_real_abstract_names(arxiv_id: str, written_as: str, repository: str) -> None:
    paper = listed_papers()[arxiv_id]
    assert written_as in paper["summary"] + " " + (paper["comment"] or "")
    assert links_of(arxiv_id) == [f"https://{repository}"]


def test_it_finds_code_and_project_page_in_a_latex_comment() -> None:
    # "The project website is available at \url{https://agentvista-bench.github.io/}, and the code ... \url{...}"
    assert links_of("2602.23166") == ["https://github.com/hkust-nlp/AgentVista"]
    assert page_of("2602.23166") == "https://agentvista-bench.github.io/"


@pytest.mark.parametrize(
    ("arxiv_id", "page"),
    [
        ("2603.14915", "https://sngryonglee.github.io/ILV/"),  # Project page: \url{...}
        ("2602.23826", "https://sjgerstner.github.io/gluscope"),  # A demo is available at https: //....
        ("2603.06543", "https://mint-vu.github.io/SurgFormer/"),  # project page: \href{...}{available here}
    ],
)
def test_a_project_page_is_not_a_code_link(arxiv_id: str, page: str) -> None:
    assert page_of(arxiv_id) == page
    assert links_of(arxiv_id) == []


def test_a_hugging_face_user_page_is_not_a_repository() -> None:
    paper = listed_papers()["2603.04162"]
    assert "https://huggingface.co/Jakubrd4" in paper["comment"]
    assert links_of("2603.04162") == []


@pytest.mark.parametrize(
    ("url", "root"),
    [
        ("https://github.com/owner/repo", "https://github.com/owner/repo"),
        ("http://www.github.com/owner/repo/", "https://github.com/owner/repo"),
        ("https://github.com/owner/repo/tree/main/src", "https://github.com/owner/repo"),
        ("https://github.com/owner/repo/blob/main/README.md#usage", "https://github.com/owner/repo"),
        ("https://github.com/owner/repo?tab=readme", "https://github.com/owner/repo"),
        ("github.com/owner/repo.git", "https://github.com/owner/repo"),
        ("https://gitlab.com/group/subgroup/project/-/tree/main", "https://gitlab.com/group/subgroup/project"),
        ("https://bitbucket.org/team/tool/src/master/", "https://bitbucket.org/team/tool"),
        ("https://huggingface.co/spaces/owner/demo", "https://huggingface.co/spaces/owner/demo"),
        ("https://huggingface.co/owner/model-7b", "https://huggingface.co/owner/model-7b"),
        ("https://github.com/orgs/owner/repositories", None),
        ("https://github.com/owner", None),
        ("https://huggingface.co/papers/2403.01234", None),
        ("https://example.org/owner/repo", None),
    ],
)
def test_it_normalises_repository_urls_to_their_root(url: str, root: str | None) -> None:
    assert normalise_repo_url(url) == root


def test_it_finds_bitbucket_and_several_links_in_order_without_duplicates() -> None:
    text = (
        "Code is available at: https://bitbucket.org/team/tool. Models: https://huggingface.co/team/tool-base; "
        "mirror at https://GitHub.com/team/tool and again (https://github.com/team/tool)."
    )
    assert extract_code_links(text) == [
        "https://bitbucket.org/team/tool",
        "https://huggingface.co/team/tool-base",
        "https://github.com/team/tool",
    ]


def test_an_abstract_that_names_no_code_host_has_no_links() -> None:
    paper = listed_papers()["2603.04991"]
    assert "github" not in paper["summary"].lower()
    assert extract_code_links(paper["summary"], paper["comment"]) == []
    assert extract_code_links(None, "") == []


def test_merging_keeps_first_seen_order_and_drops_case_insensitive_duplicates() -> None:
    merged = merge_links(["https://github.com/a/b"], ["https://GitHub.com/A/B/", "https://gitlab.com/c/d"])
    assert merged == ["https://github.com/a/b", "https://gitlab.com/c/d"]


def test_the_listing_names_code_in_thousands_of_abstracts() -> None:
    # A coarse check that extraction works at scale: every abstract that writes "github.com/x/y"
    # with an ordinary owner/repo gets a link.
    with_url = [
        i
        for i, p in listed_papers().items()
        if "https://github.com/" in p["summary"] and normalise_repo_url(p["summary"]) is not None
    ]
    assert len(with_url) > 1000
    assert all(links_of(i) for i in with_url)
