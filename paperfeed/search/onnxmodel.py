"""The packaged MiniLM on ONNX Runtime: the same vectors without importing torch.

Loading torch, transformers and sentence-transformers takes 5-14 s on two cores; ONNX Runtime
and the ``tokenizers`` library load in well under a second, so a CLI search by meaning, a web
worker's first query and the embed lane all start fast.

The ONNX file is exported once from the packaged weights (torch is needed for that step only)
into ``DATA_DIR/models/<model>/``: the graph includes the mean pooling and the L2
normalisation, so its output is the sentence vector. Before the export is kept, its vectors
for a fixed set of texts (short, long, truncated at 256 tokens) are compared with
sentence-transformers' own: every cosine must be >= ``MIN_COSINE``, or nothing is written.
A manifest records the weights' SHA-256 and the cosine measured; an export whose manifest does
not match the installed weights is never used. The model id stored with vectors is the same
either way: the vectors are the same vectors.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from paperfeed.search.embedding import (
    MAX_TOKENS,
    PACKAGED_MODEL,
    PACKAGED_SHA256,
    Embedder,
    EmbeddingModelError,
    Vectors,
    check_weights,
    load_embedder,
    packaged_model_dir,
    pick_device,
    quiet_model_loading,
)

logger = logging.getLogger(__name__)

MIN_COSINE = 0.999
ONNX_FILE, MANIFEST = "model.onnx", "manifest.json"
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
# What the export is checked on: a phrase, a query, an abstract, and one long enough to be cut at 256 tokens.
CHECK_TEXTS = (
    "graph neural network",
    "making a compact pupil model trustworthy when it learns together with a big mentor",
    "Attention Is All You Need. The dominant sequence transduction models are based on complex recurrent or "
    "convolutional neural networks that include an encoder and a decoder. We propose a new simple network "
    "architecture, the Transformer, based solely on attention mechanisms.",
    " ".join(["Diffusion models for protein structure, with $O(n^2)$ pairwise features and MathML."] * 40),
    "Ünïcödé, 数学, and émigré tokens: π ≈ 3.14159",
)


def export_folder(data_dir: Path) -> Path:
    """Where the packaged model's ONNX export lives (one folder per pinned weights)."""
    return data_dir / "models" / f"{PACKAGED_MODEL}-{PACKAGED_SHA256[:12]}-onnx"


def is_exported(folder: Path) -> bool:
    """Whether ``folder`` holds a checked export of the installed weights."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError):
        return False
    return (
        isinstance(manifest, dict)
        and manifest.get("weights_sha256") == PACKAGED_SHA256
        and float(manifest.get("min_cosine", 0)) >= MIN_COSINE
        and _size(folder / ONNX_FILE) == manifest.get("bytes")
    )


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


def ensure_exported(data_dir: Path) -> Path:
    """Export the packaged model to ONNX unless a checked export is there; returns its folder."""
    folder = export_folder(data_dir)
    if not is_exported(folder):
        export(folder)
    return folder


def export(folder: Path) -> float:
    """Export, check against sentence-transformers, and move into ``folder`` atomically; returns the min cosine."""
    model_dir = packaged_model_dir()
    check_weights(model_dir)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".export-", dir=folder.parent))
    try:
        _export_graph(model_dir, staging / ONNX_FILE)
        cosine = _agreement(OnnxEncoder(staging, model_dir, threads=0), model_dir)
        if cosine < MIN_COSINE:
            raise EmbeddingModelError(f"ONNX export disagrees with sentence-transformers: cosine {cosine:.6f}")
        size = (staging / ONNX_FILE).stat().st_size
        manifest = {"model": PACKAGED_MODEL, "weights_sha256": PACKAGED_SHA256, "min_cosine": cosine, "bytes": size}
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2))
        shutil.rmtree(folder, ignore_errors=True)
        os.replace(staging, folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return cosine


def _export_graph(model_dir: Path, target: Path) -> None:
    quiet_model_loading()
    import torch
    from transformers import AutoModel

    class SentenceVector(torch.nn.Module):
        """BERT, then mean pooling over real tokens, then L2 normalisation (sentence-transformers' modules)."""

        def __init__(self, bert: Any) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            hidden = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, dim=-1)

    model = SentenceVector(AutoModel.from_pretrained(str(model_dir)).eval())
    sample = tuple(torch.ones(2, 8, dtype=torch.long) for _ in INPUTS)
    axes = {name: {0: "batch", 1: "tokens"} for name in INPUTS}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the exporter's notes on opsets; the export is checked below instead
        torch.onnx.export(
            model,
            sample,
            str(target),
            input_names=list(INPUTS),
            output_names=["sentence_vector"],
            dynamic_axes={**axes, "sentence_vector": {0: "batch"}},
            opset_version=17,
            dynamo=False,
        )


