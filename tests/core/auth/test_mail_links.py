"""Links in mails come from configuration (``base_url``), never from the request's Host header
(issue 7, item 4): a forged Host header cannot make a reset or invitation link point elsewhere.
A demo without ``base_url`` derives it from where it listens."""
from __future__ import annotations

import re
import uuid

import pytest

from core import db, mail, settings as settings_module
from tests.core.auth.conftest import csrf_from, login

FORGED = "evil.example"
ANY_LINK = re.compile(r"https?://[^\s]+")


def mailed_links(email: str) -> list[str]:
    """Every link in the newest mail to ``email`` (waiting for it: mails are sent after the answer)."""
    from tests.core.auth.test_invitations import link_for
    link_for(email, re.compile(r"(https?://[^\s]+)"))
    with db.connection():
        body = mail.outbox(to=email, limit=1)[0].body
    return ANY_LINK.findall(body)


def test_a_reset_link_ignores_a_forged_host_header(settings, make_account, client_factory):
    email = make_account()
    client = client_factory(Host=FORGED)
    page = client.get("/password-reset")
    assert page.status_code == 200
    response = client.post("/password-reset", data={"csrf_token": csrf_from(page.text), "email": email})
    assert response.status_code == 200
    links = mailed_links(email)
    assert links and all(link.startswith(settings.base_url + "/password-reset/") for link in links), links
    assert not any(FORGED in link for link in links)


def test_an_invitation_link_ignores_a_forged_host_header(settings, make_account, client_factory):
    client = client_factory(Host=FORGED, **{"X-Forwarded-Host": FORGED})
    assert login(client, make_account(role="municipality_admin", municipality="0101")).status_code == 303
    email = f"invited-{uuid.uuid4().hex[:10]}@example.org"
    page = client.get("/invitations/new")
    sent = client.post("/invitations/new", data={"csrf_token": csrf_from(page.text), "email": email,
                                                 "role": "consultant", "municipality": "0101"})
    assert sent.status_code == 200, sent.text
    links = mailed_links(email)
    assert links and all(link.startswith(settings.base_url + "/invitations/") for link in links), links
    assert not any(FORGED in link for link in links)


@pytest.mark.parametrize(("host", "port", "expected"), [
    ("127.0.0.1", 8000, "http://127.0.0.1:8000"),
    ("0.0.0.0", 9200, "http://127.0.0.1:9200"),
    ("demo.local", 80, "http://demo.local:80"),
    ("::", 8000, "http://[::1]:8000"),
    ("::1", 8001, "http://[::1]:8001"),
])
def test_a_demo_derives_its_base_url_from_where_it_listens(tmp_path, host, port, expected):
    loaded = settings_module.load(settings_module.DEFAULT_CONFIG, environ={}, instance_dir=tmp_path,
                                  host=host, port=port)
    assert loaded.base_url == expected


def test_the_environment_and_a_configured_base_url_win(tmp_path):
    loaded = settings_module.load(settings_module.DEFAULT_CONFIG, instance_dir=tmp_path,
                                  environ={"PARTNERSKAB_HOST": "10.0.0.5", "PORT": "9299"})
    assert loaded.base_url == "http://10.0.0.5:9299"
    configured = settings_module.load(settings_module.DEFAULT_CONFIG, instance_dir=tmp_path,
                                      environ={"PARTNERSKAB_BASE_URL": "https://partnerskab.example.dk"})
    assert configured.base_url == "https://partnerskab.example.dk"
    with pytest.raises(settings_module.ConfigError, match="base_url must start with"):
        settings_module.load(settings_module.DEFAULT_CONFIG, instance_dir=tmp_path,
                             environ={"PARTNERSKAB_BASE_URL": "partnerskab.example.dk"})


def test_serve_hands_its_host_and_port_to_the_app_it_starts(platform, monkeypatch, tmp_path):
    """``partnerskab serve --host H --port P``: the app (built again in the server) links to H:P."""
    import argparse

    import uvicorn

    from core import cli
    seen = {}

    def fake_run(app, **options):
        seen["base_url"] = settings_module.load(settings_module.DEFAULT_CONFIG, instance_dir=tmp_path).base_url
        seen["port"] = options["port"]

    for name in ("PARTNERSKAB_HOST", "PARTNERSKAB_PORT", "PORT", "PARTNERSKAB_BASE_URL", "PARTNERSKAB_CONFIG"):
        monkeypatch.setenv(name, "")  # empty counts as unset; set first so the test's changes are undone
    monkeypatch.setattr(uvicorn, "run", fake_run)
    args = argparse.Namespace(host="127.0.0.2", port=9242, config=None)
    assert cli.cmd_serve(platform, args) == 0
    assert seen == {"base_url": "http://127.0.0.2:9242", "port": 9242}
