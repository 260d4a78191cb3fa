"""The packaged model on ONNX Runtime: the same vectors as sentence-transformers, without torch.

search/onnxmodel.py exports the packaged weights once, checks the export against
sentence-transformers and only then keeps it; the CLI, web workers and the embed lane then
run it. Here: the check on real abstracts, tampered and failed exports, and a CLI search by
meaning that gives torch's answer without importing torch.
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from paperfeed.search import onnxmodel
from paperfeed.search.embedding import EmbeddingModelError, load_embedder, packaged_model_dir, paper_text
from tests.conftest import daily_file, run_cli


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = onnxmodel.export_folder(tmp_path_factory.mktemp("onnx"))
    onnxmodel.export(folder)
    return folder


def real_texts(count: int = 24) -> list[str]:
    with gzip.open(daily_file("2026-03-02"), "rt") as lines:
        papers = [json.loads(line) for line, _ in zip(lines, range(count), strict=False)]
    return [paper_text(paper["title"], paper["summary"]) for paper in papers]


def test_the_export_gives_sentence_transformers_vectors_for_real_abstracts(exported: Path) -> None:
    texts = [*real_texts(), "graph neural network", ""]
    reference = load_embedder("", "cpu").embed(texts)  # torch
    on_onnx = onnxmodel.OnnxEncoder(exported, packaged_model_dir()).encode(texts)
    cosines = np.sum(reference * on_onnx, axis=1)
    assert on_onnx.shape == reference.shape == (len(texts), 384)
    assert cosines.min() >= onnxmodel.MIN_COSINE
    assert np.allclose(np.linalg.norm(on_onnx, axis=1), 1.0, atol=1e-5)


def test_the_manifest_records_the_check_and_the_weights(exported: Path) -> None:
    manifest = json.loads((exported / onnxmodel.MANIFEST).read_text())
    assert manifest["weights_sha256"] == onnxmodel.PACKAGED_SHA256
    assert manifest["min_cosine"] >= onnxmodel.MIN_COSINE
    assert onnxmodel.is_exported(exported)


def test_load_embedder_runs_a_checked_export_on_onnx_runtime(exported: Path) -> None:
    embedder = load_embedder("", "cpu", exported)
    assert isinstance(embedder.encoder, onnxmodel.OnnxEncoder)
    assert embedder.model_id == load_embedder("", "cpu").model_id  # the same vectors: the same index
    assert embedder.embed_query("graph neural network").shape == (384,)


@pytest.mark.parametrize("damage", ["other weights", "truncated file", "no manifest", "garbled manifest"])
def test_a_tampered_or_partial_export_is_never_used(exported: Path, tmp_path: Path, damage: str) -> None:
    folder = tmp_path / "export"
    shutil.copytree(exported, folder)
    manifest = folder / onnxmodel.MANIFEST
    if damage == "other weights":
        manifest.write_text(json.dumps({**json.loads(manifest.read_text()), "weights_sha256": "0" * 64}))
    elif damage == "truncated file":
        with (folder / onnxmodel.ONNX_FILE).open("r+b") as onnx_file:
            onnx_file.truncate(1000)
    elif damage == "no manifest":
        manifest.unlink()
    else:
        manifest.write_bytes(b"\x00{not json")
    assert not onnxmodel.is_exported(folder)
    assert not isinstance(load_embedder("", "cpu", folder).encoder, onnxmodel.OnnxEncoder)  # torch instead


def test_an_export_that_disagrees_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(onnxmodel, "_agreement", lambda encoder, model_dir: 0.93)
    folder = onnxmodel.export_folder(tmp_path)
    with pytest.raises(EmbeddingModelError, match=r"cosine 0\.93"):
        onnxmodel.export(folder)
    assert not folder.exists() and list(folder.parent.iterdir()) == []  # no staging folder either


def test_a_failed_export_leaves_torch_in_charge(settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_DIR, settings.EMBEDDING_RUNTIME = tmp_path, "onnx"
    monkeypatch.setattr(onnxmodel, "_agreement", lambda encoder, model_dir: 0.5)
    assert onnxmodel.prepare_runtime() == "torch"
    settings.EMBEDDING_RUNTIME = "torch"
    assert onnxmodel.runtime_folder() is None and onnxmodel.prepare_runtime() == "torch"


SEARCH_WITHOUT_TORCH = """
import sys, django
django.setup()
from paperfeed.search.service import search
found = search("graph neural networks for molecules", mode="semantic", limit=5)
print(" ".join(hit.arxiv_id for hit in found.hits), "torch" in sys.modules)
"""


def test_cli_search_by_meaning_gives_torchs_answer_without_torch(cli_env: dict[str, str]) -> None:
    env = {**cli_env, "PAPERFEED_EMBEDDING_RUNTIME": "onnx"}
    run_cli(env, "migrate", "-v", "0")
    run_cli(env, "import", "--quiet", str(daily_file("2026-03-02")))
    indexed = run_cli(env, "index", "--quiet", "--embed-limit", "60")
    assert indexed.returncode == 0, indexed.stderr
    assert onnxmodel.is_exported(onnxmodel.export_folder(Path(env["PAPERFEED_DATA_DIR"])))
    query = ["search", "graph neural networks for molecules", "--mode", "semantic", "--limit", "5", "--json"]
    on_onnx = run_cli(env, *query)
    on_torch = run_cli({**env, "PAPERFEED_EMBEDDING_RUNTIME": "torch"}, *query)
    assert on_onnx.returncode == on_torch.returncode == 0, on_onnx.stderr + on_torch.stderr
    assert [hit["id"] for hit in json.loads(on_onnx.stdout)] == [hit["id"] for hit in json.loads(on_torch.stdout)]
    done = subprocess.run(
        [sys.executable, "-c", SEARCH_WITHOUT_TORCH], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    ids, torch_loaded = done.stdout.split()[:-1], done.stdout.split()[-1]
    assert len(ids) == 5 and torch_loaded == "False"
