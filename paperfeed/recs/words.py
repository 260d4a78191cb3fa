"""The words a recommendation shares with the library paper it is most like: part of its reason."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

WORDS_SHOWN = 3
_WORD = re.compile(r"[a-z][a-z0-9]+(?:-[a-z0-9]+)*")
# Words of most abstracts, which say nothing about a topic (plus common English).
_PLAIN_TEXT = """
    about above across after again against also although among analysis approach approaches are based
    because been before being below best better between both but can cannot could data dataset datasets
    demonstrate despite different does doing done during each effective efficient either enable enables
    even existing experiment experiments extensive first following for framework from further given has
    have having here however improve improved improves improving including into its itself large learning
    less lead leads like made make makes many method methods model models more most much must new novel
    often only other others our outperforms over paper performance previous problem propose proposed
    provide provides results same several should show shows significant significantly simple since such
    state-of-the-art study than that the their them then there these they this those three through thus
    towards two under use used uses using various very via was well were what when where whether which
    while with within without work works would art task tasks
"""
_PLAIN = frozenset(_PLAIN_TEXT.split())


@lru_cache(maxsize=16384)  # a digest run explains the same window papers and libraries for many readers
def words_of(text: str) -> tuple[str, ...]:
    return tuple(w for w in _WORD.findall(text.lower()) if len(w) > 3 and w not in _PLAIN)


def shared_words(title: str, abstract: str, other: str, limit: int = WORDS_SHOWN) -> list[str]:
    """Up to ``limit`` words of a paper (``title``, ``abstract``) that ``other`` also has: title words first."""
    theirs = set(words_of(other))
    counts = Counter(w for w in words_of(f"{title} {title} {abstract}") if w in theirs)
    in_title = set(words_of(title))
    ranked = sorted(counts, key=lambda w: (w not in in_title, -counts[w]))
    return ranked[:limit]
