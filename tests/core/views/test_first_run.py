"""The first-run pages over real HTTP on a fresh, real deployment (``tests/core/_fresh_instance``):
the platform administrator adds the municipality, chooses colours and a logo, declares the
first programme and opens its first call. Bad input gets a message per field in the reader's
language, a 4xx and nothing written; a form without its CSRF token is refused; nobody else may
do any of it; what was declared is a TOML file the next start reads again."""
from __future__ import annotations

import html
import re
import tomllib

import httpx
import pytest

from tests.core._fresh_instance import ADMIN, PASSWORD, FreshInstance
from tests.core.auth.conftest import csrf_from
from tests.core.views._manage import ADMIN as DEMO_ADMIN, log_in, new_client

PROGRAMME_FORM = {
    "name_da": "Nye fællesskaber for unge", "name_en": "New communities for young people",
    "summary_da": "Foreninger åbner deres fællesskaber.", "summary_en": "Associations open their communities.",
    "owner": "municipality", "fee_cap_kroner": "20000", "fee_new_members_only": "yes", "agreement_years": "3",
    "agreement_extendable": "yes", "hours_min": "5", "hours_max": "10", "age_from": "16", "age_to": "24",
    "target_groups": ["youth_16_24"], "focus_areas": "Brobygning | Bridging\nUnge som medskabere | Young co-creators",
    "criteria": ["voluntary_organisation", "members"], "min_members": "30", "flag_members": "yes",
    "reporting": "Deler erfaringer | Shares experience",
    "programme_name": "Nye fællesskaber i Testby", "start": "2025-01-01", "end": "2027-12-31",
    "budget_kroner": "400.000",
}
SVG_LOGO = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4" fill="#fff"/></svg>'


def field_errors(text: str) -> dict[str, str]:
    found = re.findall(r'<p class="field-error" id="f-([\w-]+)-error"><span class="visually-hidden">[^<]*</span>(.*?)</p>',
                       text)
    return {name: html.unescape(message) for name, message in found}


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    instance = FreshInstance(tmp_path_factory.mktemp("fresh")).create().start()
    yield instance
    instance.stop()


@pytest.fixture(scope="module")
def admin(fresh):
    client = httpx.Client(base_url=fresh.url, timeout=20, follow_redirects=False)
    page = client.get("/login")
    response = client.post("/login", data={"email": ADMIN, "password": PASSWORD, "csrf_token": csrf_from(page.text)})
    assert response.status_code == 303
    yield client
    client.close()


def post(client: httpx.Client, path: str, data: dict, files=None, token: bool = True) -> httpx.Response:
    form = dict(data)
    if token:
        form["csrf_token"] = csrf_from(client.get(path).text)
    return client.post(path, data=form, files=files)


def test_a_demo_deployment_has_no_first_run(live_server):
    with new_client(live_server) as client:
        log_in(client, DEMO_ADMIN)
        assert client.get("/setup").status_code == 404
        assert 'href="/setup"' not in client.get("/me").text


