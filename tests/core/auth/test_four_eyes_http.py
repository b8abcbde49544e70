"""Four eyes with one person, tried from outside over HTTP (issue 7, security item 2).

The reported attack: a coordinator invited a second coordinator account for its own centre,
accepted it, and with it approved and paid its own payment request. Now a coordinator mints
no coordinators; a municipality administrator who makes another needs a second person's
confirmation; and an approver whose role the requester granted is no second person, on the
pages and through the API. A programme whose owner has one coordinator still has a real
second approver: the municipality's administrator (the demo's ``slagelse-admin``).
"""
from __future__ import annotations

import datetime
import uuid

import httpx
import pytest

from core import db, mail
from core.auth.web import actor_for
from core.demo import DEMO_PASSWORD
from core.models import (Account, AuditEntry, Membership, Organisation, OrganisationTargetGroup, Programme,
                         RoleAssignment, SignOnFee)
from core.models.payment import PaymentRequest
from core.models.tokens import Invitation
from core.rules import money, registry
from tests.core.api.conftest import token_for
from tests.core.auth.conftest import csrf_from, login
from tests.core.auth.test_invitations import accept, invite, link_for, new_address

SLAGELSE_PROGRAMME = "slagelse-faellesskabsalliancen"
CENTRE = "frivilligcenter-slagelse"


def _client(client_factory, email: str, password: str | None = None):
    client = client_factory(**{"Accept-Language": "en"})
    response = login(client, email, password) if password else login(client, email)
    assert response.status_code == 303, email
    return client


@pytest.fixture
def fee(platform):
    """``fee(kroner)``: a fresh association in Fællesskabsalliancen's network with a sign-on fee
    this year; taken out again afterwards (with its payments), so the demo stays as loaded."""
    made = []

    def make(amount_kroner: int = 20_000):
        with db.connection():
            programme = Programme.get(Programme.slug == SLAGELSE_PROGRAMME)
            association = registry.create_organisation(platform, {
                "name": f"Eksempelforening Firøjne {uuid.uuid4().hex[:6]}", "kind": "association",
                "municipality": "0330"}, "test")
            registry.add_membership(programme=programme, organisation=association, role="partner", joined_on=None,
                                    actor="test")
            day = min(datetime.date.today(), programme.end_date)
            row = money.record_sign_on_fee(platform, programme_id=programme.id, organisation_id=association.id,
                                           amount_ore=amount_kroner * 100, granted_on=day, actor="test")
        made.append((row, association))
        return row
    yield make
    with db.connection(), db.database.atomic():
        for row, association in made:
            PaymentRequest.delete().where(PaymentRequest.sign_on_fee == row.id).execute()
            SignOnFee.delete().where(SignOnFee.id == row.id).execute()
            Membership.delete().where(Membership.organisation == association.id).execute()
            OrganisationTargetGroup.delete().where(OrganisationTargetGroup.organisation == association.id).execute()
            Organisation.delete().where(Organisation.id == association.id).execute()


