"""The keyword index: BM25 over title, abstract and authors (each field scored alone, combined by dis-max), in tantivy.

One tantivy document per paper, keyed by ``arxiv_id``; writing a paper again replaces it.
Filters (categories, day, has_code) are indexed fields, so they cost no scoring. ``id_key``, a
64-bit hash of the arxiv id in a fast field, lets hybrid search join BM25's candidates with the
vector index's without reading a stored document for each.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import tantivy

from paperfeed.lib.texmath import math_spans, whole_formulas
from paperfeed.search.errors import QueryError
from paperfeed.search.query import Filters, ParsedQuery

# Each field is scored on its own (BM25's length normalisation already favours the short title)
# and the fields are combined by dis-max; no field is boosted. Measured on SciFact
# (bench/relevance.py), nDCG@10: dis-max tie 0.5 with title x1.0 0.686, x1.25 0.672, x2.0 0.629;
# summing fields per word 0.660.
SCORED_FIELDS = ("title", "abstract", "authors")
FIELD_TIE = 0.5
SNIPPET_CHARS = 240


@dataclass(frozen=True)
class PaperDoc:
    """What the keyword index knows of a paper."""

    arxiv_id: str
    title: str
    abstract: str
    authors: Sequence[str]
    categories: Sequence[str]
    day: dt.date | None
    has_code: bool
    hidden: bool = False


@dataclass(frozen=True)
class KeywordHit:
    arxiv_id: str
    title: str
    score: float
    snippet: str


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("arxiv_id", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", stored=True, tokenizer_name="english")
    builder.add_text_field("abstract", stored=True, tokenizer_name="english")
    builder.add_text_field("authors", stored=True, tokenizer_name="names")
    builder.add_text_field("categories", tokenizer_name="raw")
    builder.add_date_field("day", indexed=True, fast=True)
    builder.add_boolean_field("has_code", indexed=True)
    builder.add_unsigned_field("id_key", fast=True)
    return builder.build()


def id_key(arxiv_id: str) -> int:
    """The paper's ``id_key``: 64 bits of BLAKE2b (odds that two of a million papers share one: under 1 in 10^7)."""
    return int.from_bytes(hashlib.blake2b(arxiv_id.encode(), digest_size=8).digest(), "little")


def _analyzer(*filters: tantivy.Filter) -> tantivy.TextAnalyzer:
    builder = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
    for step in (tantivy.Filter.remove_long(40), tantivy.Filter.lowercase(), tantivy.Filter.ascii_fold(), *filters):
        builder = builder.filter(step)
    return builder.build()


ANALYZERS = {
    "english": _analyzer(tantivy.Filter.stopword("english"), tantivy.Filter.stemmer("english")),
    "names": _analyzer(),
}
FIELD_ANALYZERS = {"title": "english", "abstract": "english", "authors": "names"}


def analyze(text: str) -> list[str]:
    """``text`` as the title and abstract fields index it: lower-cased, accent-folded, stemmed, no stop words."""
    return list(ANALYZERS["english"].analyze(text))


def open_index(path: Path) -> tantivy.Index:
    """Open (or create) the index at ``path`` with paperfeed's analyzers registered.

    An index written with an older schema opens as it is (see ``is_current``); fields it lacks
    are left out of what is written to it until ``paperfeed index`` rebuilds it.
    """
    path.mkdir(parents=True, exist_ok=True)
    try:
        index = tantivy.Index(build_schema(), path=str(path), reuse=True)
    except ValueError:  # "An index exists but the schema does not match"
        index = tantivy.Index.open(str(path))
    for name, analyzer in ANALYZERS.items():
        index.register_tokenizer(name, analyzer)
    return index


def is_current(index: tantivy.Index) -> bool:
    """Whether ``index`` has this version's schema (an older one is rebuilt by the next ``paperfeed index``)."""
    return bool(index.schema == build_schema())


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def paper_document(paper: PaperDoc) -> tantivy.Document:
    doc = tantivy.Document(arxiv_id=paper.arxiv_id, title=paper.title, abstract=paper.abstract)
    for name in paper.authors:
        doc.add_text("authors", name)
    for category in paper.categories:
        doc.add_text("categories", category)
    if paper.day is not None:
        doc.add_date("day", _midnight(paper.day))
    doc.add_boolean("has_code", paper.has_code)
    doc.add_unsigned("id_key", id_key(paper.arxiv_id))
    return doc