def test_only_the_platform_administrator_reaches_it(fresh):
    anonymous = httpx.get(fresh.url + "/setup/municipality", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")


def test_the_walk_from_a_fresh_instance_to_an_open_call(fresh, admin):
    # the navigation leads there while the instance is not set up
    assert '<a href="/setup">Opsætning</a>' in admin.get("/me").text
    assert "Sæt installationen op" in admin.get("/setup").text

    # -- the municipality
    assert post(admin, "/setup/municipality", {"code": "0999", "name": "Testby Kommune"}, token=False).status_code == 403
    refused = post(admin, "/setup/municipality", {"code": "46", "name": ""})
    assert refused.status_code == 422
    assert field_errors(refused.text) == {"code": "'46' er ikke en kommunekode: den skal have 4 cifre",
                                          "name": "Skriv kommunens navn"}
    assert fresh.rows("SELECT COUNT(*) FROM municipality") == [(0,)]
    added = post(admin, "/setup/municipality", {"code": "0999", "name": "Testby Kommune", "region": "Region Test"})
    assert (added.status_code, added.headers["location"]) == (303, "/setup?saved=municipality")
    assert fresh.rows("SELECT code, name FROM municipality") == [("0999", "Testby Kommune")]
    assert fresh.rows("SELECT actor, action FROM audit_entry WHERE action = 'municipality.create'") == [
        (f"account:1:{ADMIN}", "municipality.create")]
    assert admin.get("/setup/municipality").status_code == 303  # done: back to the overview

    # -- the look
    dark = {"brand": "#1d4f2a", "accent": "#8a3b12"}
    refused = post(admin, "/setup/look", {"brand": "#ffff00", "accent": "#8a3b12"},
                   files={"logo": ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
                                   "image/svg+xml")})
    assert refused.status_code == 422
    errors = field_errors(refused.text)
    assert errors["brand"].startswith("#ffff00 har en kontrast på 1,07:1 mod hvid") or \
        errors["brand"].startswith("#ffff00 har en kontrast på 1.07:1 mod hvid")
    assert errors["logo"].startswith("SVG-logoet kan ikke bruges")
    assert not (fresh.instance / "look.toml").exists() and not (fresh.instance / "look-logo.svg").exists()
    saved = post(admin, "/setup/look", dark, files={"logo": ("logo.svg", SVG_LOGO, "image/svg+xml")})
    assert saved.status_code == 303
    assert tomllib.loads((fresh.instance / "look.toml").read_text()) == {**dark, "logo": "look-logo.svg"}
    home = httpx.get(fresh.url + "/").text
    assert re.search(r'<link rel="stylesheet" href="/look.css\?v=\d+">', home)
    assert re.search(r'<img class="logo-img" src="/look/logo\?v=\d+" alt=""', home)
    css = httpx.get(fresh.url + "/look.css")
    assert css.headers["content-type"].startswith("text/css") and "--brand: #1d4f2a" in css.text
    logo = httpx.get(fresh.url + "/look/logo")
    assert logo.content == SVG_LOGO and logo.headers["content-type"] == "image/svg+xml"
    assert logo.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in logo.headers["content-security-policy"]
    assert fresh.rows("SELECT action FROM audit_entry WHERE action = 'look.update'") == [("look.update",)]

    # -- the first programme, declared
    wrong = {**PROGRAMME_FORM, "name_en": "", "min_members": "many", "hours_min": "12"}
    refused = post(admin, "/setup/programme", wrong)
    assert refused.status_code == 422
    assert field_errors(refused.text) == {
        "name_en": "Feltet skal udfyldes",
        "hours_max": "Maksimum er lavere end minimum (12)",
        "min_members": 'Skal være et helt tal fra 0 til 1000000, ikke "many"'}
    assert not list(fresh.instance.glob("programmes/*"))
    assert fresh.rows("SELECT COUNT(*) FROM programme") == [(0,)]
    declared = post(admin, "/setup/programme", PROGRAMME_FORM)
    assert (declared.status_code, declared.headers["location"]) == (303, "/setup/call?saved=programme")
    written = fresh.instance / "programmes" / "nye-faellesskaber-for-unge.toml"
    data = tomllib.loads(written.read_text(encoding="utf-8"))
    assert data["programme_type"]["name"] == {"da": "Nye fællesskaber for unge", "en": "New communities for young people"}
    assert data["programme_type"]["sign_on_fee_cap_kroner"] == 20_000
    assert data["programme_type"]["criteria"] == [{"key": "voluntary_organisation"},
                                                  {"key": "members", "min": 30, "blocks": False}]
    assert data["seed"]["budget"] == {"2025": 400_000, "2026": 400_000, "2027": 400_000}
    assert fresh.rows("SELECT slug, programme_type FROM programme") == [
        ("nye-faellesskaber-for-unge", "nye-faellesskaber-for-unge")]
    assert fresh.rows("SELECT year, amount_ore FROM programme_budget ORDER BY year") == [
        (2025, 40_000_000), (2026, 40_000_000), (2027, 40_000_000)]
    assert fresh.rows("SELECT actor FROM audit_entry WHERE action = 'programme_type.declare'") == [(f"account:1:{ADMIN}",)]
    programme = admin.get("/programmes/nye-faellesskaber-for-unge").text
    assert "Nye fællesskaber for unge" in programme and "Mindst 30 medlemmer" in programme
    english = httpx.get(fresh.url + "/programmes/nye-faellesskaber-for-unge", cookies={"lang": "en"}).text
    assert "New communities for young people" in english and "At least 30 members" in english

    # -- the first call
    refused = post(admin, "/setup/call", {"title": "", "opens_on": "2025-02-01", "closes_on": "2025-01-01"})
    assert refused.status_code == 422 and set(field_errors(refused.text)) == {"title", "closes_on"}
    assert fresh.rows("SELECT COUNT(*) FROM call") == [(0,)]
    opened = post(admin, "/setup/call", {"title": "Første runde", "opens_on": "2025-01-01", "closes_on": "2027-06-30"})
    assert opened.status_code == 303 and re.fullmatch(r"/calls/\d+", opened.headers["location"])
    call = admin.get(opened.headers["location"]).text
    assert "<h1>Første runde</h1>" in call and "Mindst 30 medlemmer" in call
    assert "Installationen er klar" in admin.get("/setup").text
    assert 'href="/setup"' not in admin.get("/me").text  # set up: the navigation no longer offers it


def test_another_role_may_not_set_up(fresh, test_the_walk_done):
    made = fresh.cli("create-user", "kommune@fresh-instance.example", "--role", "municipality_admin",
                     "--municipality", "0999", PARTNERSKAB_PASSWORD="solsort over havelågen")
    assert made.returncode == 0, made.stderr
    with httpx.Client(base_url=fresh.url, timeout=20, follow_redirects=False) as client:
        page = client.get("/login")
        client.post("/login", data={"email": "kommune@fresh-instance.example", "password": "solsort over havelågen",
                                    "csrf_token": csrf_from(page.text)})
        for path in ("/setup", "/setup/look", "/setup/programme", "/setup/call"):
            assert client.get(path).status_code == 403, path
        assert post(client, "/setup/look", {"brand": "#000000", "accent": "#000000"},
                    token=False).status_code == 403
        token = csrf_from(client.get("/me").text)
        assert client.post("/setup/look", data={"brand": "#000000", "accent": "#000000", "csrf_token": token}
                           ).status_code == 403
    assert tomllib.loads((fresh.instance / "look.toml").read_text())["brand"] == "#1d4f2a"


@pytest.fixture
def test_the_walk_done(fresh):
    if not fresh.rows("SELECT COUNT(*) FROM call")[0][0]:
        pytest.fail("the walk to the first call must run first")


def test_the_declaration_is_read_again_at_the_next_start(fresh, test_the_walk_done):
    fresh.stop()
    checked = fresh.cli("check-config")
    assert checked.returncode == 0, checked.stdout
    assert "ok: 0 plugin(s), 1 declared programme type(s)" in checked.stdout
    fresh.start()
    page = httpx.get(fresh.url + "/programmes/nye-faellesskaber-for-unge").text
    assert "Mindst 30 medlemmer" in page and "plugin, der ikke er slået til" not in page
    # a second seed changes nothing
    before = fresh.rows("SELECT COUNT(*) FROM audit_entry")
    assert fresh.cli("seed").returncode == 0
    assert fresh.rows("SELECT COUNT(*) FROM audit_entry") == before