def _agreement(encoder: OnnxEncoder, model_dir: Path) -> float:
    """The smallest cosine between the export's vectors and sentence-transformers' for CHECK_TEXTS."""
    quiet_model_loading()
    from sentence_transformers import SentenceTransformer

    reference = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
    reference.max_seq_length = MAX_TOKENS
    expected = reference.encode(
        list(CHECK_TEXTS), normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
    )
    got = encoder.encode(CHECK_TEXTS)
    return float(np.min(np.sum(np.asarray(expected, dtype=np.float32) * got, axis=1)))


@dataclass
class OnnxEncoder:
    """An encoder with sentence-transformers' ``encode`` shape, on ONNX Runtime."""

    folder: Path
    model_dir: Path
    threads: int = 0  # 0: ONNX Runtime's default (one per core)

    def __post_init__(self) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(self.model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = self.threads
        # No spin-waiting between runs: a hybrid query runs BM25 on the other core meanwhile, and a
        # spinning pool takes that core from it.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3  # errors only: a command prints its results, not the runtime's notes
        self.session = onnxruntime.InferenceSession(
            str(self.folder / ONNX_FILE), options, providers=["CPUExecutionProvider"]
        )

    def get_embedding_dimension(self) -> int:
        return int(self.session.get_outputs()[0].shape[1] or 384)

    def encode(self, texts: Sequence[str], batch_size: int = 32, **_: Any) -> Vectors:
        """L2-normalised vectors of ``texts``, batched by length so padding stays small."""
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vectors = np.zeros((len(texts), self.get_embedding_dimension()), dtype=np.float32)
        for start in range(0, len(order), max(1, batch_size)):
            batch = order[start : start + batch_size]
            vectors[batch] = self._run([texts[i] for i in batch])
        return vectors

    def _run(self, texts: list[str]) -> Vectors:
        encodings = self.tokenizer.encode_batch(texts)
        width = max(len(encoding.ids) for encoding in encodings)
        ids = np.zeros((len(texts), width), dtype=np.int64)
        mask = np.zeros((len(texts), width), dtype=np.int64)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        return np.asarray(self.session.run(None, feeds)[0], dtype=np.float32)


# --- The configured embedder: settings decide the model, the device and whether ONNX Runtime runs it.


def runtime_folder() -> Path | None:
    """The ONNX export to use under the settings, or None where torch runs the model."""
    from django.conf import settings

    if settings.EMBEDDING_RUNTIME == "torch" or settings.EMBEDDING_MODEL:
        return None
    return export_folder(settings.DATA_DIR)


def configured_embedder() -> Embedder:
    """The embedder the settings name, loaded once per process (ONNX Runtime where an export is ready)."""
    from django.conf import settings

    return load_embedder(settings.EMBEDDING_MODEL, settings.EMBEDDING_DEVICE, runtime_folder())


def prepare_runtime(progress: Callable[[str], object] = lambda line: None) -> str:
    """Export the model to ONNX once, where it will run on a CPU; returns the runtime ("onnx" or "torch").

    Called where embedding work starts (the embed lane, `paperfeed index`): a failed export is
    logged and leaves torch in charge, never stops the work.
    """
    from django.conf import settings

    folder = runtime_folder()
    if folder is None or pick_device(settings.EMBEDDING_DEVICE) != "cpu":
        return "torch"
    if is_exported(folder):
        return "onnx"
    try:
        cosine = export(folder)
    except Exception as error:  # torch's exporter can fail in many ways; torch still works
        logger.warning("ONNX export of %s failed, embedding with torch: %s", PACKAGED_MODEL, error)
        return "torch"
    progress(f"exported {PACKAGED_MODEL} to ONNX Runtime (cosine to sentence-transformers >= {cosine:.6f})")
    return "onnx"
