"""Every error page is shown as the person who asked sees the rest of the site: logged in (their
name and "Log out" in the header, their navigation), in their language, with a next step that
fits them. Over real HTTP for every status a request can provoke (400, 403, 404, 405, 413, 500),
and rendered directly for those no route answers with today (409, 429)."""
from __future__ import annotations

import re

import httpx
import pytest
from starlette.datastructures import Headers

from core import i18n
from core.demo import DEMO_PASSWORD
from tests.core.auth.conftest import csrf_from, fresh_address, login

CONSULTANT = "kbh-konsulent@partnerskab.test"
CONSULTANT_NAME = "Jonas Lund"


@pytest.fixture
def person(live_server):
    """A logged-in consultant reading in Danish."""
    with httpx.Client(base_url=live_server, timeout=20, follow_redirects=False, cookies={"lang": "da"},
                      headers={"X-Forwarded-For": fresh_address()}) as client:
        assert login(client, CONSULTANT, DEMO_PASSWORD).status_code == 303
        client.token = csrf_from(client.get("/me").text)
        yield client


def assert_shown_to_the_person(response, status: int, title_da: str) -> None:
    assert response.status_code == status
    text = response.text
    assert f"<h1>{title_da}</h1>" in text
    header = text.split("</header>")[0]
    assert f'<a href="/me">{CONSULTANT_NAME}</a>' in header
    assert "Log ud" in header and 'href="/login"' not in header
    assert 'href="/todo"' in header  # their own navigation, not a visitor's
    assert '<html lang="da">' in text
    main = text.split('<main', 1)[1]
    # no English left on a Danish error page: neither the reason phrase nor the next steps
    for english in ("Forbidden", "Not Found", "Bad Request", "Method Not Allowed", "What you can do now",
                    "Go to your page", "Internal Server Error"):
        assert english not in main, english
    assert '<a href="/me">' in main and '<a href="/">' in main  # ways forward
    assert re.search(r'<span class="request-id">[0-9a-f]{12}</span>', main)


def test_403_shows_the_person_logged_in_and_whom_to_ask(person):
    response = person.get("/admin/audit")
    assert_shown_to_the_person(response, 403, "Adgang nægtet")
    assert "bed en administrator" in response.text


def test_404_of_an_unknown_address_knows_who_is_asking(person):
    response = person.get("/no/such/page")
    assert_shown_to_the_person(response, 404, "Siden findes ikke")
    assert 'href="/language/en?next=/no/such/page"' in response.text  # the switch keeps the address


def test_400_from_a_view(person):
    response = person.get("/payments/new")
    assert_shown_to_the_person(response, 400, "Ugyldig forespørgsel")
    assert "Vælg først et partnerskab" in response.text


def test_405_on_a_page_that_only_answers_get(person):
    response = person.post("/organisations", data={"csrf_token": person.token})
    assert_shown_to_the_person(response, 405, "Metoden er ikke tilladt")


def test_403_from_the_csrf_check(person):
    response = person.post("/logout", data={"csrf_token": "forged"})
    assert_shown_to_the_person(response, 403, "Adgang nægtet")
    assert "Formularen kunne ikke modtages" in response.text


def test_413_for_a_body_too_large(person):
    response = person.post("/logout", content=b"x" * (1024 * 1024 + 1),
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_shown_to_the_person(response, 413, "Forespørgslen er for stor")


def test_500_keeps_the_person_logged_in(person, monkeypatch):
    from core import todo

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in the to-do list")
    monkeypatch.setattr(todo, "items_for", broken)
    response = person.get("/todo")
    assert_shown_to_the_person(response, 500, "Noget gik galt")
    assert "RuntimeError" not in response.text


def test_a_visitor_is_offered_the_login(http):
    response = http.post("/organisations", headers={"Cookie": "lang=en"}, data={"q": "x"})
    assert response.status_code == 403
    main = response.text.split("<main", 1)[1]
    assert '<a href="/login">Log in</a>' in main and "/me" not in main


@pytest.mark.parametrize("status, title, step", [
    (409, "Konflikt", "Nogen har ændret det imens"),
    (429, "For mange forespørgsler", "Vent et par minutter"),
    (400, "Ugyldig forespørgsel", "Gå tilbage"),
])
def test_statuses_no_route_provokes_today_are_danish_too(app, status, title, step):
    scope = {"type": "http", "method": "GET", "path": "/x", "headers": Headers({"accept": "text/html"}).raw,
             "query_string": b"", "state": {}}
    sent = []

    async def receive():
        return {"type": "http.request", "body": b""}

    async def send(message):
        sent.append(message)

    import asyncio
    import threading
    with i18n.locale_context("da"):
        response = app.state.error_page(scope, status, "abcdef123456")
    # its own thread and event loop: the browser tests' Playwright may hold this thread's loop
    worker = threading.Thread(target=lambda: asyncio.run(response(scope, receive, send)))
    worker.start()
    worker.join(timeout=20)
    assert sent[0]["status"] == status
    html = b"".join(m.get("body", b"") for m in sent[1:]).decode()
    assert f"<h1>{title}</h1>" in html and step in html
