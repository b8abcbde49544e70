"""Payment requests: never above the commitment, approved by a second person, paid with a date
and reference, cancelled before payment, all audited; and one row per idempotency key however
many workers or browsers send it at once (threads on the rules, and real HTTP requests)."""
from __future__ import annotations

import concurrent.futures
import datetime
import json
import re
import threading
import uuid

import httpx
import pytest

from core import db, i18n
from core.auth import accounts
from core.auth.web import actor_for
from core.models import AuditEntry
from core.models.payment import PaymentRequest
from core.rules import money
from core.rules.errors import RuleViolation
from tests.core.rules.conftest import COPENHAGEN_TYPE, TEST_MUNICIPALITY, unique
from tests.core.rules.money.test_commitments import race

PASSWORD = "green ladder by the harbour"
DAY = datetime.date(2024, 3, 1)


def english(exc: RuleViolation) -> dict[str, list[str]]:
    with i18n.locale_context("en"):
        return exc.by_field()


def account(platform, role="municipality_admin", municipality=TEST_MUNICIPALITY[0], organisation=None):
    email = f"pay-{uuid.uuid4().hex[:10]}@example.org"
    created = accounts.create_account(email=email, name=unique("Person"), password=PASSWORD, role=role,
                                      municipality_code=municipality if organisation is None else None,
                                      organisation_ref=organisation, actor="test")
    return actor_for(platform, created)


@pytest.fixture
def people(platform, build):
    return {"requester": account(platform, "consultant"), "approver": account(platform),
            "other_admin": account(platform), "outsider": account(platform, municipality="0101")}


@pytest.fixture
def fee(platform, build):
    programme = build.programme(budgets={2024: 1_000_000})
    organisation = build.member(programme)
    return money.record_sign_on_fee(platform, programme_id=programme.id, organisation_id=organisation.id,
                                    amount_ore=30_000 * 100, granted_on=DAY, actor="test")


@pytest.fixture
def grant(platform, build):
    programme = build.programme(COPENHAGEN_TYPE, start=datetime.date(2022, 1, 1), budgets={2024: 6_000_000})
    organisation = build.member(programme)
    return money.record_grant(platform, programme_id=programme.id, organisation_id=organisation.id, year=2024,
                              amount_ore=200_000 * 100, actor="test")


def request_fee(actor, fee, amount_ore, key=None):
    return money.request_payment(actor=actor, kind="sign_on_fee", sign_on_fee_id=fee.id, amount_ore=amount_ore,
                                 idempotency_key=key or money.new_idempotency_key())


def request_grant(actor, grant, amount_ore, key=None):
    return money.request_payment(actor=actor, kind="grant_instalment", grant_id=grant.id, amount_ore=amount_ore,
                                 idempotency_key=key or money.new_idempotency_key())


def payments_of(commitment) -> list[PaymentRequest]:
    field = PaymentRequest.sign_on_fee if isinstance(commitment, money.SignOnFee) else PaymentRequest.grant
    return list(PaymentRequest.select().where(field == commitment.id).order_by(PaymentRequest.id))


def audit_for(payment) -> list[AuditEntry]:
    return list(AuditEntry.select().where(AuditEntry.object_type == "paymentrequest",
                                          AuditEntry.object_id == str(payment.id)).order_by(AuditEntry.id))


# --- the lifecycle ------------------------------------------------------------------------------

def test_request_approve_pay_is_audited_with_before_and_after(people, fee):
    payment = request_fee(people["requester"], fee, 30_000 * 100)
    assert payment.was_created and payment.status == "created" and payment.budget_year == 2024
    assert payment.organisation_id == fee.organisation_id and payment.programme_id == fee.programme_id
    money.approve_payment(actor=people["approver"], payment_id=payment.id)
    paid = money.mark_paid(actor=people["approver"], payment_id=payment.id, paid_on=datetime.date(2024, 4, 2),
                           reference="BANK-2024-0042")
    assert (paid.status, paid.paid_on, paid.reference) == ("paid", datetime.date(2024, 4, 2), "BANK-2024-0042")
    assert paid.approved_by_id == people["approver"].account.id
    entries = audit_for(payment)
    assert [e.action for e in entries] == ["payment.request", "payment.approve", "payment.paid"]
    assert entries[0].before == "" and json.loads(entries[0].after)["status"] == "created"
    assert json.loads(entries[1].before)["status"] == "created" and json.loads(entries[1].after)["status"] == "approved"
    assert json.loads(entries[2].after)["reference"] == "BANK-2024-0042"
    assert entries[0].actor == people["requester"].label


