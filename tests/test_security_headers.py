"""Security headers: CSP on every page, clickjacking and sniffing protection, HSTS and secure
cookies over HTTPS (PAPERFEED_HTTPS, behind a proxy setting X-Forwarded-Proto), and the pages in
real Chromium under the policy (a CSP violation is a console error)."""

from __future__ import annotations

import re
import runpy
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from paperfeed.papers.models import Paper
from tests.personas import PASSWORD, add_paper, signed_in
from tests.test_browser_site import Page, browser  # noqa: F401 - browser: one Chromium, as a fixture

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/about/",
    "/trending/",
    "/week/",
    "/search/",
    "/submitted/",
    "/paper/{paper}/",
    "/author/Ada%20Lovelace/",
    "/category/cs.LG/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password-reset/",
    "/api/docs",
    "/admin/login/",
]
SIGNED_IN_PAGES = ["/library/", "/accounts/tokens/", "/submit/", "/for-you/start/"]
DIGEST_PAGES = ["/subscribe/"]


@pytest.fixture
def paper(data_dir: object) -> Paper:
    return add_paper(title="Graphs with $x^2$", categories=["cs.LG"])


def html(client: Client, url: str, paper: Paper) -> Any:
    response = client.get(url.format(paper=paper.arxiv_id))
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("text/html")
    return response


def directives(response: Any) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in policy.split(";") if part.strip()}


def assert_protected(response: Any) -> None:
    policy = directives(response)
    assert policy["default-src"] == "default-src 'self'"
    assert policy["script-src"] == "script-src 'self'"
    assert policy["style-src"] == "style-src 'self'"
    assert policy["object-src"] == "object-src 'none'"
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert policy["base-uri"] == "base-uri 'none'"
    assert "unsafe" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("url", PAGES)
def test_every_page_carries_the_policy_and_the_protective_headers(client: Client, paper: Paper, url: str) -> None:
    assert_protected(html(client, url, paper))


@pytest.mark.parametrize("url", SIGNED_IN_PAGES)
def test_signed_in_pages_carry_the_policy_too(alice: User, paper: Paper, url: str) -> None:
    assert_protected(html(signed_in(alice), url, paper))


def test_json_answers_and_errors_carry_the_headers_too(client: Client, paper: Paper) -> None:
    for url, status in [("/api/trending", 200), ("/api/papers/2603.99999", 404), ("/no-such-page/", 404)]:
        response = client.get(url)
        assert response.status_code == status
        assert_protected(response)


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=|\son[a-z]+=", re.I)


@pytest.mark.parametrize("url", PAGES)
def test_pages_hold_no_inline_script_style_or_event_handler_the_policy_would_block(
    client: Client, paper: Paper, url: str
) -> None:
    body = html(client, url, paper).content.decode()
    assert not INLINE_SCRIPT.search(body), INLINE_SCRIPT.search(body)
    assert not INLINE_STYLE.search(body), INLINE_STYLE.search(body)


@pytest.mark.parametrize("url", DIGEST_PAGES)
def test_digest_pages_hold_no_inline_style(client: Client, paper: Paper, url: str) -> None:
    assert not INLINE_STYLE.search(html(client, url, paper).content.decode())


def real_settings(**variables: str) -> dict[str, Any]:
    """paperfeed/settings.py evaluated afresh with these environment variables."""
    import os

    saved = dict(os.environ)
    os.environ.update(variables)
    try:
        return runpy.run_module("paperfeed.settings")
    finally:
        os.environ.clear()
        os.environ.update(saved)


@pytest.fixture
def https(settings: Any) -> Iterator[None]:
    """The settings PAPERFEED_HTTPS=true really produces."""
    values = real_settings(PAPERFEED_HTTPS="true")
    for name in (
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_SSL_REDIRECT",
        "SECURE_REDIRECT_EXEMPT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    ):
        setattr(settings, name, values[name])
    yield


def test_over_https_pages_carry_hsts(client: Client, https: None, paper: Paper) -> None:
    response = client.get("/about/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_over_https_a_plain_http_request_is_redirected_without_hsts(client: Client, https: None) -> None:
    response = client.get("/about/", HTTP_X_FORWARDED_PROTO="http")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/about/"
    assert "Strict-Transport-Security" not in response


def test_over_https_the_health_check_still_answers_plain_http(client: Client, https: None) -> None:
    assert client.get("/healthz").status_code == 200


def test_without_https_no_hsts_is_sent_and_the_forwarded_header_is_not_trusted(client: Client, paper: Paper) -> None:
    response = client.get("/about/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response


def test_over_https_session_and_csrf_cookies_are_secure_and_http_only(client: Client, https: None, alice: User) -> None:
    page = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"
    response = client.post(
        "/accounts/login/", {"username": "alice", "password": PASSWORD}, HTTP_X_FORWARDED_PROTO="https"
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


def test_without_https_cookies_are_still_http_only(client: Client) -> None:
    csrf = client.get("/accounts/login/").cookies["csrftoken"]
    assert csrf["httponly"] and not csrf["secure"]


def test_report_only_mode_reports_the_same_policy_and_enforces_none() -> None:
    enforced = real_settings()
    assert enforced["CONTENT_SECURITY_POLICY_REPORT_ONLY"] is None
    report_only = real_settings(PAPERFEED_CSP_REPORT_ONLY="true")
    assert report_only["CONTENT_SECURITY_POLICY"] is None
    assert report_only["CONTENT_SECURITY_POLICY_REPORT_ONLY"] == enforced["CONTENT_SECURITY_POLICY"]


def test_in_report_only_mode_pages_carry_the_report_only_header(client: Client, settings: Any, paper: Paper) -> None:
    values = real_settings(PAPERFEED_CSP_REPORT_ONLY="true")
    settings.CONTENT_SECURITY_POLICY = values["CONTENT_SECURITY_POLICY"]
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = values["CONTENT_SECURITY_POLICY_REPORT_ONLY"]
    response = client.get("/about/")
    assert "Content-Security-Policy" not in response
    assert "frame-ancestors 'none'" in response["Content-Security-Policy-Report-Only"]


@pytest.mark.skipif(not __import__("pathlib").Path("/usr/bin/chromium").exists(), reason="Chromium is not installed")
@pytest.mark.parametrize("url", ["/paper/{paper}/", "/api/docs", "/accounts/signup/"])
def test_pages_run_in_chromium_under_the_policy_without_a_violation(
    browser: Any,  # noqa: F811
    live_server: Any,
    transactional_db: None,
    data_dir: object,
    url: str,
) -> None:
    paper = add_paper(title="Graphs with $x^2$", categories=["cs.LG"])
    opened = Page(browser, "desktop", live_server.url)
    violations: list[str] = []
    opened.page.on(
        "console", lambda message: "Content Security Policy" in message.text and violations.append(message.text)
    )
    opened.page.goto(url.format(paper=paper.arxiv_id))
    if url == "/api/docs":
        opened.page.wait_for_selector("#swagger-ui .opblock", timeout=15000)  # Swagger UI rendered the API
    else:
        opened.page.wait_for_load_state("load")
    opened.context.close()
    assert violations == [] and opened.errors == []
