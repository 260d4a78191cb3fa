"""Hostile inputs shared by the source parser tests: mutated bodies, entity bombs, XML-safe text."""

from __future__ import annotations

from hypothesis import strategies as st

# Any text an XML 1.0 document can carry once escaped (no controls, surrogates or non-characters).
XML_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters="\ufffe\uffff"))


@st.composite
def mutations(draw: st.DrawFn, body: bytes) -> bytes:
    """``body`` cut short, or with a short stretch replaced by random bytes."""
    start = draw(st.integers(0, len(body)))
    if draw(st.booleans()):
        return body[:start]
    end = draw(st.integers(start, min(len(body), start + 40)))
    return body[:start] + draw(st.binary(max_size=12)) + body[end:]


def billion_laughs(root: str) -> bytes:
    """A "billion laughs" document: nine levels of entities that would expand to 10^9 'lol's."""
    levels = "".join(f'<!ENTITY l{i + 1} "{f"&l{i};" * 10}">' for i in range(9))
    return f'<?xml version="1.0"?><!DOCTYPE {root} [<!ENTITY l0 "lol">{levels}]><{root}>&l9;</{root}>'.encode()
