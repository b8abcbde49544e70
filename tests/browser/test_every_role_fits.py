"""Every demo role, on a phone (390 px) and a desktop (1280 px): each page reachable from the
role's navigation, from /me and /todo fits the screen (the page never scrolls sideways) and
every control on it has an accessible name.

To stay quick, each kind of page is visited once per role (``/agreements/3`` stands for every
agreement, one programme for every programme), and the public pages, which differ between
roles only in the header (checked on every page), are visited in full for the roles with the
longest and the shortest navigation.

Two names are made long for the run — an association's name and a person's name, each one
word of 120 letters, the way a pasted name without spaces arrives — because that is what
once widened pages to 4,000 px; they are put back afterwards.
"""
from __future__ import annotations

import pytest

from core import db
from core.demo import DEMO_PASSWORD
from core.models.account import Account
from core.models.organisation import Organisation

pytestmark = pytest.mark.browser

# one demo account per role (README, "Demo accounts")
ROLES = {
    "platform_admin": "admin@partnerskab.test",
    "municipality_admin": "kbh-admin@partnerskab.test",
    "consultant": "kbh-konsulent@partnerskab.test",
    "volunteer_centre_coordinator": "slagelse-frivilligcenter@partnerskab.test",
    "resource_person": "rbbc-ressourceperson@partnerskab.test",
    "board_member": "rbbc-bestyrelse@partnerskab.test",
    "national_coordinator": "national@partnerskab.test",
}
VIEWPORTS = [(390, 844), (1280, 900)]
COLLECTIONS = {"programmes", "organisations", "municipalities", "applications", "agreements", "payments", "calls"}
PUBLIC = {"/organisations", "/organisations/#", "/programmes", "/programmes/#", "/municipalities",
          "/municipalities/#", "/calls", "/calls/#", "/budgets"}
ALL_PUBLIC_PAGES_FOR = {"platform_admin", "resource_person"}
LONG_WORD = "Foreningsnavnudenmellemrum" * 5  # 130 letters, no place to break

PAGES_OF = """() => {
  const own = (a) => a.getAttribute('href') && a.getAttribute('href').startsWith('/')
      && !a.getAttribute('href').startsWith('/language/') && !a.hasAttribute('download')
      && !a.getAttribute('href').match(/\\.(csv|json|xlsx)(\\?|$)/);
  const nav = [...document.querySelectorAll('nav.main-nav a, nav.account a')].filter(own);
  return nav.map((a) => a.getAttribute('href'));
}"""

MAIN_LINKS = """() => [...document.querySelectorAll('main a')].map((a) => a.getAttribute('href'))
    .filter((h) => h && h.startsWith('/') && !h.startsWith('/language/') && !h.match(/\\.(csv|json|xlsx)(\\?|$)/))"""

CHECK = """() => {
  const name = (el) => {
    const byLabel = [...(el.labels || [])].map((l) => l.innerText.trim()).join(' ');
    const byAria = (el.getAttribute('aria-label') || '').trim();
    const byRef = (el.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean)
        .map((id) => (document.getElementById(id) || {}).textContent || '').join(' ').trim();
    const byText = el.tagName === 'BUTTON' ? el.textContent.trim() : '';
    const byValue = ['submit', 'button', 'reset'].includes(el.type) ? (el.value || '').trim() : '';
    return byLabel || byAria || byRef || byText || byValue || (el.title || '').trim();
  };
  const unnamed = [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button')]
      .filter((el) => !name(el)).map((el) => el.outerHTML.slice(0, 160));
  const wide = [...document.querySelectorAll('main *, header *')]
      .filter((el) => el.getBoundingClientRect().right > innerWidth + 1)
      .filter((el) => !el.closest('.table-scroll, .visually-hidden') && getComputedStyle(el).position !== 'absolute')
      .slice(0, 3).map((el) => el.tagName + '.' + el.className + ': ' + (el.textContent || '').trim().slice(0, 40));
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth, unnamed, wide};
}"""


@pytest.fixture
def long_names(app):
    """The RBBC association and its resource person get one long word as name, for the run."""
    with db.connection():
        organisation = Organisation.get(Organisation.slug == "roskilde-basketball-club-rbbc")
        person = Account.get(Account.email == ROLES["resource_person"])
        saved = (organisation.name, person.name)
        Organisation.update(name=LONG_WORD).where(Organisation.id == organisation.id).execute()
        Account.update(name=LONG_WORD[:100]).where(Account.id == person.id).execute()
    yield
    with db.connection():
        Organisation.update(name=saved[0]).where(Organisation.id == organisation.id).execute()
        Account.update(name=saved[1]).where(Account.id == person.id).execute()


def log_in(page, live_server: str, email: str) -> None:
    page.goto(live_server + "/login")
    page.fill("#login-email", email)
    page.fill("#login-password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.press("#login-password", "Enter")
    assert page.url.endswith("/me"), page.url


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_of_every_role_fits_a_phone_and_a_desktop(browser, live_server, long_names, role):
    context = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems: list[str] = []
    page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    try:
        log_in(page, live_server, ROLES[role])
        paths = page.evaluate(PAGES_OF)
        for start in ("/me", "/todo"):
            page.goto(live_server + start)
            paths += [start] + page.evaluate(MAIN_LINKS)
        seen_kinds, visit = set(), []
        for path in dict.fromkeys(paths):
            parts = path.split("?")[0].split("#")[0].split("/")
            if len(parts) > 2 and parts[1] in COLLECTIONS:
                parts[2] = "#"
            kind = "/".join(parts)
            if kind in seen_kinds or (kind in PUBLIC and role not in ALL_PUBLIC_PAGES_FOR):
                continue
            seen_kinds.add(kind)
            visit.append(path)
        assert "/me" in visit and "/todo" in visit and len(visit) >= 6, visit
        for width, height in VIEWPORTS:
            page.set_viewport_size({"width": width, "height": height})
            for path in visit:
                page.goto(live_server + path)
                result = page.evaluate(CHECK)
                if result["scrollWidth"] > result["innerWidth"]:
                    problems.append(f"{width}px {path}: the page is {result['scrollWidth']}px wide: {result['wide']}")
                for control in result["unnamed"]:
                    problems.append(f"{width}px {path}: a control without a name: {control}")
    finally:
        context.close()
    assert not problems, f"{role}:\n" + "\n".join(problems)
