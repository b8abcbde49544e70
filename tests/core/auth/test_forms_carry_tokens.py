"""Every form that posts carries a non-empty CSRF token, on every page a person can reach.

A template that imports the csrf macro without context renders ``value=""``; the browser then
gets 403 on submit while HTTP tests that take the first token on the page (often the logout
form's) still pass. This crawl walks the site as the platform administrator (who sees every
form) and checks each ``<form method="post">`` on each page.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from tests.core.auth.conftest import login

DEMO_PASSWORD = "demo-partnerskab-2025"
MAX_PAGES = 400
SKIP = ("/logout", "/static/", "/language/", "/exports/", "/admin/audit.csv", "/api/", "/me/data.json")


class Forms(HTMLParser):
    """Collects links and, per post form, whether it holds a non-empty csrf_token."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._form: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._form = {"method": (attrs.get("method") or "get").lower(), "action": attrs.get("action", ""),
                          "token": None}
            self.forms.append(self._form)
        elif tag == "input" and self._form is not None and attrs.get("name") == "csrf_token":
            self._form["token"] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def test_every_post_form_on_every_reachable_page_has_a_token(client):
    response = login(client, "admin@partnerskab.test", DEMO_PASSWORD)
    assert response.status_code == 303
    seen, queue, problems, post_forms = set(), ["/me", "/", "/manage", "/todo", "/payments", "/calls"], [], 0
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        page = client.get(path)
        if page.status_code != 200 or "text/html" not in page.headers.get("content-type", ""):
            continue
        parser = Forms()
        parser.feed(page.text)
        for form in parser.forms:
            if form["method"] == "post":
                post_forms += 1
                if not form["token"]:
                    problems.append(f"{path}: form to {form['action'] or path} has no CSRF token")
        for href in parser.links:
            href = urldefrag(href)[0]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not href.startswith("/") or href.startswith(SKIP):
                continue
            # one page per list with query strings is enough: skip paging and filters
            if parts.query and re.search(r"(page|before|after|q)=", parts.query):
                continue
            if href not in seen:
                queue.append(href)
    assert post_forms > 20, f"the crawl found only {post_forms} post forms on {len(seen)} pages"
    assert not problems, "\n".join(problems)