def _request_on_the_page(client, fee) -> int:
    form = client.get(f"/payments/new?programme={SLAGELSE_PROGRAMME}")
    assert form.status_code == 200
    key = form.text.split('name="idempotency_key" value="', 1)[1].split('"', 1)[0]
    response = client.post("/payments/new", data={
        "csrf_token": csrf_from(form.text), "programme": SLAGELSE_PROGRAMME, "commitment": f"fee:{fee.id}",
        "amount": str(fee.amount_ore // 100), "note": "", "idempotency_key": key})
    assert response.status_code == 303, response.text[:500]
    return int(response.headers["location"].rsplit("/", 1)[1])


def _post(client, path: str, **data):
    page = client.get(path.rsplit("/", 1)[0])
    return client.post(path, data={"csrf_token": csrf_from(page.text), **data})


def _status(payment_id: int) -> str:
    with db.connection():
        return PaymentRequest.get_by_id(payment_id).status


def test_a_coordinator_cannot_mint_a_second_coordinator(client_factory, make_account):
    email = make_account(role="volunteer_centre_coordinator", municipality=None, organisation=CENTRE)
    coordinator = _client(client_factory, email)
    second = new_address()
    response = invite(coordinator, email=second, role="volunteer_centre_coordinator", organisation=CENTRE)
    assert response.status_code == 403
    with db.connection():
        assert not Invitation.select().where(Invitation.email == second).exists()
        assert mail.outbox(to=second) == []


def test_a_second_administrator_needs_a_second_person_and_is_no_second_approver(
        fee, client_factory, make_account, live_server):
    requester_email = make_account(role="municipality_admin", municipality="0330")
    colleague_email = make_account(role="municipality_admin", municipality="0330")
    requester = _client(client_factory, requester_email)
    # the administrator invites "a colleague" (an address of their own): it waits, unsent
    sock_email = new_address()
    response = invite(requester, email=sock_email, role="municipality_admin", municipality="0330")
    assert response.status_code == 200 and 'id="invitation-awaiting"' in response.text
    with db.connection():
        invitation = Invitation.get(Invitation.email == sock_email)
        assert invitation.awaiting_confirmation and mail.outbox(to=sock_email) == []
    # they cannot confirm it themselves
    waiting = requester.get("/invitations/waiting")
    assert waiting.status_code == 200 and f'id="waiting-{invitation.id}"' not in waiting.text
    refused = requester.post(f"/invitations/{invitation.id}/confirm", data={"csrf_token": csrf_from(waiting.text)})
    assert refused.status_code == 403 and "someone else must confirm it" in refused.text
    with db.connection():
        assert Invitation.get_by_id(invitation.id).confirmed_at is None
    # the colleague sees it on their to-do list and confirms: now the mail goes out
    colleague = _client(client_factory, colleague_email)
    assert "/invitations/waiting" in colleague.get("/todo").text
    page = colleague.get("/invitations/waiting")
    assert f'id="waiting-{invitation.id}"' in page.text
    confirmed = colleague.post(f"/invitations/{invitation.id}/confirm", data={"csrf_token": csrf_from(page.text)})
    assert confirmed.status_code == 200 and 'id="invitation-confirmed"' in confirmed.text
    assert accept(client_factory(), link_for(sock_email)).status_code == 303
    with db.connection():
        requester_id = Account.get(Account.email == requester_email).id
        colleague_id = Account.get(Account.email == colleague_email).id
        row = RoleAssignment.select().join(Account, on=(RoleAssignment.account == Account.id)).where(
            Account.email == sock_email).get()
        assert (row.role, row.granted_by_id, row.confirmed_by_id) == ("municipality_admin", requester_id, colleague_id)
        actions = {entry.action for entry in AuditEntry.select().where(AuditEntry.object_type == "invitation",
                                                                       AuditEntry.object_id == str(invitation.id))}
        assert {"invitation.awaiting_confirmation", "invitation.confirmed", "invitation.sent",
                "invitation.accepted"} <= actions
        assert AuditEntry.select().where(AuditEntry.action == "role.grant", AuditEntry.object_id == str(row.id)).exists()

    # the administrator requests a payment; the account they made cannot approve it ...
    payment_id = _request_on_the_page(requester, fee())
    sock = _client(client_factory, sock_email, "seven green owls at midnight")
    detail = sock.get(f"/payments/{payment_id}")
    assert detail.status_code == 200 and 'id="granted-by-requester"' in detail.text
    assert f"/payments/{payment_id}/approve" not in detail.text
    assert f"/payments/{payment_id}" not in sock.get("/todo").text
    response = _post(sock, f"/payments/{payment_id}/approve")
    assert response.status_code == 400 and "granted or confirmed by the person who requested it" in response.text
    with httpx.Client(base_url=live_server, headers={"Authorization": f"Bearer {token_for(sock_email)}"}) as api:
        assert api.post(f"/api/v1/payments/{payment_id}/approve").status_code == 409
    assert _status(payment_id) == "created"
    # ... the independent colleague can; the requester cannot record it as paid, the colleague can
    assert _post(colleague, f"/payments/{payment_id}/approve").status_code == 303
    today = datetime.date.today().isoformat()
    for person in (requester, sock):
        response = _post(person, f"/payments/{payment_id}/paid", paid_on=today, reference="BANK-1")
        assert response.status_code == 400
    assert _status(payment_id) == "approved"
    assert _post(colleague, f"/payments/{payment_id}/paid", paid_on=today, reference="BANK-1").status_code == 303
    assert _status(payment_id) == "paid"


def test_the_municipality_administrator_is_the_centres_second_approver(platform, fee, client_factory):
    """Fællesskabsalliancen's owner has one coordinator: Slagelse's administrator approves and
    records the payment, without the platform administrator."""
    coordinator = _client(client_factory, "slagelse-frivilligcenter@partnerskab.test", DEMO_PASSWORD)
    payment_id = _request_on_the_page(coordinator, fee(15_000))
    assert f"/payments/{payment_id}/approve" not in coordinator.get(f"/payments/{payment_id}").text
    admin = _client(client_factory, "slagelse-admin@partnerskab.test", DEMO_PASSWORD)
    assert f"/payments/{payment_id}" in admin.get("/todo").text
    assert f"/payments/{payment_id}/approve" in admin.get(f"/payments/{payment_id}").text
    assert _post(admin, f"/payments/{payment_id}/approve").status_code == 303
    response = _post(coordinator, f"/payments/{payment_id}/paid", paid_on=datetime.date.today().isoformat(),
                     reference="SLG-1")
    assert response.status_code == 400 and _status(payment_id) == "approved"
    assert _post(admin, f"/payments/{payment_id}/paid", paid_on=datetime.date.today().isoformat(),
                 reference="SLG-1").status_code == 303
    assert _status(payment_id) == "paid"
    with db.connection():
        assert Organisation.get(Organisation.slug == CENTRE).municipality.code == "0330"
        hillerod = actor_for(platform, Account.get(Account.email == "hillerod-admin@partnerskab.test"))
        assert [(g.role, g.municipality_name) for g in hillerod.grants] == [("municipality_admin", "Hillerød Kommune")]
