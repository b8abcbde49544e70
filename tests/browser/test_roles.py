"""One browser test per role: a newcomer logs in with their demo account through the real
login form (keyboard only), lands on /me with their roles, does one thing their role is for,
and logs out — after which the session is gone on the server too (a replayed cookie is refused)."""
from __future__ import annotations

import re
import uuid
from urllib.parse import unquote

import httpx
import pytest

from core import db
from core.demo import DEMO_PASSWORD
from core.models.account import Account
from core.models.audit import record_event
from core.models.municipality import Municipality
from core.models.organisation import Organisation
from core.models.programme import Programme

pytestmark = pytest.mark.browser

# email, role label on /me, where the role is held, what the person does
ROLES = [
    ("admin@partnerskab.test", "Platform administrator", "the whole platform", "read the whole audit log"),
    ("kbh-admin@partnerskab.test", "Municipality administrator", "Københavns Kommune",
     "read the municipality's audit log"),
    ("kbh-konsulent@partnerskab.test", "Consultant", "Københavns Kommune", "open a programme"),
    ("slagelse-frivilligcenter@partnerskab.test", "Volunteer-centre coordinator", "Frivilligcenter Slagelse",
     "open a programme"),
    ("rbbc-ressourceperson@partnerskab.test", "Resource person", "Roskilde Basketball Club (RBBC)",
     "open a programme"),
    ("rbbc-bestyrelse@partnerskab.test", "Board member", "Roskilde Basketball Club (RBBC)", "open a programme"),
    ("national@partnerskab.test", "National coordinator", "the whole platform", "open a programme"),
]


def expect_refusals(page, *paths: str) -> None:
    """Forget the 403s a test provoked on purpose (the page fixture fails on any other)."""
    def expected(problem: str) -> bool:
        return "403" in problem and any(re.search(re.escape(path) + r"\b(?![/.])", problem) for path in paths)
    page.problems[:] = [p for p in page.problems if not expected(p)]


def log_in_with_the_keyboard(page, live_server: str, email: str) -> None:
    page.goto(live_server + "/login")
    page.get_by_label("Email address").focus()
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "login-password"
    page.keyboard.type(DEMO_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == live_server + "/me"


def log_out_and_check_the_session_is_gone(page, context, live_server: str) -> None:
    before = {c["name"]: c["value"] for c in context.cookies()}
    with page.expect_navigation():
        page.get_by_role("button", name="Log out").click()
    assert page.get_by_role("link", name="Log in").count() == 1
    page.goto(live_server + "/me")
    assert unquote(page.url).startswith(live_server + "/login?next=/me")
    # the old cookies, replayed by someone who copied them, no longer open anything
    replay = httpx.get(live_server + "/me", cookies=before, follow_redirects=False, timeout=10)
    assert replay.status_code == 303 and replay.headers["location"].startswith("/login")


def audit_rows(page) -> list[dict]:
    return page.eval_on_selector_all("table.audit tbody tr", """(rows) => rows.map((row) => ({
        actor: row.cells[1].innerText, action: row.cells[2].innerText, scope: row.cells[4].innerText}))""")


def filter_the_audit_log(page, **choices: str) -> None:
    """Pick each filter from its list by the words shown (nothing to type)."""
    labels = {"action": "What they did", "scope": "Where", "person": "Person"}
    for name, option in choices.items():
        page.get_by_label(labels[name]).select_option(label=option)
    with page.expect_navigation():
        page.get_by_role("button", name="Filter").click()


@pytest.fixture
def english(context, live_server):
    context.add_cookies([{"name": "lang", "value": "en", "url": live_server}])
    return context


@pytest.mark.parametrize("email, role, where, task", ROLES, ids=[r[0].split("@")[0] for r in ROLES])
def test_a_person_logs_in_does_their_work_and_logs_out(page, english, live_server, email, role, where, task):
    log_in_with_the_keyboard(page, live_server, email)
    roles = page.locator("ul.roles li")
    assert roles.count() == 1
    assert re.sub(r"\s+", " ", roles.first.inner_text()).strip() == f"{role} – {where}"
    audit_link = page.locator('nav.main-nav a[href="/admin/audit"]')

    if task == "read the whole audit log":
        audit_link.click()
        assert page.locator("h1").inner_text() == "Audit log"
        with db.connection():
            name = Account.get(Account.email == email).name
        filter_the_audit_log(page, action="logged in", person=name)
        assert "action=login.success" in page.url
        rows = audit_rows(page)
        assert rows and all(r["action"] == "logged in" and r["actor"] == name for r in rows)

    elif task == "read the municipality's audit log":
        tag = f"browser{uuid.uuid4().hex[:8]}"
        with db.connection():
            kbh = Municipality.get(Municipality.code == "0101")
            roskilde = Municipality.get(Municipality.code == "0265")
            record_event("test", f"{tag}.ours", "thing", "1", scope=f"municipality:{kbh.id}")
            record_event("test", f"{tag}.theirs", "thing", "2", scope=f"municipality:{roskilde.id}")
            allowed = ({kbh.name}
                       | {p.name for p in Programme.select().where(Programme.municipality == kbh.id)}
                       | {o.name for o in Organisation.select().where(Organisation.municipality == kbh.id)})
        audit_link.click()
        assert page.locator("h1").inner_text() == "Audit log"
        assert all(r["scope"] in allowed for r in audit_rows(page))  # places named, all their own
        filter_the_audit_log(page, scope="Københavns Kommune")
        actions = [r["action"] for r in audit_rows(page)]
        assert f"{tag}.ours" in actions and f"{tag}.theirs" not in actions

    else:
        assert audit_link.count() == 0
        page.goto(live_server + "/admin/audit")
        assert page.locator("h1").inner_text() == "Forbidden"
        expect_refusals(page, "/admin/audit")
        page.goto(live_server + "/me")
        # a programme's own page (to-do items of plugins may link further into a programme)
        links = page.locator("main ul:not(.roles) a[href^='/programmes/']")
        first = next(links.nth(i) for i in range(links.count())
                     if re.fullmatch(r"/programmes/[^/?#]+", links.nth(i).get_attribute("href")))
        name = first.inner_text()
        first.click()
        assert page.locator("h1").inner_text() == name

    log_out_and_check_the_session_is_gone(page, english, live_server)