def test_the_creator_cannot_approve(people, fee):
    payment = request_fee(people["approver"], fee, 10_000 * 100)
    with pytest.raises(RuleViolation) as caught:
        money.approve_payment(actor=people["approver"], payment_id=payment.id)
    assert list(english(caught.value)) == ["approved_by"]
    assert "second person" in english(caught.value)["approved_by"][0]
    assert PaymentRequest.get_by_id(payment.id).status == "created"
    assert [e.action for e in audit_for(payment)] == ["payment.request"]


def test_approval_needs_the_permission_in_the_programme(people, fee):
    payment = request_fee(people["requester"], fee, 10_000 * 100)
    for actor in (people["requester"], people["outsider"]):  # a consultant; an admin of another municipality
        with pytest.raises(RuleViolation) as caught:
            money.approve_payment(actor=actor, payment_id=payment.id)
        assert list(caught.value.by_field()) == ["permission"]
    with pytest.raises(RuleViolation) as caught:
        request_fee(people["outsider"], fee, 1_000 * 100)
    assert list(caught.value.by_field()) == ["permission"]
    assert len(payments_of(fee)) == 1


def test_amount_above_the_fee_is_refused(people, fee):
    with pytest.raises(RuleViolation) as caught:
        request_fee(people["requester"], fee, 30_000 * 100 + 1)
    assert list(caught.value.by_field()) == ["amount"]
    assert "30.000,00" in str(caught.value.by_field()["amount"][0]) or "30,000" in english(caught.value)["amount"][0]
    assert payments_of(fee) == []


def test_instalments_never_exceed_the_grant_and_cancelled_ones_free_their_amount(people, grant):
    first = request_grant(people["requester"], grant, 100_000 * 100)
    second = request_grant(people["requester"], grant, 100_000 * 100)
    with pytest.raises(RuleViolation) as caught:
        request_grant(people["requester"], grant, 1)
    assert "more than what is left of the grant for 2024" in english(caught.value)["amount"][0]
    money.cancel_payment(actor=people["approver"], payment_id=second.id, reason="wrong account")
    third = request_grant(people["requester"], grant, 60_000 * 100)
    with pytest.raises(RuleViolation):
        request_grant(people["requester"], grant, 40_000 * 100 + 1)
    assert [p.status for p in payments_of(grant)] == ["created", "cancelled", "created"]
    assert first.amount_ore + third.amount_ore <= grant.amount_ore


@pytest.mark.parametrize("amount", [0, -5])
def test_amount_must_be_positive(people, fee, amount):
    with pytest.raises(RuleViolation) as caught:
        request_fee(people["requester"], fee, amount)
    assert list(caught.value.by_field()) == ["amount"]


def test_bad_keys_and_commitments_are_refused(people, fee):
    with pytest.raises(RuleViolation) as caught:
        request_fee(people["requester"], fee, 100, key="short")
    assert list(caught.value.by_field()) == ["idempotency_key"]
    for kind, kwargs, field in (("sign_on_fee", {"sign_on_fee_id": 10**9}, "sign_on_fee"),
                                ("grant_instalment", {"grant_id": "x"}, "grant"),
                                ("bonus", {}, "kind")):
        with pytest.raises(RuleViolation) as caught:
            money.request_payment(actor=people["requester"], kind=kind, amount_ore=100,
                                  idempotency_key=money.new_idempotency_key(), **kwargs)
        assert list(caught.value.by_field()) == [field]


def test_a_key_reused_for_another_commitment_is_refused(platform, build, people, fee):
    key = money.new_idempotency_key()
    request_fee(people["requester"], fee, 100, key=key)
    programme = PaymentRequest.get(PaymentRequest.idempotency_key == key).programme
    other = build.member(programme)
    other_fee = money.record_sign_on_fee(platform, programme_id=programme.id, organisation_id=other.id,
                                         amount_ore=100_00, granted_on=DAY, actor="test")
    with pytest.raises(RuleViolation) as caught:
        request_fee(people["requester"], other_fee, 100, key=key)
    assert list(caught.value.by_field()) == ["idempotency_key"]


