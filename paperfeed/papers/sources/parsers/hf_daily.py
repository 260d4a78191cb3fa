"""Hugging Face Daily Papers (huggingface.co/api/daily_papers): a JSON list of featured papers.

Each item wraps the paper (``{"paper": {...}, "title": ..., "numComments": ...}``); a field is
read from the paper first, then from the item, since the API has moved some between the two.
``publishedAt`` is the exception: the paper's is the arXiv date, the item's the day it was featured.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from paperfeed.papers.records import PaperRecord, RecordError, clean_abstract, clean_line, make_record
from paperfeed.papers.sources.errors import SourceFormatError
from paperfeed.papers.sources.parsers.fields import record_datetime, unique


@dataclass
class HfPage:
    records: list[PaperRecord] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)  # one reason per item that could not be read


def parse_daily_papers(body: bytes) -> HfPage:
    page = HfPage()
    for index, item in enumerate(_items(body)):
        try:
            page.records.append(_to_record(item))
        except RecordError as error:
            page.rejected.append(f"{_label(item, index)}: {error}")
    return page


def _items(body: bytes) -> list[object]:
    try:
        value = json.loads(body)
    except json.JSONDecodeError as error:
        raise SourceFormatError(
            f"daily papers: broken JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None
    except (ValueError, RecursionError) as error:  # undecodable bytes, absurd numbers or nesting
        raise SourceFormatError(f"daily papers: unreadable JSON ({type(error).__name__}: {error})") from None
    if not isinstance(value, list):
        raise SourceFormatError(f"daily papers: expected a JSON list at $, got {type(value).__name__}")
    return value


def _label(item: object, index: int) -> str:
    paper = item.get("paper", item) if isinstance(item, dict) else None
    paper_id = paper.get("id") if isinstance(paper, dict) else None
    return f"$[{index}] ({paper_id})" if isinstance(paper_id, str) and paper_id.strip() else f"$[{index}]"


def _paper(item: dict[str, object]) -> dict[str, object]:
    paper = item.get("paper", item)
    if not isinstance(paper, dict):
        raise RecordError(f"paper must be an object, got {type(paper).__name__}")
    return paper


def _to_record(item: object) -> PaperRecord:
    if not isinstance(item, dict):
        raise RecordError(f"expected an object, got {type(item).__name__}")
    paper = _paper(item)
    fields = _Fields(paper, item)
    github_repo = fields.text("githubRepo").strip()
    return make_record(
        paper.get("id"),
        fields.text("title"),
        abstract=clean_abstract(fields.text("summary")),
        authors=_authors(paper.get("authors", item.get("authors"))),
        published=record_datetime(fields.text("publishedAt", fall_back=False), "paper.publishedAt"),
        upvotes=fields.count("upvotes"),
        github_stars=fields.count("githubStars"),
        num_comments=fields.count("numComments"),
        ai_summary=clean_line(fields.text("ai_summary")),
        ai_keywords=unique([clean_line(keyword) for keyword in fields.texts("ai_keywords")]),
        hf_submitted_at=record_datetime(fields.text("submittedOnDailyAt"), "submittedOnDailyAt"),
        code_links=[github_repo] if github_repo else [],
        project_page=fields.text("projectPage").strip(),
    )


def _authors(value: object) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise RecordError(f"authors must be a list, got {type(value).__name__}")
    names = [author.get("name") if isinstance(author, dict) else author for author in value]
    if not all(isinstance(name, str) for name in names):
        raise RecordError("authors must be objects with a string 'name'")
    return [clean_line(str(name)) for name in names if clean_line(str(name))]


class _Fields:
    """Typed reads of a paper's fields, falling back to the item; errors name the JSON path."""

    def __init__(self, paper: dict[str, object], item: dict[str, object]) -> None:
        self.paper = paper
        self.item = item

    def _get(self, key: str, fall_back: bool = True) -> tuple[str, object]:
        if self.paper.get(key) is not None or not fall_back or self.item is self.paper:
            return f"paper.{key}", self.paper.get(key)
        return key, self.item.get(key)

    def text(self, key: str, fall_back: bool = True) -> str:
        path, value = self._get(key, fall_back)
        if value is None:
            return ""
        if not isinstance(value, str):
            raise RecordError(f"{path} must be a string, got {type(value).__name__}")
        return value

    def count(self, key: str) -> int | None:
        path, value = self._get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise RecordError(f"{path} must be an integer, got {value!r:.40}")
        return value

    def texts(self, key: str) -> list[str]:
        path, value = self._get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise RecordError(f"{path} must be a list of strings")
        return [str(v) for v in value]
