"""Errors as Hugging Face's clients read them: the JSON ``detail`` plus an ``X-Error-Message`` header.

``huggingface_hub`` puts a server's ``X-Error-Message`` into the exception it raises (it does not
read ``detail``), so a bad date or id reaches the user of ``HfApi`` or ``hf papers`` in words.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

MESSAGE_CHARS = 300


def error_message(detail: object) -> str:
    """``detail`` in one printable ASCII line of at most 300 characters (a header must not break)."""
    if isinstance(detail, list):
        detail = "; ".join(_validation_error(error) for error in detail)
    text = str(detail).encode("ascii", "backslashreplace").decode("ascii")
    line = "".join(char if char.isprintable() else " " for char in text)
    return line[:MESSAGE_CHARS]


def _validation_error(error: object) -> str:
    """One of django-ninja's validation errors, ``{"loc": ["query", "limit"], "msg": ...}``, as ``limit: msg``."""
    if not isinstance(error, dict):
        return str(error)
    where = [str(part) for part in error.get("loc", []) if part not in ("query", "path", "body")]
    return f"{'.'.join(where) or 'request'}: {error.get('msg', 'invalid')}"


class HfCompatibleApi(NinjaAPI):
    def create_response(
        self,
        request: HttpRequest,
        data: Any,
        *,
        status: int | None = None,
        temporal_response: HttpResponse | None = None,
    ) -> HttpResponse:
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        if response.status_code >= 400 and isinstance(data, dict) and "detail" in data:
            response["X-Error-Message"] = error_message(data["detail"])
        return response