def write_papers(writer: tantivy.IndexWriter, papers: Iterable[PaperDoc], *, replace: bool) -> int:
    """Add ``papers`` (replacing earlier copies when ``replace``; hidden ones only removed); the caller commits."""
    written = 0
    for paper in papers:
        if replace:
            writer.delete_documents_by_term("arxiv_id", paper.arxiv_id)
        if not paper.hidden:
            writer.add_document(paper_document(paper))
            written += 1
    return written


# Queries ----------------------------------------------------------------------------------


def _tokens(field: str, text: str) -> list[tuple[int, str]]:
    return [(token.position, token.text) for token in ANALYZERS[FIELD_ANALYZERS[field]].pre_tokenize(text).tokens]


def _field_query(schema: tantivy.Schema, field: str, text: str) -> tantivy.Query | None:
    """``text`` in ``field``: a term, or a phrase when it has several words."""
    tokens = _tokens(field, text)
    if not tokens:
        return None
    if len(tokens) == 1:
        return tantivy.Query.term_query(schema, field, tokens[0][1])
    base = tokens[0][0]
    return tantivy.Query.phrase_query(schema, field, [(position - base, word) for position, word in tokens])


def _any_field(schema: tantivy.Schema, text: str, fields: Iterable[str]) -> tantivy.Query | None:
    clauses = [
        (tantivy.Occur.Should, q) for q in (_field_query(schema, field, text) for field in fields) if q is not None
    ]
    return tantivy.Query.boolean_query(clauses) if clauses else None


def _scored_terms(schema: tantivy.Schema, terms: Sequence[str]) -> tantivy.Query | None:
    """BM25 of the words in each field, fields combined by dis-max: the best field plus TIE x the others."""
    words = [word for term in terms for word in term.split()]
    per_field = []
    for field in SCORED_FIELDS:
        clauses = [(tantivy.Occur.Should, q) for q in (_field_query(schema, field, w) for w in words) if q is not None]
        if clauses:
            per_field.append(tantivy.Query.boolean_query(clauses))
    return tantivy.Query.disjunction_max_query(per_field, FIELD_TIE) if per_field else None


def _day_range(schema: tantivy.Schema, start: dt.date | None, end: dt.date | None) -> tantivy.Query:
    low = _midnight(start) if start else tantivy.MIN_DATETIME
    high = _midnight(end) if end else tantivy.MAX_DATETIME
    return tantivy.Query.range_query(schema, "day", tantivy.FieldType.Date, low, high)


def filter_queries(schema: tantivy.Schema, filters: Filters) -> list[tuple[tantivy.Occur, tantivy.Query]]:
    """The filters as clauses: what a paper must match (Must) and must not (MustNot)."""
    must, must_not = [], []
    if filters.categories:
        must.append(tantivy.Query.term_set_query(schema, "categories", list(filters.categories)))
    if filters.excluded_categories:
        must_not.append(tantivy.Query.term_set_query(schema, "categories", list(filters.excluded_categories)))
    if filters.date_from is not None or filters.date_to is not None:
        must.append(_day_range(schema, filters.date_from, filters.date_to))
    must_not += [_day_range(schema, start, end) for start, end in filters.excluded_days]
    if filters.has_code is not None:
        must.append(tantivy.Query.term_query(schema, "has_code", filters.has_code))
    return [(tantivy.Occur.Must, tantivy.Query.const_score_query(q, 0.0)) for q in must] + [
        (tantivy.Occur.MustNot, q) for q in must_not
    ]


def check_categories(index: tantivy.Index, filters: Filters) -> None:
    """QueryError naming each category of ``filters`` that no indexed paper is listed in."""
    searcher = index.searcher()
    unknown = [c for c in (*filters.categories, *filters.excluded_categories) if not searcher.doc_freq("categories", c)]
    if unknown:
        names = ", ".join(f"cat:{category}" for category in unknown)
        raise QueryError(
            f"{names}: no paper is listed in {'this category' if len(unknown) == 1 else 'these categories'}"
        )


