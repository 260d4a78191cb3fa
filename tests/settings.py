"""Settings for the test run: the real settings, with a throwaway secret and data directory."""

import os
import tempfile

os.environ.setdefault("PAPERFEED_SECRET_KEY", "test-secret-key-not-for-production")
# Always a fresh directory: never the developer's ./data (make exports PAPERFEED_DATA_DIR).
os.environ["PAPERFEED_DATA_DIR"] = tempfile.mkdtemp(prefix="paperfeed-test-")
# torch runs the model unless a test asks for ONNX Runtime (tests/test_onnx_runtime.py): an export
# per test data directory would cost seconds each, and the two give the same vectors (checked there).
os.environ.setdefault("PAPERFEED_EMBEDDING_RUNTIME", "torch")
# No warm-up thread in the test process (tests import paperfeed.wsgi for in-process servers): it
# imports the model's libraries while pytest rewrites test modules, and CPython 3.11's ast module
# keeps one recursion count for both threads ("AST constructor recursion depth mismatch" at
# collection). tests/test_wsgi.py turns it on in the processes it starts.
os.environ.setdefault("PAPERFEED_PRELOAD_EMBEDDER", "false")

from paperfeed.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
