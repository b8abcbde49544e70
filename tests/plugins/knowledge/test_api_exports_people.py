"""The knowledge plugin's API operations, its export datasets and a person's own data: reads go
through the same visibility as the pages, a write through the same rules (422 per field), the
downloads are narrowed to what the person governs, and a person's learnings and comments are
in their own-data download and are forgotten when they delete their account."""
from __future__ import annotations

import csv
import io
import uuid

from core import db
from core.demo import DEMO_PASSWORD
from core.models.account import Account
from plugins.knowledge.models import Comment, Learning
from tests.core.auth.conftest import csrf_from, make_account  # noqa: F401 - a fixture
from tests.core.views._manage import as_user  # noqa: F401 - a fixture
from tests.plugins.knowledge.helpers import KBH_ADMIN, SLAGELSE_COORDINATOR, SLAGELSE_MEMBER, post, write


def test_the_api_reads_what_you_may_read(as_user, live_server):
    coordinator = as_user(SLAGELSE_COORDINATOR)
    network = write(coordinator, visibility="network")
    public = write(coordinator, visibility="public", title=f"Offentlig api {uuid.uuid4().hex[:6]}")
    anonymous = as_user()
    assert anonymous.get(f"/api/v1/knowledge/learnings/{public}").json()["visibility"] == "public"
    assert anonymous.get(f"/api/v1/knowledge/learnings/{network}").status_code == 404
    assert coordinator.get(f"/api/v1/knowledge/learnings/{network}").status_code == 200
    assert as_user(KBH_ADMIN).get(f"/api/v1/knowledge/learnings/{network}").status_code == 404
    listed = anonymous.get("/api/v1/knowledge/learnings", params={"limit": 200}).json()
    assert {item["visibility"] for item in listed["items"]} == {"public"}
    found = anonymous.get("/api/v1/knowledge/learnings", params={"q": "offentlig api"}).json()["items"]
    assert public in [item["id"] for item in found]
    assert anonymous.get("/api/v1/knowledge/learnings", params={"method": "nonsense"}).status_code == 400
    methods = anonymous.get("/api/v1/knowledge/methods").json()["items"]
    assert methods and {m["visibility"] for m in methods} == {"public"}
    spec = anonymous.get("/api/openapi.json").json()
    assert {"/api/v1/knowledge/learnings", "/api/v1/knowledge/learnings/{learning_id}",
            "/api/v1/knowledge/methods"} <= set(spec["paths"])


def test_the_api_writes_through_the_rules(as_user):
    from core.models.programme import Programme
    coordinator = as_user(SLAGELSE_COORDINATOR)
    token = coordinator.get("/me").text
    headers = {"X-CSRF-Token": csrf_from(token)}
    with db.connection():
        programme = Programme.get(Programme.slug == "slagelse-faellesskabsalliancen").id
    made = coordinator.post("/api/v1/knowledge/learnings", headers=headers, json={
        "title": "Via API", "summary": "Skrevet med API'et.", "visibility": "national", "programme_id": programme,
        "method": "bridging"})
    assert made.status_code == 201, made.text
    assert made.json()["method"] == "bridging"
    refused = coordinator.post("/api/v1/knowledge/learnings", headers=headers, json={
        "title": "X", "summary": "Y", "visibility": "national", "method": "magic"})
    assert refused.status_code == 422 and "method" in refused.json()["errors"]
    national = as_user("national@partnerskab.test")
    headers = {"X-CSRF-Token": csrf_from(national.get("/me").text)}
    assert national.post("/api/v1/knowledge/learnings", headers=headers, json={
        "title": "X", "summary": "Y", "visibility": "national"}).status_code == 403


def test_the_downloads_hold_what_you_govern(as_user):
    kbh = as_user(KBH_ADMIN)
    exports = kbh.get("/exports").text
    assert 'href="/exports/learnings.csv"' in exports and 'href="/exports/methods.csv"' in exports
    response = kbh.get("/exports/learnings.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    municipalities = {row[5] for row in rows[1:]}
    assert municipalities == {"Københavns Kommune"}, municipalities
    assert any("Blivende indsatser" in row[1] for row in rows)
    assert kbh.get("/exports/learnings.xlsx").status_code == 200


def test_no_cell_of_the_downloads_can_become_a_formula(as_user):
    coordinator = as_user(SLAGELSE_COORDINATOR)
    hostile = f"=HYPERLINK(\"http://evil.example\";\"{uuid.uuid4().hex[:6]}\")"
    write(coordinator, title=hostile, summary="@SUM(1+1)", body="-2+3", visibility="municipality")
    rows = list(csv.reader(io.StringIO(coordinator.get("/exports/learnings.csv").content.decode("utf-8-sig")),
                           delimiter=";"))
    mine = [row for row in rows if row[1].endswith(hostile)]
    assert len(mine) == 1 and mine[0][1:4] == ["'" + hostile, "'@SUM(1+1)", "'-2+3"], mine
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)


def test_a_persons_learnings_and_comments_are_theirs(as_user, make_account):
    email = make_account(role="resource_person", municipality=None, organisation=SLAGELSE_MEMBER,
                         password=DEMO_PASSWORD, name="Karla Frost")
    person = as_user(email)
    learning_id = write(person, visibility="network", organisation=SLAGELSE_MEMBER, title="Karlas erfaring")
    assert post(person, f"/learnings/{learning_id}/comments", {"comment": "Min egen kommentar"},
                f"/learnings/{learning_id}").status_code == 303
    data = person.get("/me/data.json").json()["plugins"]["knowledge"]
    assert [row["title"] for row in data["learnings"]] == ["Karlas erfaring"]
    assert [row["body"] for row in data["comments"]] == ["Min egen kommentar"]

    page = person.get("/me/delete")
    response = person.post("/me/delete", data={"password": DEMO_PASSWORD, "csrf_token": csrf_from(page.text)})
    assert response.status_code == 200
    with db.connection():
        assert not Account.select().where(Account.email == email).exists()
        learning = Learning.get_by_id(learning_id)
        assert learning.author_id is None and learning.author_name == ""   # the knowledge stays, nameless
        assert not Comment.select().where(Comment.body == "Min egen kommentar").exists()
    page = as_user(SLAGELSE_COORDINATOR).get(f"/learnings/{learning_id}")
    assert page.status_code == 200 and "Karla Frost" not in page.text
