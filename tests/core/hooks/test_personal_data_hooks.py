"""``personal_data`` and ``forget_person``: what a plugin keeps about a person is in their
own-data download, and goes when they delete their account, in the deletion's transaction.
Over HTTP on the app with the fake plugin, whose 'person' records name an account."""
from __future__ import annotations

from core import db
from core.models.account import Account
from tests import fake_plugin
from tests.core.hooks.conftest import PASSWORD, csrf_from


def test_a_plugins_rows_about_a_person_are_downloaded_and_forgotten(logged_in, fake_platform):
    browser, email = logged_in("consultant", municipality="0101")
    with db.connection():
        account = Account.get(Account.email == email)
        for text in ("first note about the person", "second note"):
            fake_plugin.FakeRecord.create(kind="person", text=text, object_id=str(account.id))
        fake_plugin.FakeRecord.create(kind="person", text="someone else's", object_id=str(account.id + 100_000))

    data = browser.get("/me/data.json")
    assert data.status_code == 200
    assert data.json()["plugins"]["fake"] == {"records": ["first note about the person", "second note"]}

    page = browser.get("/me/delete")
    response = browser.post("/me/delete", data={"password": PASSWORD, "csrf_token": csrf_from(page.text)})
    assert response.status_code == 200 and 'id="account-deleted"' in response.text
    with db.connection():
        left = [row.text for row in fake_plugin.FakeRecord.select().where(fake_plugin.FakeRecord.kind == "person")]
    assert "first note about the person" not in left and "second note" not in left
    assert "someone else's" in left