def test_same_key_again_returns_the_same_row(people, fee):
    key = money.new_idempotency_key()
    first = request_fee(people["requester"], fee, 5_000 * 100, key=key)
    again = request_fee(people["requester"], fee, 5_000 * 100, key=key)
    assert again.id == first.id and first.was_created and not again.was_created
    assert len(payments_of(fee)) == 1
    assert [e.action for e in audit_for(first)] == ["payment.request"]


def test_mark_paid_needs_an_approved_payment_a_date_and_a_reference(people, fee):
    payment = request_fee(people["requester"], fee, 5_000 * 100)
    with pytest.raises(RuleViolation) as caught:
        money.mark_paid(actor=people["approver"], payment_id=payment.id, paid_on=DAY, reference="X")
    assert list(caught.value.by_field()) == ["status"]
    money.approve_payment(actor=people["approver"], payment_id=payment.id)
    with pytest.raises(RuleViolation) as caught:
        money.mark_paid(actor=people["approver"], payment_id=payment.id,
                        paid_on=datetime.date.today() + datetime.timedelta(days=3), reference=" ")
    assert sorted(caught.value.by_field()) == ["paid_on", "reference"]
    assert PaymentRequest.get_by_id(payment.id).status == "approved"


def test_cancel_rules(people, fee):
    own = request_fee(people["requester"], fee, 1_000 * 100)
    money.cancel_payment(actor=people["requester"], payment_id=own.id)  # the creator, while it waits
    approved = request_fee(people["requester"], fee, 1_000 * 100)
    money.approve_payment(actor=people["approver"], payment_id=approved.id)
    with pytest.raises(RuleViolation) as caught:  # once approved, only an approver
        money.cancel_payment(actor=people["requester"], payment_id=approved.id)
    assert list(caught.value.by_field()) == ["permission"]
    money.mark_paid(actor=people["approver"], payment_id=approved.id, paid_on=DAY, reference="R1")
    with pytest.raises(RuleViolation) as caught:
        money.cancel_payment(actor=people["approver"], payment_id=approved.id)
    assert list(caught.value.by_field()) == ["status"]
    assert [e.action for e in audit_for(own)] == ["payment.request", "payment.cancel"]


def test_payments_waiting_lists_others_requests_in_scope(people, fee):
    mine = request_fee(people["approver"], fee, 1_000 * 100)
    theirs = request_fee(people["requester"], fee, 1_000 * 100)
    waiting = {p.id for p in money.payments_waiting(people["approver"])}
    assert theirs.id in waiting and mine.id not in waiting
    assert theirs.id not in {p.id for p in money.payments_waiting(people["outsider"])}
    assert money.payments_waiting(people["requester"]) == []  # a consultant cannot approve
    assert mine.id in {p.id for p in money.payments_waiting(people["other_admin"])}


def test_volunteer_centre_coordinator_requests_and_approves_in_their_programme(platform, build):
    programme = build.programme(budgets={2024: 100_000})
    centre = programme.owner_organisation
    organisation = build.member(programme)
    fee = money.record_sign_on_fee(platform, programme_id=programme.id, organisation_id=organisation.id,
                                   amount_ore=20_000 * 100, granted_on=DAY, actor="test")
    first = account(platform, "volunteer_centre_coordinator", organisation=centre.slug)
    second = account(platform, "volunteer_centre_coordinator", organisation=centre.slug)
    payment = request_fee(first, fee, 20_000 * 100)
    money.approve_payment(actor=second, payment_id=payment.id)
    assert PaymentRequest.get_by_id(payment.id).status == "approved"


def test_budget_overview_counts_paid(platform, people, fee):
    payment = request_fee(people["requester"], fee, 12_000 * 100)
    request_fee(people["requester"], fee, 3_000 * 100)  # requested, not paid
    money.approve_payment(actor=people["approver"], payment_id=payment.id)
    money.mark_paid(actor=people["approver"], payment_id=payment.id, paid_on=DAY, reference="R")
    figures = money.budget_overview([fee.programme_id])[fee.programme_id][2024]
    assert figures == {"budget": 1_000_000 * 100, "fees": 30_000 * 100, "grants": 0, "committed": 30_000 * 100,
                       "paid": 12_000 * 100, "left": 970_000 * 100}


# --- concurrency ----------------------------------------------------------------------------

