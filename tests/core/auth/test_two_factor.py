"""Two-factor authentication over real HTTP: setting it up from the account page, the two
login steps (the half-way state grants nothing), recovery codes, throttled codes, turning
it off, and roles that must have it."""
from __future__ import annotations

import json
import threading
import time

import httpx
import pyotp
import pytest
import uvicorn

from core import db
from core import settings as settings_module
from core.models.account import Account, Session
from core.models.audit import AuditEntry
from core.models.two_factor import LoginChallenge, RecoveryCode, TwoFactor
from tests.conftest import _free_port
from tests.core.auth.conftest import PASSWORD, csrf_from, fresh_address, login
from tests.core.auth.two_factor_helpers import SECRET, code_step, password_step, turn_on, usable_code


def audit_actions(email: str) -> list[str]:
    with db.connection():
        account = Account.get(Account.email == email)
        return [row.action for row in AuditEntry.select().where(AuditEntry.actor.startswith(f"account:{account.id}:"))
                .order_by(AuditEntry.id)]


def open_sessions(email: str) -> int:
    with db.connection():
        return Session.select().join(Account).where(Account.email == email, Session.ended_at.is_null()).count()


def test_turning_it_on_shows_the_secret_the_uri_and_a_qr_code_then_ten_recovery_codes(make_account, client):
    email = make_account()
    login(client, email)
    page = client.get("/me")
    assert 'href="/me/two-factor"' in page.text
    page = client.get("/me/two-factor")
    assert page.status_code == 200
    secret = SECRET.search(page.text).group(1)
    assert "otpauth://totp/" in page.text and f"secret={secret}" in page.text
    assert "<svg" in page.text and "<script" not in page.text
    assert page.headers["cache-control"] == "no-store"
    # a reload shows the same secret until it is confirmed
    assert SECRET.search(client.get("/me/two-factor").text).group(1) == secret

    wrong = client.post("/me/two-factor/enable", data={"code": "000000", "csrf_token": csrf_from(page.text)})
    assert wrong.status_code == 400 and 'aria-invalid="true"' in wrong.text
    with db.connection():
        assert TwoFactor.select().join(Account).where(Account.email == email).get().enabled_at is None

    response = client.post("/me/two-factor/enable", data={"code": pyotp.TOTP(secret).now(),
                                                          "csrf_token": csrf_from(page.text)})
    assert response.status_code == 200
    assert 'id="two-factor-status"' in response.text
    codes = response.text.split("<li><code>")[1:]
    assert len(codes) == 10
    with db.connection():
        account = Account.get(Account.email == email)
        stored = [row.code_hash for row in RecoveryCode.select().where(RecoveryCode.account == account.id)]
    assert len(stored) == 10
    assert not any(code.split("<")[0] in stored for code in codes)  # only hashes are kept
    # shown once: the page afterwards has no codes
    assert "<li><code>" not in client.get("/me/two-factor").text
    assert "two_factor.enable" in audit_actions(email)


def test_login_takes_two_steps_and_the_half_way_state_grants_nothing(make_account, client, client_factory,
                                                                      live_server):
    email = make_account()
    login(client, email)
    secret, _ = turn_on(client)
    other = client_factory()
    response = password_step(other, email)
    assert not any(h.startswith("session=") for h in response.headers.get_list("set-cookie"))
    challenge_cookie = other.cookies["login_challenge"]
    assert open_sessions(email) == 1  # only the first client's
    # between the steps: no private page, no account page, no session
    for path in ("/me", "/me/two-factor", "/me/data.json", "/me/password"):
        answer = other.get(path)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login?next="), path
    # the challenge cookie is no session cookie either
    with httpx.Client(base_url=live_server, cookies={"session": challenge_cookie}, follow_redirects=False) as forged:
        assert forged.get("/me").status_code == 303

    wrong = code_step(other, "123456" if pyotp.TOTP(secret).now() != "123456" else "654321")
    assert wrong.status_code == 400 and "session=" not in wrong.headers.get("set-cookie", "")
    response = code_step(other, usable_code(email))
    assert response.status_code == 303 and response.headers["location"] == "/me"
    assert other.get("/me").status_code == 200
    assert open_sessions(email) == 2
    with db.connection():
        assert LoginChallenge.select().join(Account).where(Account.email == email).count() == 0
    with db.connection():
        account = Account.get(Account.email == email)
        success = (AuditEntry.select().where(AuditEntry.action == "login.success",
                                             AuditEntry.object_id == str(account.id))
                   .order_by(AuditEntry.id.desc()).first())
    assert json.loads(success.after)["factor"] == "password+totp"
    # the challenge is used up: its cookie cannot log in a second time
    assert other.get("/login/two-factor").status_code == 303


