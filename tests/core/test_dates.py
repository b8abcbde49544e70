"""One way of showing dates (issue 7): Babel's medium form, "1. dec. 2026" in Danish and
"1 Dec 2026" in English, on every page and in every message — not "2026-12-31", "01.07.2020"
or "1. december 2026" side by side as before."""
from __future__ import annotations

import contextlib
import datetime
import html
import re
import uuid

import httpx
import pytest

from core import i18n
from core.demo import DEMO_PASSWORD
from core.i18n import Message

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
DANISH_MONTHS = "januar|februar|marts|april|juni|juli|august|september|oktober|november|december"  # "maj" is both
OTHER_WAYS = re.compile(rf"\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b\d{{2}}\.\d{{2}}\.\d{{4}}\b|\b\d{{1,2}}\. (?:{DANISH_MONTHS}) \d{{4}}\b"
                        r"|\b\d{1,2} (?:January|February|March|April|June|July|August|September|October|"
                        r"November|December) \d{4}\b")


def test_the_one_way_in_both_languages():
    day = datetime.date(2026, 12, 1)
    with i18n.locale_context("da"):
        assert i18n.format_date(day) == "1. dec. 2026"
        assert i18n.format_date_input(day) == "01.12.2026"
        assert "1. dec. 2026" in str(Message("Ends on %(date)s", date=day))
        # a stored time (UTC) is shown in Danish time: 23:30 UTC on 31 December is New Year's Day
        assert i18n.format_date(datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.timezone.utc)) \
            == "1. jan. 2027"
        assert i18n.format_datetime(datetime.datetime(2026, 7, 1, 12, 5, tzinfo=datetime.timezone.utc)) \
            == "1. jul. 2026 14.05"
    with i18n.locale_context("en"):
        assert i18n.format_date(day) == "1 Dec 2026"
        assert i18n.format_date_input(day) == "01/12/2026"
        assert str(Message("Ends on %(date)s", date=day)) == "Ends on 1 Dec 2026"


def visible_text(page: str) -> str:
    """The words a reader sees: no tags, attributes, scripts or form values."""
    page = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page)
    page = re.sub(r"(?s)<[^>]+>", " ", page)
    return html.unescape(page)


@pytest.fixture(scope="module")
def admin(live_server):
    n = uuid.uuid4().int
    client = httpx.Client(base_url=live_server, timeout=30, follow_redirects=False,
                          headers={"X-Forwarded-For": f"10.{n % 250 + 1}.{(n >> 8) % 250 + 1}.{n % 7 + 1}"})
    page = client.get("/login")
    assert client.post("/login", data={"email": "admin@partnerskab.test", "password": DEMO_PASSWORD,
                                       "csrf_token": CSRF_FIELD.search(page.text).group(1)}).status_code == 303
    with contextlib.closing(client):
        yield client


@pytest.mark.parametrize("language", ["da", "en"])
def test_pages_show_dates_one_way(admin, language):
    admin.cookies.set("lang", language)
    pages = ["/programmes", "/calls", "/applications", "/agreements", "/payments", "/todo", "/me/tokens",
             "/admin/outbox", "/me/data", "/me/two-factor"]
    for listing, pattern in (("/programmes", r'href="(/programmes/[a-z0-9-]+)"'),
                             ("/calls", r'href="(/calls/\d+)"'), ("/applications", r'href="(/applications/\d+)"'),
                             ("/agreements", r'href="(/agreements/\d+)"'), ("/payments", r'href="(/payments/\d+)"')):
        pages += sorted(set(re.findall(pattern, admin.get(listing).text)))[:4]
    dated = 0
    for path in pages:
        response = admin.get(path)
        assert response.status_code == 200, path
        text = visible_text(response.text)
        assert not OTHER_WAYS.findall(text), (path, OTHER_WAYS.findall(text)[:5])
        dated += bool(re.search(r"\b\d{1,2}\.? [A-Za-zæøå]{3,4}\.? \d{4}\b", text))
    assert dated >= 5  # the pages do show dates, in the one way
