"""Schemathesis over /api/openapi.json: every operation, reads and token writes, with generated values.

No answer may be a server error, and every answer must match the media type and the response
schema that the OpenAPI document declares for its status. Requests go in-process to the WSGI
app; examples per operation are bounded to keep the suite short.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from paperfeed.accounts.tokens import create_token
from paperfeed.wsgi import application
from tests.personas import add_paper

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
# Values the schema allows and values it forbids (which must get a 4xx, never a 5xx).
schema.config.generation.update(modes=list(schemathesis.GenerationMode), database="none")
CHECKS = [not_a_server_error, content_type_conformance, response_schema_conformance]


@pytest.fixture
def keep_test_connection() -> Iterator[None]:
    """The WSGI handler closes the database connection after each request; Django's test client
    stops it doing so, and so must a test that calls the app directly."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(keep_test_connection: None, db: None, settings: Any, tmp_path: Path) -> dict[str, str]:
    """A few papers with a keyword index, a user with a token, and an arXiv that cannot be reached."""
    from paperfeed.search.indexing import index_papers

    settings.DATA_DIR = tmp_path
    settings.ARXIV_API_URL = "http://127.0.0.1:9/api/query"  # refused at once: submit must say so, not fail
    settings.HTTP_RETRIES, settings.HTTP_MIN_INTERVAL, settings.ARXIV_MIN_INTERVAL = 0, 0.0, 0.0
    for number in range(3):
        add_paper(f"2603.0000{number + 1}", title=f"Graph networks {number}", abstract="Message passing on $G$.")
    index_papers(embed=False)
    user = User.objects.create_user("fuzzer", "fuzzer@example.org", "a password nobody uses")
    _, token = create_token(user, "fuzz")
    return {"Authorization": f"Bearer {token}"}


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_api_operation_answers_a_server_error_or_breaks_its_schema(case: Any, world: dict[str, str]) -> None:
    case.call_and_validate(headers=world, checks=CHECKS)
