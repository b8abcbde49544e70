"""Errors over real HTTP: unknown pages and wrong methods get the generic error page with a
request id and the security headers, never a traceback or a bare server error."""
from __future__ import annotations

import re

import pytest

from core.auth import csrf, sessions
from core.web.middleware import SECURITY_HEADERS

ENGLISH = {"Cookie": "lang=en"}
UNKNOWN = ["/organisations/no-such-club", "/programmes/no-such-programme", "/municipalities/9999",
           "/no/such/page", "/organisations/%C3%A6%C3%B8%C3%A5", "/programmes/" + "x" * 300]


def assert_security_headers(response):
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp and "object-src 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "same-origin"
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value


def assert_generic_error_page(response, status, title):
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    text = response.text
    assert f"<h1>{title}</h1>" in text
    assert "Traceback" not in text and "HTTPException" not in text and 'File "' not in text
    request_id = response.headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{12}", request_id)
    assert f'<span class="request-id">{request_id}</span>' in text
    assert '<a href="/">' in text  # a way back
    assert_security_headers(response)


@pytest.mark.parametrize("path", UNKNOWN)
def test_unknown_pages_get_the_generic_404_page(http, path):
    response = http.get(path, headers=ENGLISH)
    assert_generic_error_page(response, 404, "Page not found")
    assert "We could not find that page." in response.text


def test_each_error_has_its_own_request_id(http):
    first = http.get("/no/such/page").headers["x-request-id"]
    second = http.get("/no/such/page").headers["x-request-id"]
    assert first != second


def test_the_404_page_speaks_the_readers_language(http):
    response = http.get("/no/such/page", headers={"Cookie": "lang=da"})
    assert response.status_code == 404
    assert response.headers["content-language"] == "da"
    assert '<html lang="da">' in response.text


GET_ONLY = ["/", "/organisations", "/programmes/kobenhavn-sociale-partnerskaber", "/municipalities", "/healthz"]


def csrf_headers(settings) -> dict[str, str]:
    """What a page of this site would give a browser: its csrf cookie and the token derived from it."""
    browser_secret = "test-browser-secret"
    return {"Cookie": f"lang=en; {sessions.cookie_name(csrf.BROWSER_COOKIE, False)}={browser_secret}",
            "X-CSRF-Token": csrf.token_for(settings.secret_key, browser_secret)}


@pytest.mark.parametrize("path", GET_ONLY)
@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_a_wrong_method_is_405_not_500(http, settings, path, method):
    response = http.request(method, path, headers=csrf_headers(settings),
                            data={"q": "x"} if method != "DELETE" else None)
    assert response.status_code == 405
    assert "GET" in response.headers["allow"]
    assert "Traceback" not in response.text
    assert response.headers["x-request-id"]
    assert_security_headers(response)
    if path == "/healthz":
        assert response.json()["status"] == 405
    else:
        assert_generic_error_page(response, 405, "Method not allowed")


@pytest.mark.parametrize("path", GET_ONLY[:2])
def test_a_post_without_a_csrf_token_is_refused_with_the_error_page(http, path):
    response = http.post(path, headers=ENGLISH, data={"q": "x"})
    assert response.status_code == 403
    assert_generic_error_page(response, 403, "Forbidden")


def test_errors_as_json_for_json_clients(http):
    response = http.get("/organisations/no-such-club", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == 404 and body["title"] == "Page not found"
    assert body["request_id"] == response.headers["x-request-id"]


def test_security_headers_on_ordinary_pages_too(http):
    for path in ("/", "/organisations?q=basket", "/static/css/base.css", "/healthz"):
        assert_security_headers(http.get(path))


def test_no_hsts_over_plain_http(http):
    assert "strict-transport-security" not in http.get("/").headers