def test_a_code_works_only_once(make_account, client, client_factory):
    email = make_account()
    login(client, email)
    turn_on(client)
    code = usable_code(email)
    first = client_factory()
    password_step(first, email)
    assert code_step(first, code).status_code == 303
    second = client_factory()
    password_step(second, email)
    replay = code_step(second, code)
    assert replay.status_code == 400 and second.get("/me").status_code == 303


def test_a_recovery_code_logs_in_once(make_account, client, client_factory):
    email = make_account()
    login(client, email)
    _, codes = turn_on(client)
    first = client_factory()
    password_step(first, email)
    assert code_step(first, codes[3].upper().replace("-", " ")).status_code == 303  # case and spacing forgiven
    assert first.get("/me").status_code == 200
    second = client_factory()
    password_step(second, email)
    assert code_step(second, codes[3]).status_code == 400
    assert "two_factor.recovery_code_used" in audit_actions(email)
    with db.connection():
        account = Account.get(Account.email == email)
        assert RecoveryCode.select().where(RecoveryCode.account == account.id, RecoveryCode.used_at.is_null()).count() == 9


def test_wrong_codes_are_throttled(make_account, client, client_factory, settings):
    email = make_account()
    login(client, email)
    secret, _ = turn_on(client)
    wrong = "111111" if pyotp.TOTP(secret).now() != "111111" else "222222"
    attacker = client_factory()
    password_step(attacker, email)
    for _ in range(2):
        assert code_step(attacker, wrong).status_code == 400
    # the third wrong code uses the challenge up: the password is asked again
    used_up = attacker.post("/login/two-factor", data={"code": wrong,
                                                        "csrf_token": csrf_from(attacker.get("/login/two-factor").text)})
    assert used_up.status_code == 400 and 'href="/login"' in used_up.text
    assert attacker.get("/login/two-factor").status_code == 303
    # across challenges the account's wrong codes add up to the login limit, then 429
    password_step(attacker, email)
    for _ in range(settings.login_max_failures - 3):
        assert code_step(attacker, wrong).status_code == 400
    blocked = code_step(attacker, usable_code(email))
    assert blocked.status_code == 429
    assert attacker.get("/me").status_code == 303
    with db.connection():
        account = Account.get(Account.email == email)
        failures = (AuditEntry.select().where(AuditEntry.action == "login.failure",
                                              AuditEntry.object_id == str(account.id)))
        assert sum(json.loads(row.after).get("step") == "second_factor" for row in failures) == settings.login_max_failures
    # another account is not affected
    other_email = make_account()
    other = client_factory()
    login(other, other_email)
    assert other.get("/me").status_code == 200


def test_renewing_recovery_codes_needs_a_code_and_replaces_them(make_account, client, client_factory):
    email = make_account()
    login(client, email)
    _, old_codes = turn_on(client)
    page = client.get("/me/two-factor")
    refused = client.post("/me/two-factor/recovery-codes", data={"renew_code": "000000",
                                                                "csrf_token": csrf_from(page.text)})
    assert refused.status_code == 400
    renewed = client.post("/me/two-factor/recovery-codes", data={"renew_code": usable_code(email),
                                                                "csrf_token": csrf_from(page.text)})
    assert renewed.status_code == 200
    new_codes = renewed.text.split("<li><code>")[1:]
    assert len(new_codes) == 10
    other = client_factory()
    password_step(other, email)
    assert code_step(other, old_codes[0]).status_code == 400
    assert "two_factor.recovery_codes_renewed" in audit_actions(email)


