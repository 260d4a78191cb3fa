"""A password hasher that counts how often it hashes: a locked-out login must not hash at all."""

from __future__ import annotations

from django.contrib.auth.hashers import MD5PasswordHasher


class CountingHasher(MD5PasswordHasher):
    """The test run's MD5 hasher (same algorithm, so stored passwords verify), counting hashes."""

    hashes = 0

    def encode(self, password: str, salt: str) -> str:
        CountingHasher.hashes += 1
        return super().encode(password, salt)
