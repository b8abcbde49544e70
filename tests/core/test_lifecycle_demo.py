"""The lifecycle demo data: every state for each of the four programmes, idempotent, and the
to-do lists it fills, read over HTTP by the demo accounts."""
from __future__ import annotations

import datetime

from core import db
from core.models.agreement import Agreement
from core.models.application import Application
from core.models.call import Call
from core.models.programme import Programme
from core.models.resource_person import HandoverNote, ResourcePerson
from tests.core.views._lifecycle import people

__all__ = ["people"]
SLUGS = ("kobenhavn-sociale-partnerskaber", "roskilde-sociale-partnerskabsforeninger",
         "slagelse-faellesskabsalliancen", "hillerod-tuff")


def _states(slug):
    programme = Programme.get(Programme.slug == slug)
    today = datetime.date.today()
    calls = {c.state(today) for c in Call.select().where(Call.programme == programme.id)}
    statuses = {a.status for a in Application.select().join(Call).where(Call.programme == programme.id)}
    agreements = list(Agreement.select().where(Agreement.programme == programme.id))
    notes = HandoverNote.select().join(Agreement).where(Agreement.programme == programme.id).count()
    return calls, statuses, agreements, notes


def test_every_programme_shows_the_lifecycle(dbconn):
    for slug in SLUGS:
        calls, statuses, agreements, notes = _states(slug)
        assert "closed" in calls and {"accepted", "rejected", "withdrawn"} <= statuses, slug
        assert agreements and notes >= 1, slug
        if slug != "roskilde-sociale-partnerskabsforeninger":  # Roskilde's programme ended in 2023
            assert "open" in calls and {"draft", "submitted", "under_review"} <= statuses, slug
    today = datetime.date.today()
    soon = today + datetime.timedelta(days=90)
    ending = Agreement.select().where(Agreement.end_date.between(today, soon)).count()
    running = Agreement.select().where(Agreement.start_date <= today, Agreement.end_date > soon).count()
    assert ending and running


def test_the_demo_is_idempotent(platform, dbconn):
    from core import demo
    models = (Call, Application, Agreement, ResourcePerson, HandoverNote)
    with db.database.atomic() as txn:
        before = [m.select().count() for m in models]
        platform.pm.hook.load_demo_data(platform=platform)
        assert [m.select().count() for m in models] == before
        txn.rollback()
    assert demo  # imported for its hooks


def test_the_demo_accounts_find_their_work(people):
    consultant = people("kbh-konsulent@partnerskab.test")
    todo = consultant.get("/todo")
    assert "Eksempelforening Sydhavn" in todo and 'id="todo-review"' in todo and 'id="todo-empty_post"' in todo
    assert "IF Stadion" in todo  # no resource person right now
    assert "Street Society" in todo  # ends within 90 days
    caseload = consultant.get("/caseload")
    assert "Ajax København" in caseload and "Omar Nasser" in caseload
    admin = people("kbh-admin@partnerskab.test")
    assert 'id="todo-decide"' in admin.get("/todo") and "Eksempelforening Bispebjerg" in admin.get("/todo")
    coordinator = people("slagelse-frivilligcenter@partnerskab.test")
    assert "Eksempelforening Slagelse Roklub" in coordinator.get("/todo")
    board = people("rbbc-bestyrelse@partnerskab.test")
    agreements = board.get("/agreements")
    assert "Roskilde Basketball Club (RBBC)" in agreements and "Ali Hassan" in agreements
    assert "Roskilde Håndbold" not in agreements  # another association's agreement
    assert board.get("/agreements/999999", expect=404)


def test_calls_are_public(http):
    listed = http.get("/calls", headers={"Cookie": "lang=en"}).text
    assert "Optag af nye partnerskabsforeninger 2027" in listed and "Open" in listed
    assert http.get("/applications").status_code == 303  # private: log in first
