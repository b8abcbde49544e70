"""Logging in over real HTTP: success lands on /me, failures say little, throttling holds."""
from __future__ import annotations

from core import db
from core.demo import DEMO_PASSWORD
from core.models.account import ROLES, Account, LoginAttempt
from core.models.audit import AuditEntry
from tests.core.auth.conftest import PASSWORD, csrf_from, fresh_address, login


def test_login_page_has_labelled_fields_and_a_token(client):
    page = client.get("/login")
    assert page.status_code == 200
    assert '<label for="login-email">' in page.text and 'id="login-email"' in page.text
    assert '<label for="login-password">' in page.text and 'type="password"' in page.text
    assert csrf_from(page.text)
    assert page.headers["cache-control"] == "no-store"


def test_login_lands_on_me_with_roles_and_no_store(make_account, client):
    email = make_account(role="municipality_admin", municipality="0101", name="Mette Testesen")
    response = login(client, email)
    assert response.status_code == 303
    assert response.headers["location"] == "/me"
    me = client.get("/me")
    assert me.status_code == 200
    assert "Mette Testesen" in me.text and email in me.text
    assert "Københavns Kommune" in me.text
    assert me.headers["cache-control"] == "no-store"
    # every page for a logged-in person is no-store, and the header offers logging out
    front = client.get("/")
    assert front.headers["cache-control"] == "no-store"
    assert 'action="/logout"' in front.text


def test_email_is_matched_ignoring_case_and_spaces(make_account, client):
    email = make_account()
    assert login(client, f"  {email.upper()} ").status_code == 303


def test_next_goes_back_to_a_page_of_this_site_only(make_account, client_factory):
    email = make_account()
    first = client_factory()
    assert login(first, email, next_path="/programmes").headers["location"] == "/programmes"
    second = client_factory()
    assert login(second, email, next_path="//evil.example/x").headers["location"] == "/"


def test_me_sends_a_visitor_to_the_login_page(client):
    response = client.get("/me")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/me"
    assert client.get("/").headers.get("cache-control") != "no-store"


def test_wrong_password_and_unknown_email_get_the_same_answer(make_account, client):
    email = make_account()
    wrong = login(client, email, password="not the right password")
    unknown = login(client, "nobody-here@example.org", password="not the right password")
    for response in (wrong, unknown):
        assert response.status_code == 400
        assert "The email address or the password is not right." in response.text or \
               "e-mailadressen eller adgangskoden" in response.text.lower()
        assert "session=" not in response.headers.get("set-cookie", "")
    assert client.get("/me").status_code == 303
    with db.connection():
        assert AuditEntry.select().where(AuditEntry.action == "login.failure",
                                         AuditEntry.actor == email).exists()


def test_empty_fields_get_a_message_each(client):
    page = client.get("/login", headers={"Accept-Language": "en"})
    response = client.post("/login", data={"email": "", "password": "", "csrf_token": csrf_from(page.text)},
                           headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert 'id="login-email-error"' in response.text and "Enter your email address." in response.text
    assert 'id="login-password-error"' in response.text and "Enter your password." in response.text
    assert 'aria-invalid="true"' in response.text


def test_every_role_has_a_demo_account_that_can_log_in(client_factory):
    with db.connection():
        demo = {account.email: {r.role for r in account.role_assignments}
                for account in Account.select().where(Account.email.endswith("@partnerskab.test"))}
    assert set().union(*demo.values()) == set(ROLES)
    for email in demo:
        client = client_factory()
        assert login(client, email, DEMO_PASSWORD).status_code == 303, email
        assert client.get("/me").status_code == 200, email


def test_five_failures_then_429_even_with_the_right_password(make_account, client_factory):
    victim, bystander = make_account(), make_account()
    address = fresh_address()
    attacker = client_factory(address)
    for _ in range(5):
        assert login(attacker, victim, password="guessing wrongly again").status_code == 400
    # the key ignores case and spaces, and a right password does not get through either
    blocked = login(attacker, f" {victim.upper()}", password=PASSWORD)
    assert blocked.status_code == 429
    assert "Too many failed logins" in blocked.text or "For mange" in blocked.text
    # from another address the account is still blocked: the count is per account
    assert login(client_factory(), victim).status_code == 429
    # another account, even from the same address, is not affected
    assert login(client_factory(address), bystander).status_code == 303
    with db.connection():
        assert LoginAttempt.select().where(LoginAttempt.key_kind == "account",
                                           LoginAttempt.key_value == victim).count() == 5


def test_one_address_trying_many_accounts_is_throttled(make_account, client_factory, settings):
    address = fresh_address()
    attacker = client_factory(address)
    for n in range(settings.login_max_failures_per_address):
        assert login(attacker, f"spray-{n}@example.org", password="guessing wrongly again").status_code == 400
    fresh = make_account()
    assert login(client_factory(address), fresh).status_code == 429
    assert login(client_factory(), fresh).status_code == 303  # from elsewhere it works


def test_a_success_clears_the_account_count(make_account, client_factory):
    email = make_account()
    client = client_factory()
    for _ in range(4):
        login(client, email, password="guessing wrongly again")
    assert login(client, email).status_code == 303
    other = client_factory()
    for _ in range(4):
        assert login(other, email, password="guessing wrongly again").status_code == 400
    assert login(other, email).status_code == 303


def test_x_forwarded_for_counts_only_from_trusted_proxies(settings):
    from types import SimpleNamespace

    from core.auth.web import client_address

    def request(peer, forwarded, trusted):
        platform = SimpleNamespace(settings=settings.replace(trusted_proxies=tuple(trusted)))
        return SimpleNamespace(client=SimpleNamespace(host=peer), headers={"x-forwarded-for": forwarded},
                               app=SimpleNamespace(state=SimpleNamespace(platform=platform)))

    assert client_address(request("203.0.113.9", "1.2.3.4", [])) == "203.0.113.9"
    assert client_address(request("10.0.0.1", "1.2.3.4", ["10.0.0.1"])) == "1.2.3.4"
    assert client_address(request("10.0.0.1", "6.6.6.6, 1.2.3.4, 10.0.0.2", ["10.0.0.1", "10.0.0.2"])) == "1.2.3.4"
    assert client_address(request("10.0.0.1", "", ["10.0.0.1"])) == "10.0.0.1"
