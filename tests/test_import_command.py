"""`paperfeed import FILE...`: every format, gzipped or not, idempotent, bad records reported and skipped."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.core.management.base import CommandError

from paperfeed.papers import store
from paperfeed.papers.models import Paper, PaperAuthor, PaperCategory, Sighting
from tests.conftest import (
    ABS_DIR,
    DEDUP,
    KAGGLE,
    call,
    copy_with_lines,
    daily_file,
    gunzip_to,
    gzip_to,
    read_lines,
    shared,
    store_snapshot,
)

pytestmark = pytest.mark.django_db


def summary(added: int, updated: int, unchanged: int, rejected: int) -> str:
    return f"{added} added, {updated} updated, {unchanged} unchanged, {rejected} rejected\n"


def import_ok(*args: str | Path) -> str:
    code, out, err = call("import", *map(str, args))
    assert (code, err) == (0, "")
    return out


def ids_in(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in read_lines(path) if line.strip()]


# Formats


def test_it_imports_the_kaggle_store_snapshot() -> None:
    assert import_ok(KAGGLE) == summary(200, 0, 0, 0)
    paper = Paper.objects.get(arxiv_id="0704.0001")
    assert (paper.version, paper.authors[0], paper.primary_category) == (2, "C. Balázs", "hep-ph")
    assert set(Sighting.objects.values_list("source", flat=True)) == {"file:kaggle"}


def test_it_imports_a_daily_listing_announced_on_its_day() -> None:
    path = daily_file("2026-03-02")
    ids = ids_in(path)
    out = import_ok(path)
    added, updated, unchanged = (int(word) for word in out.split()[0:6:2])
    assert (added, added + updated + unchanged) == (len(set(ids)), len(ids))
    assert set(Paper.objects.values_list("arxiv_id", flat=True)) == set(ids)
    assert set(Paper.objects.values_list("announced_on", flat=True)) == {dt.date(2026, 3, 2)}


def test_the_deduplicated_listing_is_announced_on_first_seen(tmp_path: Path) -> None:
    lines = read_lines(DEDUP)[:300]
    head = tmp_path / "papers_dedup.jsonl"
    head.write_text("".join(lines))
    assert import_ok(head) == summary(300, 0, 0, 0)
    first_seen = {o["id"]: dt.date.fromisoformat(o["first_seen"]) for o in map(json.loads, lines)}
    assert dict(Paper.objects.values_list("arxiv_id", "announced_on")) == first_seen


def test_it_walks_a_directory_of_abs_files_including_old_style_ids_and_older_versions() -> None:
    code, out, err = call("import", str(ABS_DIR))
    empty = ABS_DIR / "ftp/math-ph/papers/0509/0509037.abs"
    assert (code, err) == (1, f"{empty}:1: empty file\n")  # the one empty upstream file is a broken record
    assert out.endswith(" unchanged, 1 rejected\n")
    ids = {
        line.removeprefix("arXiv:").strip()
        for p in ABS_DIR.rglob("*.abs")
        for line in p.read_text(errors="replace").splitlines()[2:3]
    }
    assert set(Paper.objects.values_list("arxiv_id", flat=True)) == ids - {""}
    paper = Paper.objects.get(arxiv_id="hep-th/9901001")
    assert paper.version == 3  # orig/...v1 and v2 only fill blanks
    assert paper.comment == "13 pages + 4 eps figures, PTPTeX, typographical errors corrected"
    assert Paper.objects.get(arxiv_id="math/0202001").categories == ["math.GR", "math.DS"]


def test_a_latin1_abs_record_keeps_its_accents() -> None:
    latin1 = ABS_DIR / "ftp/arxiv/papers/1607/1607.08199.abs"
    assert b"\xc9pijournal" in latin1.read_bytes()  # the upstream file is Latin-1, not UTF-8
    import_ok(latin1)
    assert Paper.objects.get(arxiv_id="1607.08199").journal_ref.startswith("Épijournal de Géométrie Algébrique")


def test_a_newer_abs_version_replaces_the_older_one(tmp_path: Path) -> None:
    import_ok(ABS_DIR / "orig/hep-th/papers/9901/9901001v1.abs")
    assert Paper.objects.get().comment == "12 pages + 4 eps figures, LaTeX"
    assert import_ok(ABS_DIR / "ftp/hep-th/papers/9901/9901001.abs") == summary(0, 1, 0, 0)
    paper = Paper.objects.get()
    assert (paper.version, paper.categories) == (3, ["hep-th"])
    assert paper.comment == "13 pages + 4 eps figures, PTPTeX, typographical errors corrected"
    assert paper.abstract.startswith("We explicitly give")
    assert list(PaperCategory.objects.values_list("category", flat=True)) == ["hep-th"]
    assert import_ok(ABS_DIR / "orig/hep-th/papers/9901/9901001v2.abs") == summary(0, 0, 1, 0)


@pytest.mark.parametrize(
    ("source", "name"),
    [
        (KAGGLE, "snapshot.jsonl.gz"),
        (ABS_DIR / "ftp/hep-th/papers/9901/9901001.abs", "9901001.abs.gz"),
        (ABS_DIR / "ftp/math/papers/0202/0202001.abs", "no-suffix"),
    ],
)
def test_it_reads_gzipped_copies_as_the_originals(tmp_path: Path, source: Path, name: str) -> None:
    records = len(read_lines(source)) if source.suffix == ".jsonl" else 1
    assert import_ok(gzip_to(source, tmp_path / name)) == summary(records, 0, 0, 0)
    # The original adds nothing the gzipped copy did not: same records, same content.
    assert import_ok(source) == summary(0, 0, records, 0)


def test_it_reads_gzipped_abs_files_found_in_a_directory(tmp_path: Path) -> None:
    for path in (ABS_DIR / "ftp/hep-th/papers/9901/9901001.abs", ABS_DIR / "ftp/math/papers/0202/0202001.abs"):
        gzip_to(path, tmp_path / f"{path.name}.gz")
    assert import_ok(tmp_path) == summary(2, 0, 0, 0)


def test_an_uncompressed_daily_listing_keeps_the_day_in_its_name(tmp_path: Path) -> None:
    plain = gunzip_to(daily_file("2026-03-03"), tmp_path / "2026-03-03.jsonl")
    import_ok(plain)
    assert set(Paper.objects.values_list("announced_on", flat=True)) == {dt.date(2026, 3, 3)}


def test_format_overrides_detection(tmp_path: Path) -> None:
    # A canonical line with only id and title: nothing tells its format.
    path = tmp_path / "minimal.jsonl"
    path.write_text(json.dumps({"id": "2403.01234", "title": "Minimal"}) + "\n")
    code, out, err = call("import", str(path))
    assert (code, out, err) == (
        1,
        summary(0, 0, 0, 1),
        f"{path}:1: cannot tell the format from the first line; pass --format\n",
    )
    assert import_ok("--format", "canonical", path) == summary(1, 0, 0, 0)
    assert Paper.objects.get().title == "Minimal"


def test_format_abs_reads_a_file_detection_would_not(tmp_path: Path) -> None:
    text = (ABS_DIR / "ftp/hep-th/papers/9901/9901001.abs").read_text()
    path = tmp_path / "record.txt"
    path.write_text("\n" * 25 + text.split("\n", 1)[1])  # no dashes line, nothing in the first lines
    assert call("import", str(path))[0] == 1
    assert import_ok("--format", "abs", path) == summary(1, 0, 0, 0)


def test_an_unknown_format_name_or_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        call("import", str(tmp_path / "missing.jsonl"))
    with pytest.raises(CommandError, match="invalid choice"):
        call("import", "--format", "bibtex", str(KAGGLE))


def test_an_empty_json_file_imports_nothing_and_succeeds(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_text("")
    assert import_ok(path) == summary(0, 0, 0, 0)


# Idempotence and merging across files


@pytest.mark.parametrize("source", [KAGGLE, daily_file("2026-03-06"), ABS_DIR / "ftp/cs"])
def test_importing_the_same_file_twice_changes_nothing(source: Path) -> None:
    import_ok(source)
    before = store_snapshot()
    records = sum(1 for _ in source.rglob("*.abs")) if source.is_dir() else len(read_lines(source))
    assert import_ok(source) == summary(0, 0, records, 0)
    assert store_snapshot() == before


def test_a_paper_listed_on_several_days_keeps_its_earliest_day() -> None:
    friday, saturday = daily_file("2026-03-06"), daily_file("2026-03-07")
    shared_ids = set(ids_in(friday)) & set(ids_in(saturday))
    assert len(shared_ids) > 100  # the weekend file repeats Friday's listing
    import_ok(saturday)
    import_ok(friday)
    days = dict(Paper.objects.filter(arxiv_id__in=shared_ids).values_list("arxiv_id", "announced_on"))
    assert set(days.values()) == {dt.date(2026, 3, 6)}
    out = import_ok(saturday)
    assert out.startswith("0 added, 0 updated")


def test_kaggle_newer_versions_win_over_older_abs_files() -> None:
    import_ok(KAGGLE)
    import_ok(ABS_DIR / "ftp/arxiv/papers/0704")
    paper = Paper.objects.get(arxiv_id="0704.0189")  # v3 in the snapshot, v2 in the .abs file
    assert (paper.version, paper.authors) == (3, ["J. C. Birget"])
    assert paper.comment == "31 pages"


def test_published_keeps_the_earliest_and_counts_keep_the_highest(tmp_path: Path) -> None:
    def canonical(**fields: Any) -> str:
        return json.dumps(
            {"id": "2603.05159", "title": "T", "abstract": "A", "published": "2026-03-05T00:00:00Z", **fields}
        )

    first = tmp_path / "a.jsonl"
    first.write_text(canonical(upvotes=10, github_stars=5) + "\n")
    second = tmp_path / "b.jsonl"
    second.write_text(canonical(published="2026-03-04T10:00:00Z", upvotes=3, github_stars=9) + "\n")
    import_ok(first)
    import_ok(second)
    paper = Paper.objects.get()
    assert (paper.published, paper.upvotes, paper.github_stars) == (dt.datetime(2026, 3, 4, 10, tzinfo=dt.UTC), 10, 9)


# Bad records


def test_bad_records_are_reported_by_line_and_the_rest_imported(tmp_path: Path) -> None:
    source = daily_file("2026-03-02")
    good = json.loads(read_lines(source)[0])
    bad = {
        3: "{not json",
        10: json.dumps({**good, "id": None}),
        50: json.dumps({**good, "title": "  "}),
        100: json.dumps({**good, "id": "2603.1234"}),
        150: json.dumps({**good, "authors": "A. Author, B. Author"}),
        151: json.dumps({**good, "categories": ["cs." + "X" * 40]}),  # would not fit the store's column
    }
    path = copy_with_lines(source, tmp_path / "2026-03-02.jsonl", bad)
    code, out, err = call("import", str(path))
    assert code == 1
    reported = err.splitlines()
    assert [line.split(": ", 1)[0] for line in reported] == [f"{path}:{n}" for n in sorted(bad)]
    reasons = [line.split(": ", 1)[1] for line in reported]
    assert reasons[0].startswith("broken JSON")
    assert reasons[1:] == [
        "missing id",
        f"{good['id']}: missing title",
        "malformed arXiv id '2603.1234'",
        "authors must be a list of strings",
        f"{good['id']}: categories must be at most 32 characters each",
    ]
    ids = ids_in(source)
    assert out.endswith(f"unchanged, {len(bad)} rejected\n")
    assert set(Paper.objects.values_list("arxiv_id", flat=True)) == set(ids)
    lines = read_lines(path)
    for number in bad:  # the good lines right next to each bad one
        for neighbour in (number - 1, number + 1):
            if neighbour not in bad:
                assert Paper.objects.filter(arxiv_id=json.loads(lines[neighbour - 1])["id"]).exists()


def test_a_bad_kaggle_line_is_reported_and_the_rest_imported(tmp_path: Path) -> None:
    broken = json.loads(read_lines(KAGGLE)[6])
    broken["versions"] = "v1"
    path = copy_with_lines(KAGGLE, tmp_path / "snapshot.jsonl", {7: json.dumps(broken)})
    path.write_text("".join(line for i, line in enumerate(read_lines(path), 1) if i != 8))  # drop the good copy
    code, out, err = call("import", str(path))
    assert (code, out) == (1, summary(199, 0, 0, 1))
    assert err == f"{path}:7: versions must be a list\n"
    assert not Paper.objects.filter(arxiv_id=broken["id"]).exists()


def test_values_the_store_cannot_hold_are_rejected_not_fatal(tmp_path: Path) -> None:
    lines = [
        {"id": "2603.00001", "title": "Too many upvotes", "upvotes": 2**40},
        {"id": "2603.00002", "title": "Long category", "categories": ["cs." + "X" * 40]},
        {"id": "2603.00003", "title": "Fine"},
        {"id": "2603.00004", "title": "Long licence", "license": "x" * 300},
    ]
    path = tmp_path / "hf.jsonl"
    path.write_text("\n".join(json.dumps({"abstract": "", **o}) for o in lines) + "\n")
    code, out, err = call("import", str(path))
    assert (code, out) == (1, summary(1, 0, 0, 3))
    assert [line.split(": ", 1)[0] for line in err.splitlines()] == [f"{path}:1", f"{path}:2", f"{path}:4"]
    assert list(Paper.objects.values_list("arxiv_id", flat=True)) == ["2603.00003"]


def test_quiet_hides_the_errors_but_not_the_exit_status(tmp_path: Path) -> None:
    path = copy_with_lines(KAGGLE, tmp_path / "snapshot.jsonl", {2: "not json"})
    code, out, err = call("import", "--quiet", str(path))
    assert (code, out, err) == (1, summary(200, 0, 0, 1), "")


# Crashes


@pytest.mark.django_db(transaction=True)
def test_a_crash_mid_import_leaves_no_half_written_batch(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    settings.IMPORT_BATCH_SIZE = 50
    real = store._replace_relations
    calls = []

    def fail_on_second_batch(*args: Any, **kwargs: Any) -> None:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk on fire")
        real(*args, **kwargs)

    monkeypatch.setattr(store, "_replace_relations", fail_on_second_batch)
    with pytest.raises(RuntimeError, match="disk on fire"):
        call("import", str(KAGGLE))
    first_batch = [json.loads(line)["id"] for line in read_lines(KAGGLE)[:50]]
    assert sorted(Paper.objects.values_list("arxiv_id", flat=True)) == sorted(first_batch)
    assert PaperAuthor.objects.exclude(paper__arxiv_id__in=first_batch).count() == 0
    assert Sighting.objects.count() == 50
    monkeypatch.setattr(store, "_replace_relations", real)
    assert import_ok(KAGGLE) == summary(150, 0, 50, 0)


# At scale


@pytest.mark.slow
def test_the_whole_deduplicated_listing_imports_twice_without_changes() -> None:
    path = shared("arxiv-cs-daily-2026-dengwei", "papers_dedup.jsonl.gz")
    assert import_ok(path) == summary(27081, 0, 0, 0)
    before = list(Paper.objects.order_by("arxiv_id").values())
    relations = (PaperAuthor.objects.count(), PaperCategory.objects.count(), Sighting.objects.count())
    assert import_ok(path) == summary(0, 0, 27081, 0)
    assert list(Paper.objects.order_by("arxiv_id").values()) == before
    assert (PaperAuthor.objects.count(), PaperCategory.objects.count(), Sighting.objects.count()) == relations


def test_a_copy_of_a_real_file_under_another_name_is_the_same_papers(tmp_path: Path) -> None:
    copy = tmp_path / "kaggle-copy.json"
    shutil.copy(KAGGLE, copy)
    import_ok(KAGGLE)
    assert import_ok(copy) == summary(0, 0, 200, 0)
