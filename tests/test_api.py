"""The JSON API under /api/: Hugging Face-shaped daily papers, papers, search, trending, token writes, OpenAPI."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client

from paperfeed.accounts.tokens import create_token
from paperfeed.feed.trending import FORMULA
from paperfeed.papers.models import Paper, Submission, Vote
from paperfeed.papers.sources.parsers.hf_daily import parse_daily_papers
from tests.conftest import call
from tests.personas import add_paper

pytestmark = pytest.mark.django_db


def bearer(user: User) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {create_token(user, 'test')[1]}"}


def test_daily_papers_speak_hugging_faces_format(client: Client, real_day: list[Paper]) -> None:
    items = client.get("/api/daily_papers", {"limit": 100}).json()
    stored = {paper.arxiv_id: paper for paper in real_day}
    assert len(items) == 100
    for item in items:
        paper = stored[item["paper"]["id"]]
        assert item["title"] == item["paper"]["title"] == paper.title
        assert item["paper"]["summary"] == paper.abstract
        assert [author["name"] for author in item["paper"]["authors"]] == paper.authors
        assert set(item["paper"]) >= {"publishedAt", "upvotes", "githubRepo", "githubStars", "numComments"}


def test_hugging_faces_own_parser_reads_our_daily_papers_back(client: Client, real_day: list[Paper]) -> None:
    response = client.get("/api/daily_papers", {"date": "2026-03-02", "limit": 30})
    page = parse_daily_papers(response.content)
    assert len(page.records) == 30 and not page.rejected
    stored = Paper.objects.get(arxiv_id=page.records[0].arxiv_id)
    listing_day = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)  # a listing gives no time: publishedAt is its day's start
    assert page.records[0].title == stored.title and page.records[0].published == (stored.published or listing_day)


def test_daily_papers_page_with_p_and_limit_without_overlap(client: Client, real_day: list[Paper]) -> None:
    first = [i["paper"]["id"] for i in client.get("/api/daily_papers", {"p": 0, "limit": 10}).json()]
    second = [i["paper"]["id"] for i in client.get("/api/daily_papers", {"p": 1, "limit": 10}).json()]
    assert len(first) == len(second) == 10 and not set(first) & set(second)


def test_daily_papers_by_week_and_month_and_sorted_by_trending(client: Client) -> None:
    low = add_paper(upvotes=1, announced_on=dt.date(2026, 3, 2))
    high = add_paper(upvotes=9, announced_on=dt.date(2026, 3, 3))
    add_paper(upvotes=50, announced_on=dt.date(2026, 4, 1))
    week = client.get("/api/daily_papers", {"week": "2026-W10", "sort": "trending"}).json()
    month = client.get("/api/daily_papers", {"month": "2026-03"}).json()
    assert [i["paper"]["id"] for i in week] == [high.arxiv_id, low.arxiv_id]
    assert week[0]["score"] > week[1]["score"]
    assert {i["paper"]["id"] for i in month} == {low.arxiv_id, high.arxiv_id}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"date": "2026-02-30"}, "is not a day"),
        ({"week": "2026-10"}, "is not a week"),
        ({"date": "2026-03-02", "month": "2026-03"}, "at most one of date, week and month"),
        ({"sort": "random"}, "sort"),
        ({"limit": 1000}, "limit"),
        ({"p": -1}, "p"),
    ],
)
def test_bad_parameters_get_a_4xx_with_a_clear_message(client: Client, query: dict[str, object], message: str) -> None:
    add_paper()
    response = client.get("/api/daily_papers", query)
    assert 400 <= response.status_code < 500
    assert message in str(response.json()["detail"])


def test_one_paper_by_id_with_its_upvotes_including_community_votes(client: Client, alice: User) -> None:
    paper = add_paper("2603.01234", upvotes=4, code_links=["https://github.com/example/repo"])
    Vote.objects.create(user=alice, paper=paper, created_at=paper.changed_at)
    body = client.get("/api/papers/2603.01234").json()
    assert body["id"] == "2603.01234" and body["upvotes"] == 5
    assert body["githubRepo"] == "https://github.com/example/repo"
    assert client.get("/api/papers/2603.99999").status_code == 404
    assert client.get("/api/papers/nonsense").status_code == 400


def test_old_style_ids_work_in_paths(client: Client) -> None:
    add_paper("hep-th/9901001", title="Old style")
    assert client.get("/api/papers/hep-th/9901001").json()["title"] == "Old style"


def test_hidden_papers_are_not_in_the_api(client: Client) -> None:
    paper = add_paper()
    Paper.objects.filter(pk=paper.pk).update(is_hidden=True)
    assert client.get(f"/api/papers/{paper.arxiv_id}").status_code == 404
    assert client.get("/api/daily_papers").json() == []


def test_trending_returns_the_formula_and_scores(client: Client) -> None:
    add_paper(upvotes=3)
    body = client.get("/api/trending", {"window": "day"}).json()
    assert body["formula"] == FORMULA and body["constants"]["gravity"] > 0
    assert body["papers"][0]["hfUpvotes"] == 3 and body["papers"][0]["score"] > 0
    assert client.get("/api/trending", {"window": "decade"}).status_code == 400


def test_search_and_similar_say_when_there_is_no_index(client: Client, data_dir: object) -> None:
    paper = add_paper()
    for url in ("/api/papers/search", "/api/search"):
        response = client.get(url, {"q": "things"})
        assert response.status_code == 503 and "not built" in response.json()["detail"]
    assert client.get(f"/api/papers/{paper.arxiv_id}/similar").status_code == 503


def test_search_finds_real_papers_by_keyword(client: Client, real_day: list[Paper], data_dir: object) -> None:
    from paperfeed.search.indexing import index_papers

    index_papers(embed=False)
    body = client.get("/api/search", {"q": "reinforcement learning", "mode": "keyword", "limit": 5}).json()
    assert body["total"] >= 5 and len(body["results"]) == 5
    assert all(Paper.objects.filter(arxiv_id=r["paper"]["id"]).exists() for r in body["results"])
    assert client.get("/api/search", {"q": "x", "mode": "psychic"}).status_code == 400
    similar = client.get(f"/api/papers/{body['results'][0]['paper']['id']}/similar").json()
    assert similar and body["results"][0]["paper"]["id"] not in [s["paper"]["id"] for s in similar]


def test_hugging_faces_search_url_answers_a_list_with_the_totals_in_headers(
    client: Client, real_day: list[Paper], data_dir: object
) -> None:
    from paperfeed.search.indexing import index_papers

    index_papers(embed=False)
    query = {"q": "reinforcement learning", "mode": "keyword", "limit": 5}
    rich = client.get("/api/search", query).json()
    response = client.get("/api/papers/search", query)
    items = response.json()
    assert [item["paper"]["id"] for item in items] == [item["paper"]["id"] for item in rich["results"]]
    assert [item["snippet"] for item in items] == [item["snippet"] for item in rich["results"]]
    assert response["X-Total-Count"] == str(rich["total"]) and response["X-Search-Mode"] == "keyword"
    assert response["X-Papers-Without-Vectors"] == str(rich["papersWithoutVectors"])
    second = client.get("/api/papers/search", {**query, "offset": 5}).json()
    assert not {item["paper"]["id"] for item in second} & {item["paper"]["id"] for item in items}


def test_errors_carry_their_detail_in_the_header_hugging_faces_client_reads(client: Client) -> None:
    response = client.get("/api/papers/nonsense\u0007")
    assert response.status_code == 400 and response["X-Error-Message"] == "'nonsense\\x07' is not an arXiv id"
    assert response.json()["detail"] == "'nonsense\\x07' is not an arXiv id"
    invalid = client.get("/api/daily_papers", {"limit": 1000})
    assert invalid["X-Error-Message"] == "limit: Input should be less than or equal to 100"


def test_items_repeat_the_fields_hugging_faces_client_reads_beside_the_paper(client: Client, alice: User) -> None:
    paper = add_paper(upvotes=3, code_links=["https://github.com/example/repo"], ai_summary="In one line.")
    Submission.objects.create(paper=paper, user=alice, submitted_at=paper.changed_at)
    (item,) = client.get("/api/daily_papers").json()
    for name in ("upvotes", "githubRepo", "githubStars", "projectPage", "ai_summary", "ai_keywords"):
        assert item[name] == item["paper"][name], name
    assert item["upvotes"] == 3 and item["githubRepo"] == "https://github.com/example/repo"
    assert (
        item["submittedBy"]
        == item["paper"]["submittedOnDailyBy"]
        == {
            "user": "alice",
            "name": "alice",
            "fullname": "alice",
            "type": "user",
        }
    )
    assert [i["paper"]["id"] for i in client.get("/api/daily_papers", {"submitter": "alice"}).json()] == [
        paper.arxiv_id
    ]
    assert client.get("/api/daily_papers", {"submitter": "bob"}).json() == []


def test_daily_papers_take_the_same_number_of_queries_for_more_papers_and_submitters(
    client: Client, alice: User
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(count: int) -> int:
        for paper in [add_paper(upvotes=1) for _ in range(count)]:
            Submission.objects.create(paper=paper, user=alice, submitted_at=paper.changed_at)
        with CaptureQueriesContext(connection) as captured:
            for sort in ("publishedAt", "trending"):
                assert client.get("/api/daily_papers", {"sort": sort, "limit": 100}).status_code == 200
        return len(captured)

    assert queries(2) == queries(30)


def test_writes_need_a_valid_token(client: Client, alice: User) -> None:
    paper = add_paper()
    assert client.post(f"/api/papers/{paper.arxiv_id}/upvote").status_code == 401
    wrong = client.post(f"/api/papers/{paper.arxiv_id}/upvote", HTTP_AUTHORIZATION="Bearer pf_wrong")
    assert wrong.status_code == 401 and not Vote.objects.exists()


def test_upvoting_and_taking_it_back_with_a_token(client: Client, alice: User) -> None:
    paper = add_paper(upvotes=1)
    auth = bearer(alice)
    assert client.post(f"/api/papers/{paper.arxiv_id}/upvote", **auth).json() == {
        "id": paper.arxiv_id,
        "voted": True,
        "upvotes": 2,
    }  # type: ignore[arg-type]
    assert client.post(f"/api/papers/{paper.arxiv_id}/upvote", **auth).json()["upvotes"] == 2  # type: ignore[arg-type]
    assert client.delete(f"/api/papers/{paper.arxiv_id}/upvote", **auth).json()["voted"] is False  # type: ignore[arg-type]


def test_a_banned_users_token_stops_working(client: Client, alice: User) -> None:
    paper, auth = add_paper(), bearer(alice)
    User.objects.filter(pk=alice.pk).update(is_active=False)
    assert client.post(f"/api/papers/{paper.arxiv_id}/upvote", **auth).status_code == 401  # type: ignore[arg-type]


def test_submitting_through_the_api(client: Client, alice: User) -> None:
    paper, auth = add_paper(announced_on=None), bearer(alice)  # its day: published yesterday
    created = client.post("/api/submit", {"id": paper.arxiv_id}, content_type="application/json", **auth)  # type: ignore[arg-type]
    again = client.post("/api/submit", {"id": paper.arxiv_id}, content_type="application/json", **auth)  # type: ignore[arg-type]
    assert created.status_code == 201 and created.json()["id"] == paper.arxiv_id
    assert again.status_code == 400 and "already been submitted" in again.json()["detail"]
    assert Submission.objects.get().user == alice


def test_the_library_through_the_api(client: Client, alice: User) -> None:
    paper, auth = add_paper(), bearer(alice)
    saved = client.post(
        "/api/library", {"id": paper.arxiv_id, "tags": ["nlp"]}, content_type="application/json", **auth
    )  # type: ignore[arg-type]
    assert saved.json()["tags"] == ["nlp"]
    assert [e["id"] for e in client.get("/api/library?tag=nlp", **auth).json()] == [paper.arxiv_id]  # type: ignore[arg-type]
    assert client.delete(f"/api/library/{paper.arxiv_id}", **auth).status_code == 204  # type: ignore[arg-type]
    assert client.get("/api/library", **auth).json() == []  # type: ignore[arg-type]


def test_api_votes_are_rate_limited(client: Client, alice: User, settings) -> None:  # type: ignore[no-untyped-def]
    settings.VOTES_PER_MINUTE = 1
    paper, auth = add_paper(), bearer(alice)
    client.post(f"/api/papers/{paper.arxiv_id}/upvote", **auth)  # type: ignore[arg-type]
    response = client.post(f"/api/papers/{paper.arxiv_id}/upvote", **auth)  # type: ignore[arg-type]
    assert response.status_code == 429 and "at most 1 per minute" in response.json()["detail"]


def test_the_openapi_document_lists_every_endpoint(client: Client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/api/daily_papers", "/api/papers/search", "/api/search", "/api/trending", "/api/submit"} <= set(paths)
    assert client.get("/api/docs").status_code == 200


def test_the_token_page_shows_a_new_token_once_and_the_command_makes_one(alice: User) -> None:
    from tests.personas import signed_in

    html = signed_in(alice).post("/accounts/tokens/", {"name": "script"}).content.decode()
    assert 'id="new-token">pf_' in html
    code, out, _ = call("token", "alice", "--name", "cli")
    assert code == 0 and out.strip().startswith("pf_")
    assert Client().get("/api/library", HTTP_AUTHORIZATION=f"Bearer {out.strip()}").status_code == 200