def test_ten_threads_with_one_key_create_one_payment(people, fee):
    key = money.new_idempotency_key()
    results = race([lambda: request_fee(people["requester"], fee, 30_000 * 100, key=key)] * 10)
    assert all(isinstance(r, PaymentRequest) for r in results), results
    assert len({r.id for r in results}) == 1
    assert sum(r.was_created for r in results) == 1
    assert len(payments_of(fee)) == 1
    assert [e.action for e in audit_for(results[0])] == ["payment.request"]


def test_ten_threads_with_different_keys_never_exceed_the_fee(people, fee):
    results = race([lambda: request_fee(people["requester"], fee, 10_000 * 100)] * 10)
    created = [r for r in results if isinstance(r, PaymentRequest)]
    refused = [r for r in results if isinstance(r, RuleViolation)]
    assert len(created) == 3 and len(refused) == 7, results
    assert sum(p.amount_ore for p in payments_of(fee)) == fee.amount_ore


def test_two_approvers_at_once_approve_once(platform, people, fee):
    payment = request_fee(people["requester"], fee, 1_000 * 100)
    results = race([lambda: money.approve_payment(actor=people["approver"], payment_id=payment.id),
                    lambda: money.approve_payment(actor=people["other_admin"], payment_id=payment.id)])
    assert sum(isinstance(r, PaymentRequest) for r in results) == 1, results
    assert [e.action for e in audit_for(payment)] == ["payment.request", "payment.approve"]


# --- over HTTP ------------------------------------------------------------------------------

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
KEY_FIELD = re.compile(r'name="idempotency_key" value="([^"]+)"')


OPEN_CLIENTS: list[httpx.Client] = []


@pytest.fixture(autouse=True)
def _close_clients():
    yield
    while OPEN_CLIENTS:
        OPEN_CLIENTS.pop().close()


def http_login(live_server, email) -> httpx.Client:
    n = uuid.uuid4().int
    client = httpx.Client(base_url=live_server, timeout=30, follow_redirects=False,
                          headers={"X-Forwarded-For": f"10.{n % 250 + 1}.{(n >> 8) % 250 + 1}.{(n >> 16) % 250 + 1}"})
    OPEN_CLIENTS.append(client)
    page = client.get("/login")
    response = client.post("/login", data={"email": email, "password": PASSWORD,
                                           "csrf_token": CSRF_FIELD.search(page.text).group(1)})
    assert response.status_code == 303, response.text[:500]
    return client


@pytest.fixture
def http_fee(platform, app):
    """A programme with a fee, and two logged-in people of its municipality (made with their own connection)."""
    from tests.core.rules.conftest import Builder
    with db.connection():
        build = Builder(platform)
        programme = build.programme(budgets={2024: 1_000_000})
        organisation = build.member(programme)
        fee = money.record_sign_on_fee(platform, programme_id=programme.id, organisation_id=organisation.id,
                                       amount_ore=30_000 * 100, granted_on=DAY, actor="test")
        requester = account(platform, "consultant").account.email
        approver = account(platform).account.email
    return programme, fee, requester, approver


def test_many_simultaneous_posts_with_one_key_create_one_payment(live_server, http_fee):
    programme, fee, requester, approver = http_fee
    client = http_login(live_server, requester)
    form = client.get(f"/payments/new?programme={programme.slug}")
    assert form.status_code == 200
    data = {"csrf_token": CSRF_FIELD.search(form.text).group(1), "programme": programme.slug,
            "idempotency_key": KEY_FIELD.search(form.text).group(1), "commitment": f"fee:{fee.id}",
            "amount": "30.000", "note": "dobbeltklik"}
    barrier = threading.Barrier(12)

    def post(_):
        barrier.wait()
        return client.post("/payments/new", data=data)

    with concurrent.futures.ThreadPoolExecutor(max_workers=12) as pool:
        responses = list(pool.map(post, range(12)))
    assert [r.status_code for r in responses] == [303] * 12, [r.text[:300] for r in responses if r.status_code != 303]
    assert len({r.headers["location"] for r in responses}) == 1
    with db.connection():
        assert len(payments_of(fee)) == 1
    # the creator is refused approval over HTTP too; the second person approves, then pays
    location = responses[0].headers["location"]
    detail = client.get(location)
    assert detail.status_code == 200 and f'action="{location}/approve"' not in detail.text
    token = CSRF_FIELD.search(detail.text).group(1)
    refused = client.post(location + "/approve", data={"csrf_token": token})
    assert refused.status_code == 403  # a consultant has no payment.approve
    other = http_login(live_server, approver)
    page = other.get(location)
    token = CSRF_FIELD.search(page.text).group(1)
    assert other.post(location + "/approve", data={"csrf_token": token}).status_code == 303
    bad = other.post(location + "/paid", data={"csrf_token": token, "paid_on": "not a date", "reference": "R"})
    assert bad.status_code == 400
    paid = other.post(location + "/paid", data={"csrf_token": token, "paid_on": "2024-04-01", "reference": "R-77"})
    assert paid.status_code == 303
    with db.connection():
        payment = payments_of(fee)[0]
        assert (payment.status, payment.reference) == ("paid", "R-77")


