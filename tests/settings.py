"""Settings for the test run: the real settings, with a throwaway secret and data directory."""

import os
import tempfile

os.environ.setdefault("PAPERFEED_SECRET_KEY", "test-secret-key-not-for-production")
# Always a fresh directory: never the developer's ./data (make exports PAPERFEED_DATA_DIR).
os.environ["PAPERFEED_DATA_DIR"] = tempfile.mkdtemp(prefix="paperfeed-test-")

from paperfeed.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
