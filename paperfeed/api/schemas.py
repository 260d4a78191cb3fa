"""Response and request shapes of the JSON API, with Hugging Face's field names."""

from __future__ import annotations

from ninja import Field, Schema


class Author(Schema):
    name: str
    hidden: bool = False


class HfUser(Schema):
    """A paperfeed account as Hugging Face writes a user: only its public username is known."""

    user: str
    name: str
    fullname: str
    type: str


class HfPaper(Schema):
    id: str
    title: str
    summary: str
    authors: list[Author]
    published_at: str | None = Field(None, alias="publishedAt")
    upvotes: int
    github_repo: str | None = Field(None, alias="githubRepo")
    github_stars: int | None = Field(None, alias="githubStars")
    num_comments: int | None = Field(None, alias="numComments")
    ai_summary: str | None = None
    ai_keywords: list[str] = []
    categories: list[str] = []
    project_page: str | None = Field(None, alias="projectPage")
    submitted_on_daily_at: str | None = Field(None, alias="submittedOnDailyAt")
    submitted_on_daily_by: HfUser | None = Field(None, alias="submittedOnDailyBy")
    url: str


class DailyPaper(Schema):
    """One entry of /api/daily_papers, shaped like Hugging Face's: the paper and copies of the fields
    Hugging Face's client reads from the entry (paperfeed/api/serialize.py)."""

    paper: HfPaper
    title: str
    summary: str
    published_at: str | None = Field(None, alias="publishedAt")
    num_comments: int = Field(0, alias="numComments")
    submitted_by: HfUser | None = Field(None, alias="submittedBy")
    upvotes: int
    github_repo: str | None = Field(None, alias="githubRepo")
    github_stars: int | None = Field(None, alias="githubStars")
    project_page: str | None = Field(None, alias="projectPage")
    ai_summary: str | None = None
    ai_keywords: list[str] = []
    score: float | None = None
    snippet: str | None = None


class TrendingPaper(DailyPaper):
    votes: int
    hf_upvotes: int = Field(alias="hfUpvotes")
    stars_per_day: float = Field(alias="starsPerDay")
    age_days: int = Field(alias="ageDays")


class TrendingOut(Schema):
    window: str
    start: str | None
    end: str | None
    formula: str
    constants: dict[str, float]
    papers: list[TrendingPaper]


class SearchOut(Schema):
    query: str
    mode: str
    total: int
    papers_without_vectors: int = Field(alias="papersWithoutVectors")
    results: list[DailyPaper]


class VoteOut(Schema):
    id: str
    voted: bool
    upvotes: int


class SubmitIn(Schema):
    id: str = Field(description="An arXiv id or arXiv URL")


class SubmitOut(Schema):
    id: str
    submitted_at: str = Field(alias="submittedAt")


class SubmitPendingOut(Schema):
    """The paper is not in the store yet: the worker fetches it from arXiv, then the submission completes."""

    id: str
    status: str


class LibraryIn(Schema):
    id: str
    tags: list[str] = Field([], description="At most 20 tags of at most 64 characters; 200 different tags a library")


class LibraryEntryOut(Schema):
    id: str
    title: str
    authors: list[str]
    categories: list[str]
    published: str | None
    url: str
    tags: list[str]
    added_at: str


class Message(Schema):
    detail: str