def test_http_refusals_are_4xx_with_a_message_and_nothing_written(live_server, http_fee):
    programme, fee, requester, approver = http_fee
    client = http_login(live_server, approver)
    form = client.get(f"/payments/new?programme={programme.slug}")
    token = CSRF_FIELD.search(form.text).group(1)
    base = {"csrf_token": token, "programme": programme.slug, "commitment": f"fee:{fee.id}"}
    above = client.post("/payments/new", data={**base, "amount": "30000,01",
                                                "idempotency_key": KEY_FIELD.search(form.text).group(1)},
                        headers={"Accept-Language": "en"})
    assert above.status_code == 400 and 'role="alert"' in above.text
    no_key = client.post("/payments/new", data={**base, "amount": "100"})
    assert no_key.status_code == 400
    bad_amount = client.post("/payments/new", data={**base, "amount": "lots",
                                                     "idempotency_key": money.new_idempotency_key()})
    assert bad_amount.status_code == 400
    assert client.get("/payments/new?programme=no-such-programme").status_code == 404
    assert client.get("/payments/999999999").status_code == 404
    with db.connection():
        assert payments_of(fee) == []


def test_payment_pages_need_a_login_and_hide_other_tenants(live_server, http_fee, platform):
    programme, fee, requester, approver = http_fee
    with httpx.Client(base_url=live_server, follow_redirects=False) as anonymous:
        assert anonymous.get("/payments").status_code == 303
    with db.connection():
        payment = request_fee(actor_for(platform, accounts.Account.get(accounts.Account.email == requester)),
                              fee, 100)
        outsider = account(platform, municipality="0101").account.email
    client = http_login(live_server, outsider)
    assert client.get(f"/payments/{payment.id}").status_code == 404
    assert client.get(f"/payments/new?programme={programme.slug}").status_code == 404


def test_payment_list_shows_what_waits_for_the_approver(live_server):
    """The demo: Copenhagen's consultant requested an instalment; its administrator sees it waiting."""
    from core.demo import DEMO_PASSWORD
    n = uuid.uuid4().int
    client = httpx.Client(base_url=live_server, timeout=30, follow_redirects=False,
                          headers={"X-Forwarded-For": f"10.{n % 250 + 1}.{(n >> 8) % 250 + 1}.9"})
    OPEN_CLIENTS.append(client)
    page = client.get("/login")
    logged_in = client.post("/login", data={"email": "kbh-admin@partnerskab.test", "password": DEMO_PASSWORD,
                                            "csrf_token": CSRF_FIELD.search(page.text).group(1)})
    assert logged_in.status_code == 303 and logged_in.headers["location"] != "/login"
    listing = client.get("/payments", headers={"Accept-Language": "en"})
    assert listing.status_code == 200, listing.headers.get("location")
    waiting = listing.text[listing.text.index('id="payments-waiting-title"'):listing.text.index('id="request"')]
    with db.connection():
        expected = [p.id for p in PaymentRequest.select().join(money.Programme).where(
            money.Programme.slug == "kobenhavn-sociale-partnerskaber", PaymentRequest.status == "created")]
    assert expected and all(f'href="/payments/{pid}"' in waiting for pid in expected)
    assert "Fællesskabsalliancen" not in listing.text  # another tenant's payments stay out
    form = client.get("/payments/new?programme=kobenhavn-sociale-partnerskaber")
    assert form.status_code == 200 and 'name="idempotency_key"' in form.text
