"""Learnings and methods as federation feed kinds: what is shared nationally is published with its
data (never the author's name, never the comments); a learning made private again, deleted, or
in a municipality that stops sharing the kind is published as ``deleted`` with a newer change
number; the harvester's checks take a published page as it is and refuse a bad one."""
from __future__ import annotations

import uuid

import pytest

from core import db
from plugins.federation import sharing
from plugins.federation.feed import page
from plugins.federation.kinds import Invalid, kinds_for, municipality_scope
from plugins.knowledge.models import Learning
from tests.core.auth.conftest import csrf_from
from tests.core.views._manage import as_user  # noqa: F401 - a fixture
from tests.plugins.knowledge.helpers import SLAGELSE_COORDINATOR, post, write


def _items(platform, kind: str, after: int) -> dict[str, dict]:
    with db.connection():
        published = page(kinds_for(platform)[kind], after, 500)
    return {item["id"]: item for item in published["items"]}


def _cursor() -> int:
    with db.connection():
        return db.database.execute_sql("SELECT value FROM change_counter WHERE name = 'global'").fetchone()[0]


def test_shared_learnings_are_published_and_unshared_ones_are_tombstones(platform, as_user):
    coordinator = as_user(SLAGELSE_COORDINATOR)
    start = _cursor()
    national = write(coordinator, visibility="national", title=f"Feed national {uuid.uuid4().hex[:6]}",
                     method="bridging", focus_area="general:bridging", body="**Fed** tekst")
    network = write(coordinator, visibility="network")
    public = write(coordinator, visibility="public")
    items = _items(platform, "learnings", start)
    assert items[str(national)]["state"] == "updated" and items[str(public)]["state"] == "updated"
    assert items[str(network)]["state"] == "deleted" and "data" not in items[str(network)]
    data = items[str(national)]["data"]
    assert data["method"] == "bridging" and data["body"] == "**Fed** tekst"
    assert data["focus_area"] == {"key": "general:bridging", "title": {"da": "Brobygning til fællesskaber og foreninger",
                                                                       "en": "Bridging into communities and associations"}}
    assert data["municipality"] == {"code": "0330", "name": "Slagelse Kommune"}
    assert "author" not in str(data) and "Hanne Madsen" not in str(data)
    # the harvesting side takes the published data as it is
    kind = kinds_for(platform)["learnings"]
    assert kind.validate(data)["title"] == data["title"]

    # made private again: a newer change number, published as deleted
    step = _cursor()
    form = coordinator.get(f"/learnings/{national}/edit")
    with db.connection():
        programme = Learning.get_by_id(national).programme_id
    assert coordinator.post(f"/learnings/{national}/edit", data={
        "title": data["title"], "summary": data["summary"], "visibility": "municipality", "programme": str(programme),
        "csrf_token": csrf_from(form.text)}).status_code == 303
    items = _items(platform, "learnings", step)
    assert items[str(national)]["state"] == "deleted" and items[str(national)]["modified"] > step
    # deleted: a tombstone
    step = _cursor()
    assert post(coordinator, f"/learnings/{public}/delete", {}, f"/learnings/{public}").status_code == 303
    items = _items(platform, "learnings", step)
    assert items[str(public)]["state"] == "deleted"


def test_a_municipality_that_stops_sharing_learnings_publishes_deletions(platform, as_user):
    coordinator = as_user(SLAGELSE_COORDINATOR)
    learning_id = write(coordinator, visibility="national")
    with db.connection():
        scope = municipality_scope(Learning.get_by_id(learning_id).municipality_id)
        kinds = kinds_for(platform)
        assert scope in sharing.shared_scopes().get("learnings", set())
    step = _cursor()
    try:
        with db.connection():
            sharing.set_sharing(kinds, {(scope, "learnings"): False}, {scope}, "test")
        items = _items(platform, "learnings", step)
        assert items[str(learning_id)]["state"] == "deleted"
    finally:
        with db.connection():
            sharing.set_sharing(kinds, {(scope, "learnings"): True}, {scope}, "test")
    items = _items(platform, "learnings", step)
    assert items[str(learning_id)]["state"] == "updated"


def test_methods_are_published_with_their_sections(platform):
    items = _items(platform, "methods", 0)
    published = [item["data"] for item in items.values() if item["state"] == "updated"]
    bridging = next(data for data in published if data["method_key"] == "bridging")
    assert bridging["municipality"]["code"] == "0219" and "1." in bridging["steps"]
    assert kinds_for(platform)["methods"].validate(bridging)["method_key"] == "bridging"


@pytest.mark.parametrize("broken", [
    {"title": ""}, {"title": 5}, {"summary": "x" * 501}, {"visibility": "network"}, {"method": "Not A Key"},
    {"url": "javascript:alert(1)"}, {"focus_area": {"key": "x", "title": {"da": "a", "en": "b"}}},
    {"created": "yesterday"}, {"illustrative": "yes"}, {"municipality": {"code": "12", "name": "x"}},
])
def test_the_harvester_refuses_bad_learnings(platform, broken):
    good = {"title": "T", "summary": "S", "body": "", "method": None, "source": None, "illustrative": False,
            "municipality": {"code": "0330", "name": "Slagelse Kommune"}, "organisation": None, "programme": None,
            "focus_area": None, "target_group": None, "visibility": "national", "created": "2026-01-01",
            "updated": "2026-01-02", "url": None}
    kind = kinds_for(platform)["learnings"]
    assert kind.validate(good)["title"] == "T"
    with pytest.raises(Invalid):
        kind.validate({**good, **broken})
