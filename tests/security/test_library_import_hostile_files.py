"""Hostile library files: binary data, JSON nested past the parser's depth, BibTeX macro bombs,
and arbitrary fragments of every format. Each is read or refused with a message; none raises
anything else, and none holds much more memory than the file itself."""

from __future__ import annotations

import tracemalloc

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperfeed.accounts.imports.formats import Unreadable, read_library

MiB = 2**20


def test_binary_data_is_refused_as_binary() -> None:
    with pytest.raises(Unreadable, match=r"^library\.bib holds binary data"):
        read_library("library.bib", b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)))


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000,
        "[" + "{" * 100_000,
        '[{"id": "a", "URL": "http://arxiv.org/abs/2602.23370", "x": ' + "[" * 100_000 + "]" * 100_000 + "}]",
        '{"items": ' + "[" * 100_000 + "}",
    ],
)
def test_json_nested_too_deeply_is_reported_at_its_line(text: str) -> None:
    reading = read_library("deep.json", ("\n" + text).encode())
    assert reading.format == "csl-json"
    assert any("nested too deeply" in entry.reason or "not valid JSON" in entry.reason for entry in reading.entries)


def test_items_before_a_too_deep_one_are_kept() -> None:
    text = '[\n{"URL": "http://arxiv.org/abs/2602.23370"},\n' + "[" * 100_000
    reading = read_library("deep.json", text.encode())
    assert [(e.line, e.arxiv_id) for e in reading.entries] == [(2, "2602.23370"), (3, None)]
    assert reading.entries[1].reason.startswith("nested too deeply")


def test_a_macro_used_by_every_field_costs_no_more_than_the_file() -> None:
    macro = "x" * MiB
    entries = "".join(f"@misc{{k{n}, url = a, note = a, doi = a, journal = a, title = a # a # a}}\n" for n in range(40))
    data = ('@string{a = "' + macro + '"}\n' + entries).encode()
    tracemalloc.start()
    try:
        reading = read_library("bomb.bib", data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(reading.entries) == 40 and all(entry.arxiv_id is None for entry in reading.entries)
    assert peak < 24 * MiB, f"reading a {len(data) / MiB:.1f} MiB file held {peak / MiB:.0f} MiB"  # 200+ MiB expanded


def test_a_chain_of_macros_doubling_each_other_is_not_expanded() -> None:
    chain = ['@string{s0 = "aaaaaaaaaa"}'] + [f"@string{{s{i} = s{i - 1} # s{i - 1}}}" for i in range(1, 64)]
    reading = read_library("chain.bib", "\n".join([*chain, "@misc{k, title = s63, eprint = s63}"]).encode())
    [entry] = reading.entries
    assert entry.key == "k" and entry.arxiv_id is None and entry.reason == "its eprint 's63' is not an arXiv id"


FRAGMENTS = [
    "@misc{", "@string{a = ", "}", "{", "(", ")", '"', ",", "=", "#", "\\", "eprint = ", "url = ",
    "TY  - ", "ER  - ", "UR  - ", "DO  - 10.48550/arXiv.", "[", "]", ":", '"URL": ', '"number": ',
    "arXiv:", "2602.23370", "hep-th/9901001v2", "https://arxiv.org/abs/", "\n", "\r\n", " ", "\t",
    "\x00", "\ufeff", "é", "\U0001f4da", "9" * 30, "null", "true", "-", "v0",
]  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=60), st.sampled_from([None, "bibtex", "ris", "csl-json", "text"]))
def test_any_mix_of_format_fragments_is_read_or_refused_with_a_message(parts: list[str], fmt: str | None) -> None:
    try:
        reading = read_library("any.bib", "".join(parts).encode("utf-8"), fmt)
    except Unreadable as refused:
        assert str(refused)
        return
    for entry in reading.entries:
        assert entry.line >= 1 and (entry.arxiv_id or entry.reason)