def constraint_clauses(schema: tantivy.Schema, parsed: ParsedQuery) -> list[tuple[tantivy.Occur, tantivy.Query]]:
    """What a paper must (not) have to match, whatever its score: phrases, authors, exclusions, filters."""
    must = [_any_field(schema, phrase, ("title", "abstract")) for phrase in parsed.phrases]
    must += [_field_query(schema, "authors", name) for name in parsed.authors]
    must_not = [_any_field(schema, text, SCORED_FIELDS) for text in parsed.excluded]
    must_not += [_field_query(schema, "authors", name) for name in parsed.excluded_authors]
    clauses = [(tantivy.Occur.Must, q) for q in must if q is not None]
    clauses += filter_queries(schema, parsed.filters)
    clauses += [(tantivy.Occur.MustNot, q) for q in must_not if q is not None]
    if any(q is None for q in must):  # a phrase or name made only of stop words matches nothing
        clauses.append((tantivy.Occur.Must, tantivy.Query.empty_query()))
    return clauses


def build_query(schema: tantivy.Schema, parsed: ParsedQuery) -> tuple[tantivy.Query, bool] | None:
    """The tantivy query for ``parsed`` and whether it is scored; None when it asks for nothing."""
    clauses = constraint_clauses(schema, parsed)
    scored = _scored_terms(schema, parsed.terms)
    if scored is not None:
        clauses.append(
            (tantivy.Occur.Must if not parsed.phrases and not parsed.authors else tantivy.Occur.Should, scored)
        )
    if not any(occur == tantivy.Occur.Must for occur, _ in clauses):
        if not clauses:
            return None
        clauses.append((tantivy.Occur.Must, tantivy.Query.all_query()))
    return tantivy.Query.boolean_query(clauses), bool(scored or parsed.phrases or parsed.authors)


# Searching --------------------------------------------------------------------------------


def search(index: tantivy.Index, parsed: ParsedQuery, limit: int, offset: int = 0) -> tuple[list[KeywordHit], int]:
    """The best ``limit`` papers after ``offset`` and how many match in all."""
    built = build_query(index.schema, parsed)
    if built is None or limit <= 0:
        return [], 0
    query, scored = built
    searcher = index.searcher()
    found = searcher.search(query, limit, offset=offset, order_by_field=None if scored else "day")
    snippets = tantivy.SnippetGenerator.create(searcher, query, index.schema, "abstract")
    snippets.set_max_num_chars(SNIPPET_CHARS)
    hits = [_hit(searcher.doc(address), float(score) if scored else 0.0, snippets) for score, address in found.hits]
    return hits, int(getattr(found, "count", 0) or 0)


@dataclass(frozen=True)
class Candidates:
    """BM25's best papers for fusion as (id_key, score), best first; arxiv ids are read only when asked for."""

    ranking: list[tuple[int, float]]
    total: int
    searcher: tantivy.Searcher
    addresses: dict[int, tantivy.DocAddress]

    def arxiv_id(self, key: int) -> str:
        return _text(self.searcher.doc(self.addresses[key]), "arxiv_id")


def candidates(index: tantivy.Index, parsed: ParsedQuery, depth: int) -> Candidates:
    """The best ``depth`` papers and how many match, keyed by ``id_key`` (a fast field: no stored document is read)."""
    built = build_query(index.schema, parsed)
    searcher = index.searcher()
    if built is None:
        return Candidates([], 0, searcher, {})
    found = searcher.search(built[0], depth, order_by_field=None if built[1] else "day")
    addresses = [address for _, address in found.hits]
    keys = id_keys(searcher, addresses)
    ranked = [(key, float(score)) for key, (score, _) in zip(keys, found.hits, strict=True)]
    return Candidates(ranked, int(getattr(found, "count", 0) or 0), searcher, dict(zip(keys, addresses, strict=True)))


def id_keys(searcher: tantivy.Searcher, addresses: list[tantivy.DocAddress]) -> list[int]:
    """Each paper's ``id_key`` from its fast field, or from its stored arxiv id in an index older than the field."""
    try:
        keys = searcher.fast_field_values("id_key", addresses)
    except ValueError:  # no such field: an index from before it, until the next `paperfeed index`
        keys = [None] * len(addresses)
    return [
        id_key(_text(searcher.doc(address), "arxiv_id")) if key is None else int(key)
        for key, address in zip(keys, addresses, strict=True)
    ]


def _hit(doc: tantivy.Document, score: float, snippets: tantivy.SnippetGenerator) -> KeywordHit:
    snippet = snippets.snippet_from_doc(doc)
    abstract = _text(doc, "abstract")
    return KeywordHit(_text(doc, "arxiv_id"), _text(doc, "title"), score, snippet_html(snippet, abstract))


