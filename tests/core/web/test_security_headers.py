"""Security headers on every response (ASVS 14.4): pages, redirects, static files, JSON and every
error — 403, 404, 405, 413 and 500 — carry a Content-Security-Policy without inline script,
``nosniff``, a Referrer-Policy and ``frame-ancestors 'none'``; HSTS only over HTTPS;
``Cache-Control: no-store`` on pages for logged-in people. Error pages are generic and show
the request id that the log has."""
from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import re

import httpx
import pytest

from core.app import create_app
from core.demo import DEMO_PASSWORD
from tests import fake_plugin
from tests.core.auth.conftest import fresh_address, login
from tests.core.web.test_errors import csrf_headers

STRICT_REFERRER = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}


def directives(csp: str) -> dict[str, list[str]]:
    parsed = {}
    for part in csp.split(";"):
        words = part.split()
        if words:
            parsed[words[0].lower()] = words[1:]
    return parsed


def assert_secure_headers(response: httpx.Response, https: bool = False) -> None:
    headers = response.headers
    csp = headers["content-security-policy"]
    policy = directives(csp)
    script = policy.get("script-src", policy.get("default-src"))
    assert script, csp
    assert not any(source.startswith("'unsafe") or source in ("*", "data:", "http:", "https:")
                   for source in script), csp
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] in STRICT_REFERRER
    assert re.fullmatch(r"[0-9a-f]{12}", headers["x-request-id"])
    if https:
        hsts = headers["strict-transport-security"]
        assert int(re.search(r"max-age=(\d+)", hsts).group(1)) >= 180 * 24 * 3600
    else:
        assert "strict-transport-security" not in headers


# --- over real HTTP (the session's uvicorn) ------------------------------------------------------

RESPONSES = {
    "page": ("GET", "/", 200),
    "page with a query": ("GET", "/organisations?q=basket", 200),
    "login page": ("GET", "/login", 200),
    "redirect to log in": ("GET", "/me", 303),
    "static file": ("GET", "/static/css/base.css", 200),
    "missing static file": ("GET", "/static/css/nothing.css", 404),
    "JSON": ("GET", "/healthz", 200),
    "404 page": ("GET", "/no/such/page", 404),
    "404 JSON": ("GET", "/organisations/no-such-club", 404),
    "HEAD": ("HEAD", "/", 200),
}


@pytest.mark.parametrize("method, path, status", RESPONSES.values(), ids=list(RESPONSES))
def test_every_kind_of_response_carries_the_headers(http, method, path, status):
    headers = {"Accept": "application/json"} if path.startswith("/organisations/") else {}
    response = http.request(method, path, headers=headers)
    assert response.status_code == status
    assert_secure_headers(response)


def test_405_carries_the_headers(http, settings):
    for path in ("/", "/healthz"):
        response = http.put(path, headers=csrf_headers(settings), data={"x": "1"})
        assert response.status_code == 405
        assert_secure_headers(response)


def test_csrf_refusal_403_carries_the_headers(http):
    response = http.post("/organisations", data={"q": "x"})
    assert response.status_code == 403
    assert_secure_headers(response)


@pytest.mark.parametrize("token_in", ["header", "form"])  # read by the view, or by the CSRF check
@pytest.mark.parametrize("how", ["declared", "chunked"])
def test_a_too_large_body_gets_the_413_page_with_the_headers(http, settings, token_in, how):
    from core.web.limits import MAX_BODY_SIZE
    headers = {**csrf_headers(settings), "Content-Type": "application/x-www-form-urlencoded"}
    if token_in == "form":
        headers.pop("X-CSRF-Token")
    body = b"q=" + b"x" * (MAX_BODY_SIZE + 10)
    content = body if how == "declared" else (body[i:i + 65536] for i in range(0, len(body), 65536))
    response = http.post("/login", headers=headers, content=content)
    assert response.status_code == 413
    assert_secure_headers(response)
    assert f'<span class="request-id">{response.headers["x-request-id"]}</span>' in response.text


def test_no_inline_script_in_pages(http):
    """The policy forbids inline script, so the pages must not need any."""
    for path in ("/", "/organisations", "/programmes", "/login", "/no/such/page"):
        html = http.get(path).text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html, re.I), path
        assert not re.search(r"\son[a-z]+\s*=", html, re.I), path   # no onclick=… handlers
        assert "javascript:" not in html.lower(), path


# --- logged in: no-store --------------------------------------------------------------------------

