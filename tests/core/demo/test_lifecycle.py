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
    """A second ``partnerskab demo`` changes nothing: not a row, not an audit entry."""
    from core import demo
    with db.database.atomic() as txn:
        before = _snapshot()
        demo.load(platform)
        assert _snapshot() == before
        txn.rollback()


def _snapshot() -> dict[str, int]:
    from core.models import AuditEntry, Grant, Organisation, ProgrammeBudget, SignOnFee
    from core.models.account import Account
    from core.models.agreement import AgreementExtension
    from core.models.membership import Membership
    from core.models.payment import PaymentRequest
    models = (Call, Application, Agreement, AgreementExtension, ResourcePerson, HandoverNote, Organisation,
              Membership, ProgrammeBudget, Grant, SignOnFee, PaymentRequest, Account, AuditEntry)
    return {model.__name__: model.select().count() for model in models}


LATER = datetime.date(2029, 3, 10)
RELATIVE = ("kobenhavn-sociale-partnerskaber", "slagelse-faellesskabsalliancen", "hillerod-tuff")


def test_the_demo_first_loaded_on_another_day_has_open_calls_and_this_years_budget(platform, dbconn):
    """Whenever the demo is first loaded (here: as if on 10 March 2029, its programmes made anew in
    a transaction rolled back afterwards), the open calls are open on that day, the day's year has a
    budget, Copenhagen's 25 agreements run, and a second load that day changes nothing."""
    from core.models.programme import ProgrammeBudget
    from plugins import copenhagen, hillerod, slagelse

    def load():
        copenhagen.load_demo(platform, today=LATER)
        slagelse.PARTNERSHIP.load_demo(platform, today=LATER)
        hillerod.PARTNERSHIP.load_demo(platform, today=LATER)

    with db.database.atomic() as txn:
        for slug in RELATIVE:
            Programme.update(slug=f"{slug}-as-loaded").where(Programme.slug == slug).execute()
        load()
        for slug in RELATIVE:
            programme = Programme.get(Programme.slug == slug)
            states = [c.state(LATER) for c in Call.select().where(Call.programme == programme.id)]
            assert "open" in states, slug
            assert ProgrammeBudget.select().where(ProgrammeBudget.programme == programme.id,
                                                  ProgrammeBudget.year == LATER.year).exists(), slug
            assert programme.start_date <= LATER and (programme.end_date is None or LATER <= programme.end_date)
        kbh = Programme.get(Programme.slug == RELATIVE[0])
        agreements = list(Agreement.select().where(Agreement.programme == kbh.id))
        assert len(agreements) == 25 and all(a.state(LATER) == "running" for a in agreements)
        before = _snapshot()
        load()
        assert _snapshot() == before
        txn.rollback()


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
    assert f"Optag af nye partnerskabsforeninger {datetime.date.today().year + 1}" in listed and "Open" in listed
    assert http.get("/applications").status_code == 303  # private: log in first