def _text(doc: tantivy.Document, field: str) -> str:
    return str(doc.get_first(field) or "")


def snippet_html(snippet: tantivy.Snippet, abstract: str) -> str:
    """The fragment HTML-escaped, matched words wrapped in <mark>; the abstract's start if none matched.

    The fragment is widened so that it never cuts a ``$...$`` formula in two, and no <mark> falls
    inside a formula, so a page can render the formulas (the feed's ``snippet_math`` filter).
    """
    raw = snippet.fragment().encode()
    at = abstract.find(raw.decode(errors="replace")) if snippet.highlighted() else -1
    if at < 0:  # nothing matched in the abstract
        end = whole_formulas(abstract, 0, len(shorten(abstract).removesuffix(" …")))[1]
        return html.escape(abstract[:end]) + (" …" if end < len(abstract) else "")
    start, end = whole_formulas(abstract, at, at + len(raw.decode(errors="replace")))
    formulas = math_spans(abstract)

    def offset(byte: int) -> int:  # tantivy's offsets count bytes of the fragment
        return at + len(raw[:byte].decode(errors="replace"))

    parts, cursor = [], start
    for first, last in sorted((offset(span.start), offset(span.end)) for span in snippet.highlighted()):
        if first < cursor or any(a < last and first < b for a, b in formulas):
            continue  # a word inside a formula stays unmarked
        parts += [html.escape(abstract[cursor:first]), f"<mark>{html.escape(abstract[first:last])}</mark>"]
        cursor = last
    parts.append(html.escape(abstract[cursor:end]))
    return "".join(parts)


def shorten(text: str, limit: int = SNIPPET_CHARS) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def matching(index: tantivy.Index, parsed: ParsedQuery, arxiv_ids: Sequence[str]) -> set[str]:
    """Which of ``arxiv_ids`` satisfy the query's constraints (phrases, authors, exclusions, filters)."""
    if not arxiv_ids:
        return set()
    clauses = constraint_clauses(index.schema, parsed)
    clauses.append((tantivy.Occur.Must, tantivy.Query.term_set_query(index.schema, "arxiv_id", list(arxiv_ids))))
    searcher = index.searcher()
    found = searcher.search(tantivy.Query.boolean_query(clauses), len(arxiv_ids), count=False)
    return {_text(searcher.doc(address), "arxiv_id") for _, address in found.hits}


def more_like_this(index: tantivy.Index, arxiv_id: str, limit: int) -> list[tuple[str, float]]:
    """Papers sharing ``arxiv_id``'s distinctive words (tantivy's more-like-this), itself left out."""
    searcher = index.searcher()
    own = searcher.search(tantivy.Query.term_query(index.schema, "arxiv_id", arxiv_id), 1, count=False).hits
    if not own:
        return []
    query = tantivy.Query.more_like_this_query(own[0][1], min_doc_frequency=2, min_term_frequency=1, max_query_terms=40)
    found = searcher.search(query, limit + 1, count=False).hits
    ranked = [(_text(searcher.doc(address), "arxiv_id"), float(score)) for score, address in found]
    return [(paper, score) for paper, score in ranked if paper != arxiv_id][:limit]


def describe(index: tantivy.Index, arxiv_ids: Sequence[str], parsed: ParsedQuery | None) -> dict[str, tuple[str, str]]:
    """Title and snippet of each of ``arxiv_ids``, the snippet marking ``parsed``'s words."""
    if not arxiv_ids:
        return {}
    searcher = index.searcher()
    wanted = tantivy.Query.term_set_query(index.schema, "arxiv_id", list(arxiv_ids))
    found = searcher.search(wanted, len(arxiv_ids), count=False).hits
    words = _scored_terms(index.schema, [*parsed.terms, *parsed.phrases]) if parsed else None
    snippets = tantivy.SnippetGenerator.create(searcher, words or tantivy.Query.empty_query(), index.schema, "abstract")
    snippets.set_max_num_chars(SNIPPET_CHARS)
    described = {}
    for _, address in found:
        doc = searcher.doc(address)
        snippet = snippet_html(snippets.snippet_from_doc(doc), _text(doc, "abstract"))
        described[_text(doc, "arxiv_id")] = (_text(doc, "title"), snippet)
    return described