def test_turning_it_off_needs_the_password_and_a_code(make_account, client, client_factory):
    email = make_account()
    login(client, email)
    turn_on(client)
    page = client.get("/me/two-factor")
    token = csrf_from(page.text)
    no_password = client.post("/me/two-factor/disable", data={"password": "wrong password entirely",
                                                             "code": usable_code(email), "csrf_token": token})
    assert no_password.status_code == 400
    no_code = client.post("/me/two-factor/disable", data={"password": PASSWORD, "code": "", "csrf_token": token})
    assert no_code.status_code == 400
    with db.connection():
        assert TwoFactor.select().join(Account).where(Account.email == email,
                                                      TwoFactor.enabled_at.is_null(False)).exists()
    off = client.post("/me/two-factor/disable", data={"password": PASSWORD, "code": usable_code(email),
                                                     "csrf_token": token})
    assert off.status_code == 303
    with db.connection():
        account = Account.get(Account.email == email)
        assert not TwoFactor.select().where(TwoFactor.account == account.id).exists()
        assert not RecoveryCode.select().where(RecoveryCode.account == account.id).exists()
    actions = audit_actions(email)
    assert "two_factor.disable" in actions and "two_factor.disable_refused" in actions
    # one step again
    other = client_factory()
    response = login(other, email)
    assert response.status_code == 303 and response.headers["location"] == "/me"


def test_the_example_deployments_require_it_for_administrators():
    environ = {"SECRET_KEY": "x" * 48}
    for name in ("roskilde", "slagelse", "national"):
        loaded = settings_module.load(settings_module.CONFIG_DIR / f"{name}.toml", environ=environ)
        assert {"platform_admin", "municipality_admin"} <= set(loaded.require_two_factor_roles), name
    slagelse = settings_module.load(settings_module.CONFIG_DIR / "slagelse.toml", environ=environ)
    assert "volunteer_centre_coordinator" in slagelse.require_two_factor_roles
    default = settings_module.load(settings_module.DEFAULT_CONFIG, environ={})
    assert default.require_two_factor_roles == ()
    with pytest.raises(settings_module.ConfigError, match="unknown role"):
        settings_module.load(settings_module.DEFAULT_CONFIG, environ={"PARTNERSKAB_REQUIRE_TWO_FACTOR_ROLES": "wizard"})


@pytest.fixture(scope="module")
def strict_server(settings):
    """A second app on its own uvicorn, on the same database, where municipality
    administrators must use two-factor authentication."""
    from core.app import create_app
    app = create_app(settings.replace(require_two_factor_roles=("municipality_admin",)))
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            httpx.get(base + "/healthz", timeout=1)
            break
        except httpx.HTTPError:
            time.sleep(0.05)
    yield base
    server.should_exit = True
    thread.join(timeout=5)


def test_a_role_that_requires_it_can_do_nothing_else_until_it_is_set_up(make_account, strict_server):
    email = make_account(role="municipality_admin", municipality="0101")
    with httpx.Client(base_url=strict_server, follow_redirects=False, timeout=20,
                      headers={"X-Forwarded-For": fresh_address()}) as admin:
        assert login(admin, email).status_code == 303
        for path in ("/me", "/me/data.json", "/me/password", "/organisations", "/"):
            answer = admin.get(path)
            assert answer.status_code == 303 and answer.headers["location"] == "/me/two-factor", path
        setup = admin.get("/me/two-factor")
        assert setup.status_code == 200 and 'id="two-factor-required"' in setup.text
        # a form elsewhere is refused too (CSRF token is valid; the missing second factor is not)
        refused = admin.post("/me/password", data={"csrf_token": csrf_from(setup.text), "current_password": PASSWORD,
                                                   "new_password": "a different long passphrase",
                                                   "new_password_again": "a different long passphrase"})
        assert refused.status_code == 303 and refused.headers["location"] == "/me/two-factor"
        secret, _ = turn_on(admin)
        me = admin.get("/me")
        assert me.status_code == 200
        assert "Municipality administrator" in me.text or "Kommuneadministrator" in me.text
        # and it is a two-step login from now on
        with httpx.Client(base_url=strict_server, follow_redirects=False, timeout=20,
                          headers={"X-Forwarded-For": fresh_address()}) as again:
            password_step(again, email)
            assert code_step(again, usable_code(email)).status_code == 303
            assert again.get("/me").status_code == 200
        # logging out is always possible
        token = csrf_from(admin.get("/me").text)
        assert admin.post("/logout", data={"csrf_token": token}).status_code == 303


def test_a_role_that_does_not_require_it_is_not_asked(make_account, strict_server):
    email = make_account(role="consultant", municipality="0101")
    with httpx.Client(base_url=strict_server, follow_redirects=False, timeout=20,
                      headers={"X-Forwarded-For": fresh_address()}) as consultant:
        login(consultant, email)
        assert consultant.get("/me").status_code == 200
