"""``personal_data`` and ``forget_account``: what a plugin keeps about a person shows in their
own-data page and download, and deleting the account makes the plugin forget them in the same
transaction."""
from __future__ import annotations

import json

from core import db
from core.models.account import Account
from tests import fake_plugin
from tests.core.hooks.conftest import PASSWORD, csrf_from, login, new_account


def test_a_plugins_records_join_the_download_and_are_forgotten_with_the_account(client):
    email = new_account("consultant", municipality="0999")
    with db.connection():
        account = Account.get(Account.email == email)
        fake_plugin.FakeRecord.create(kind="person", text=f"noted about {email}", object_id=str(account.id))
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
        texts = [row.text for row in fake_plugin.FakeRecord.select().where(
            fake_plugin.FakeRecord.kind == "person", fake_plugin.FakeRecord.object_id == str(account.id))]
    assert len(texts) == 1 and texts[0].startswith("deleted-account:") and email not in texts[0]


def test_a_person_the_plugins_know_nothing_about_has_no_plugin_section(client):
    http = login(client(), new_account("consultant", municipality="0999"))
    data = json.loads(http.get("/me/data.json").text)
    assert "fake" not in data["plugins"]
    assert 'id="plugin-data"' not in http.get("/me/data").text or "fake_person_records" not in http.get("/me/data").text
