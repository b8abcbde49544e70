"""``personal_data`` and ``forget_account``: what a plugin keeps about a person shows in their
own-data page and download, and deleting the account makes the plugin forget them in the same
transaction."""
from __future__ import annotations

import json

from core import db
from core.models.account import Account
from tests import fake_plugin
from tests.core.hooks.conftest import PASSWORD, csrf_from, login, new_account


def test_a_plugins_records_join_the_download_and_are_forgotten_with_the_account(client, fake_programme):
    email = new_account("consultant", municipality="0999")
    with db.connection():
        account = Account.get(Account.email == email)
        record = fake_plugin.FakeRecord.create(kind="person", text=f"noted about {email}", object_id=str(account.id))
    http = login(client(), email)
    data = json.loads(http.get("/me/data.json").text)
    assert data["plugins"]["fake"] == {"fake_person_records": [f"noted about {email}"]}
    page = http.get("/me/data").text
    assert "fake_person_records" in page and "1 record" in page

    form = http.get("/me/delete")
    response = http.post("/me/delete", data={"password": PASSWORD, "csrf_token": csrf_from(form.text)})
    assert response.status_code == 200
    with db.connection():
        assert not Account.select().where(Account.email == email).exists()
        assert not fake_plugin.FakeRecord.select().where(
            fake_plugin.FakeRecord.kind == "person", fake_plugin.FakeRecord.object_id == str(account.id)).exists()
        text = fake_plugin.FakeRecord.get_by_id(record.id).text
    assert text.startswith("deleted-account:") and email not in text


def test_a_person_the_plugins_know_nothing_about_has_no_plugin_section(client, fake_programme):
    http = login(client(), new_account("consultant", municipality="0999"))
    data = json.loads(http.get("/me/data.json").text)
    assert "fake" not in data["plugins"]
    assert 'id="plugin-data"' not in http.get("/me/data").text or "fake_person_records" not in http.get("/me/data").text