@pytest.fixture
def logged_in(live_server):
    clients = []

    def make(email: str) -> httpx.Client:
        client = httpx.Client(base_url=live_server, timeout=20, follow_redirects=False,
                              headers={"X-Forwarded-For": fresh_address()})
        clients.append(client)
        assert login(client, email, DEMO_PASSWORD).status_code == 303
        return client
    yield make
    for client in clients:
        client.close()


def test_pages_for_logged_in_people_are_no_store(logged_in, http):
    admin = logged_in("admin@partnerskab.test")
    for path in ("/", "/organisations", "/programmes", "/municipalities", "/me", "/admin/audit",
                 "/admin/audit.csv"):
        response = admin.get(path)
        assert response.status_code == 200, path
        assert response.headers["cache-control"] == "no-store", path
        assert_secure_headers(response)
    # a refusal to a logged-in person too
    consultant = logged_in("kbh-konsulent@partnerskab.test")
    refused = consultant.get("/admin/audit")
    assert refused.status_code == 403
    assert refused.headers["cache-control"] == "no-store"
    assert_secure_headers(refused)
    # the same page for a visitor may be cached
    assert http.get("/organisations").headers.get("cache-control") != "no-store"


# --- over HTTPS (the ASGI app called in-process with scheme https) ---------------------------------

def in_process(app, scheme: str, script):
    """Run ``script(client)`` against the ASGI app with a client whose requests have ``scheme``
    (what uvicorn would set behind a trusted TLS proxy), and return what it returns."""
    async def run():
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url=f"{scheme}://testserver",
                                     cookies={"lang": "en"}) as client:
            return await script(client)
    # in a thread of its own: the browser tests' Playwright keeps an event loop running in this one
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, run()).result()


@pytest.fixture(scope="module")
def fake_app(app, settings):
    """The demo app plus the fake plugin, whose /fake/boom raises."""
    return create_app(settings, extra_plugins=[("fake", fake_plugin)])


def test_hsts_only_over_https(app):
    paths = (("/", 200), ("/static/css/base.css", 200), ("/healthz", 200), ("/no/such/page", 404), ("/me", 303))

    async def fetch_all(client):
        return [await client.get(path) for path, _ in paths]

    for scheme in ("https", "http"):
        for (path, status), response in zip(paths, in_process(app, scheme, fetch_all)):
            assert response.status_code == status, path
            assert_secure_headers(response, https=scheme == "https")


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_500_is_generic_with_the_request_id_in_page_and_log(fake_app, settings, caplog, scheme):
    caplog.set_level(logging.ERROR, logger="partnerskab.web")
    async def boom(client):
        return (await client.get("/fake/boom"),
                await client.get("/fake/boom", headers={"Accept": "application/json"}))

    response, as_json = in_process(fake_app, scheme, boom)
    assert response.status_code == 500
    assert_secure_headers(response, https=scheme == "https")
    text = response.text
    request_id = response.headers["x-request-id"]
    assert f'<span class="request-id">{request_id}</span>' in text
    assert "<h1>Something went wrong</h1>" in text
    for leak in ("Traceback", "RuntimeError", "must not reach the visitor", 'File "', settings.secret_key,
                 settings.database_url):
        assert leak not in text
    logged = [record for record in caplog.records if request_id in record.getMessage()]
    assert logged and logged[0].exc_info is not None and logged[0].levelno >= logging.ERROR
    assert as_json.status_code == 500
    assert as_json.headers["content-type"].startswith("application/problem+json")
    assert as_json.json()["request_id"] == as_json.headers["x-request-id"]
    assert "must not reach" not in as_json.text
    assert_secure_headers(as_json, https=scheme == "https")


def test_session_cookie_is_host_prefixed_and_secure_over_https(app):
    async def log_in(client):
        page = await client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        response = await client.post("/login", data={"email": "admin@partnerskab.test", "password": DEMO_PASSWORD,
                                                      "csrf_token": token})
        return page, response, await client.get("/me")

    page, response, me = in_process(app, "https", log_in)
    assert page.status_code == 200 and response.status_code == 303
    for each in (page, response, me):
        assert_secure_headers(each, https=True)
    cookies = response.headers.get_list("set-cookie")
    session = [c for c in cookies if c.startswith("__Host-")]
    assert session, cookies
    assert all("secure" in c.lower() and "httponly" in c.lower() and "path=/" in c.lower() for c in session)
    assert me.status_code == 200 and me.headers["cache-control"] == "no-store"
