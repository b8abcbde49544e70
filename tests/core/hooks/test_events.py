"""``on_committed``: events reach plugins only after the transaction that caused them commits —
never after a rollback, nor from a savepoint that was rolled back — and a plugin that fails
keeps the event from nobody and undoes nothing."""
from __future__ import annotations

import datetime
import logging

import pytest

from core import db, events
from core.hookspecs import hookimpl
from core.models.agreement import Agreement
from core.models.programme import Programme
from tests import fake_plugin
from tests.core.hooks.conftest import csrf_from


class Recorder:
    def __init__(self):
        self.heard: list[events.Event] = []

    @hookimpl
    def on_committed(self, platform, event):
        self.heard.append(event)

    def names(self) -> list[str]:
        return [event.data.get("tag", event.name) for event in self.heard]


@pytest.fixture
def recorder(fake_platform):
    recording = Recorder()
    fake_platform.pm.register(recording, name="recorder")
    yield recording
    fake_platform.pm.unregister(name="recorder")


def test_an_event_waits_for_the_commit(recorder, fake_platform):
    with db.connection():
        with db.database.atomic():
            events.emit("test.thing", None, "test", tag="inside")
            assert recorder.names() == []  # not yet: the transaction is open
        assert recorder.names() == ["inside"]
        events.emit("test.thing", None, "test", tag="outside")  # no transaction: at once
        assert recorder.names() == ["inside", "outside"]
    event = recorder.heard[0]
    assert event.name == "test.thing" and event.actor == "test" and event.at.tzinfo is not None


def test_a_rolled_back_transaction_tells_nobody(recorder):
    with db.connection():
        with pytest.raises(RuntimeError):
            with db.database.atomic():
                events.emit("test.thing", None, "test", tag="failed")
                raise RuntimeError("boom")
        with db.database.atomic() as txn:
            events.emit("test.thing", None, "test", tag="rolled back")
            txn.rollback()
    assert recorder.names() == []


def test_a_rolled_back_savepoint_drops_only_its_own_events(recorder):
    with db.connection():
        with db.database.atomic():
            events.emit("test.thing", None, "test", tag="outer")
            with pytest.raises(RuntimeError):
                with db.database.atomic():
                    events.emit("test.thing", None, "test", tag="inner, undone")
                    raise RuntimeError("the inner part fails; the outer goes on")
            with db.database.atomic():
                events.emit("test.thing", None, "test", tag="inner, kept")
            assert recorder.names() == []  # a released savepoint is not a commit
        assert recorder.names() == ["outer", "inner, kept"]


def test_a_failing_plugin_neither_stops_the_others_nor_undoes_the_change(recorder, fake_platform, caplog):
    class Broken:
        @hookimpl(tryfirst=True)
        def on_committed(self, platform, event):
            raise RuntimeError("the broken plugin fails")

    fake_platform.pm.register(Broken(), name="broken")
    try:
        with db.connection():
            with caplog.at_level(logging.ERROR, logger="partnerskab.events"):
                with db.database.atomic():
                    row = fake_plugin.FakeNote.create(text="kept although a plugin fails")
                    events.emit("test.thing", row, "test", tag="told anyway")
            assert fake_plugin.FakeNote.get_or_none(fake_plugin.FakeNote.id == row.id) is not None
            fake_plugin.FakeNote.delete().where(fake_plugin.FakeNote.id == row.id).execute()
    finally:
        fake_platform.pm.unregister(name="broken")
    assert recorder.names() == ["told anyway"]
    assert any("plugin broken failed on the event test.thing" in r.getMessage() for r in caplog.records)


# --- the core's events, seen by the fake plugin over HTTP ---------------------------------------

def heard(name: str, object_id) -> int:
    with db.connection():
        return (fake_plugin.FakeRecord.select()
                .where(fake_plugin.FakeRecord.kind == "event", fake_plugin.FakeRecord.text == name,
                       fake_plugin.FakeRecord.object_id == str(object_id)).count())


def test_extending_an_agreement_reaches_the_plugin_after_commit(logged_in):
    with db.connection():
        agreement = (Agreement.select().join(Programme)
                     .where(Programme.slug == "kobenhavn-sociale-partnerskaber", Programme.end_date.is_null())
                     .order_by(Agreement.id).first())
    before = heard("agreement.extended", agreement.id)  # the demo data extends some agreements too
    admin, _ = logged_in("municipality_admin", municipality="0101")
    page = admin.get(f"/agreements/{agreement.id}")
    token = csrf_from(page.text)
    refused = admin.post(f"/agreements/{agreement.id}/extend",
                         data={"new_end": "2000-01-01", "reason": "too early", "csrf_token": token})
    assert refused.status_code == 400
    assert heard("agreement.extended", agreement.id) == before  # refused: nothing happened, nothing told
    new_end = (agreement.end_date + datetime.timedelta(days=365)).isoformat()
    done = admin.post(f"/agreements/{agreement.id}/extend",
                      data={"new_end": new_end, "reason": "a good year", "csrf_token": token})
    assert done.status_code == 303
    assert heard("agreement.extended", agreement.id) == before + 1


def test_a_new_resource_person_reaches_the_plugin(logged_in):
    from core.models.resource_person import ResourcePerson
    with db.connection():
        agreement = (Agreement.select().join(Programme).where(Programme.slug == "kobenhavn-sociale-partnerskaber")
                     .where(Agreement.end_date >= datetime.date.today()).order_by(Agreement.id.desc()).first())
        people = ResourcePerson.select().where(ResourcePerson.agreement == agreement.id).count()
    consultant, _ = logged_in("consultant", municipality="0101")
    token = csrf_from(consultant.get(f"/agreements/{agreement.id}").text)
    response = consultant.post(f"/agreements/{agreement.id}/resource-person", data={
        "name": "Ny Ressourceperson", "email": "ny@example.org", "hours_per_week": "22", "adult": "yes",
        "started_on": datetime.date.today().isoformat(), "handover_note": "Alt om foreningen står i noterne.",
        "csrf_token": token})
    assert response.status_code == 303, response.text
    with db.connection():
        person = (ResourcePerson.select().where(ResourcePerson.agreement == agreement.id)
                  .order_by(ResourcePerson.id.desc()).first())
        assert ResourcePerson.select().where(ResourcePerson.agreement == agreement.id).count() == people + 1
    assert heard("resource_person.changed", person.id) == 1
