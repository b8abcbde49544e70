"""``page_blocks`` on every page family and the national overview page; ``navigation_links``
decided per role. Over HTTP on the app with the fake plugin, whose block names the page's main
object, so a block that got the wrong context shows it."""
from __future__ import annotations

import re

import pytest
from playhouse.test_utils import count_queries

from core import db
from core.demo import DEMO_PASSWORD
from core.models.agreement import Agreement
from core.models.application import Application
from core.models.call import Call
from core.models.municipality import Municipality
from core.models.programme import Programme
from core.web.pages import PAGES
from tests import fake_plugin
from tests.core.hooks.conftest import login

ROSKILDE = "roskilde-sociale-partnerskabsforeninger"


def blocks(text: str) -> list[str]:
    main = text[text.index("<main"):text.index("</main>")]
    return re.findall(r'<section class="fake-plugin-block" data-where="([^"]*)"', main)


@pytest.fixture
def admin(client):
    return login(client(), "admin@partnerskab.test", DEMO_PASSWORD)


def test_every_page_family_shows_the_blocks_with_its_own_objects(admin, client):
    with db.connection():
        agreement = Agreement.select().order_by(Agreement.id).first()
        application = Application.select().order_by(Application.id).first()
        call = Call.select().order_by(Call.id).first()
        municipalities = Municipality.select().count()
    expected = {
        "home": ("/", "home"),
        "programme": (f"/programmes/{ROSKILDE}", f"programme {ROSKILDE}"),
        "organisation": ("/organisations/roskilde-basketball-club-rbbc",
                         "organisation roskilde-basketball-club-rbbc"),
        "municipality": ("/municipalities/0265", "municipality 0265"),
        "call": (f"/calls/{call.id}", f"call {call.id}"),
        "application": (f"/applications/{application.id}", f"application {application.id}"),
        "agreement": (f"/agreements/{agreement.id}", f"agreement {agreement.id}"),
        "me": ("/me", "me admin@partnerskab.test"),
        "manage": ("/manage", None),
        "todo": ("/todo", None),
        "national": ("/national", f"national {municipalities} municipalities"),
    }
    assert set(expected) == set(PAGES)
    for page, (path, where) in expected.items():
        response = admin.get(path)
        assert response.status_code == 200, path
        found = blocks(response.text)
        assert len(found) == 1, (page, found)
        if where is not None:
            assert found[0] == where, page
        else:
            assert re.fullmatch(rf"{page} \d+ (programmes|items)", found[0]), found[0]
    # the count in the /manage block is the number of programmes the page lists
    manage = admin.get("/manage").text
    listed = len(re.findall(r'<tr><td[^>]*><a href="/programmes/', manage))
    assert blocks(manage) == [f"manage {listed} programmes"]


def test_blocks_come_after_the_pages_own_content(admin):
    text = admin.get(f"/programmes/{ROSKILDE}").text
    main = text[text.index("<main"):text.index("</main>")]
    assert main.index("fake-plugin-block") > main.index('id="network"')
    national = admin.get("/national").text
    assert national.index("fake-plugin-block") > national.index('id="national-municipalities"')


def test_an_unknown_page_family_is_a_mistake(fake_app):
    from starlette.requests import Request
    from core.web.pages import page_blocks
    request = Request({"type": "http", "app": fake_app, "method": "GET", "path": "/", "headers": []})
    with pytest.raises(ValueError, match="unknown page family 'dashboard'"):
        page_blocks(request, "dashboard", {})


def test_a_blocks_data_does_not_add_queries_per_row(admin, fake_programme):
    """/manage and /national with the fake plugin's dashboard block: the block counts its
    records for every programme (or municipality) on the page in one query, so more records
    mean no more queries."""
    programme = fake_programme["programme"]
    municipality = fake_programme["municipality"]

    def queries(path: str) -> int:
        with count_queries() as counter:
            response = admin.get(path)
        assert response.status_code == 200
        return counter.count

    before = {path: queries(path) for path in ("/manage", "/national")}
    totals = {path: int(re.search(r'class="fake-total">(\d+) fake records', admin.get(path).text).group(1))
              for path in before}
    with db.connection():
        for n in range(12):
            fake_plugin.FakeRecord.create(kind="api", text=f"row {n}", municipality=municipality.id,
                                          programme_id=programme.id, status="done")
    after = {path: queries(path) for path in before}
    assert after == before
    for path in before:  # and the block did see the new rows
        total = int(re.search(r'class="fake-total">(\d+) fake records', admin.get(path).text).group(1))
        assert total == totals[path] + 12, path


# --- the national overview ---------------------------------------------------------------------

def test_the_national_overview_is_for_the_national_coordinator(client, logged_in):
    national = login(client(), "national@partnerskab.test", DEMO_PASSWORD)
    response = national.get("/national")
    assert response.status_code == 200
    assert "<h1>National overview</h1>" in response.text
    table = response.text[response.text.index('id="national-municipalities"'):]
    for name in ("Københavns Kommune", "Roskilde Kommune", "Slagelse Kommune", "Hillerød Kommune"):
        assert name in table
    nav = re.search(r'<nav class="main-nav".*?</nav>', response.text, re.S).group(0)
    assert '<a href="/national">National overview</a>' in nav
    consultant, _ = logged_in("consultant", municipality="0101")
    assert consultant.get("/national").status_code == 403
    assert 'href="/national"' not in consultant.get("/me").text
    anonymous = client()
    assert anonymous.get("/national").headers["location"] == "/login?next=/national"


def test_the_national_overview_adds_up(client):
    """The totals row is the sum of the municipalities' rows, and Copenhagen's grants are the
    sum of its programmes' grants."""
    from peewee import fn

    from core.models.money import Grant
    national = login(client(), "national@partnerskab.test", DEMO_PASSWORD)
    text = national.get("/national").text
    with db.connection():
        copenhagen = (Grant.select(fn.SUM(Grant.amount_ore)).join(Programme).join(Municipality)
                      .where(Municipality.code == "0101", Grant.deleted_at.is_null()).scalar())
    row = re.search(r'<a href="/municipalities/0101">Københavns Kommune</a></th>(.*?)</tr>', text, re.S).group(1)
    cells = re.findall(r'<td class="num">([^<]*)</td>', row)
    assert cells[3].replace("\xa0", " ") == f"DKK {copenhagen // 100:,}"


# --- navigation per role -----------------------------------------------------------------------

def nav(text: str) -> str:
    return re.search(r'<nav class="main-nav".*?</nav>', text, re.S).group(0)


def test_navigation_links_are_decided_per_role(client, logged_in):
    anonymous = nav(client().get("/").text)
    assert '<a href="/fake">Fake nav link</a>' in anonymous
    assert "Fake consultant link" not in anonymous
    consultant, _ = logged_in("consultant", municipality="0265")
    text = nav(consultant.get("/").text)
    assert '<a href="/fake/private">Fake consultant link</a>' in text
    board, _ = logged_in("board_member", organisation="roskilde-basketball-club-rbbc")
    assert "Fake consultant link" not in nav(board.get("/").text)
    # the link leads somewhere the consultant may go, and the board member may not
    assert consultant.get("/fake/private").status_code == 200
    assert board.get("/fake/private").status_code == 403
