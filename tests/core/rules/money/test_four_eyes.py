"""Four eyes are two people (issue 7, security item 2): the role-granting table, and the money
rules refusing an approver whose approving grant the requester issued or confirmed, directly
or through others, and a requester who tries to record their own payment as paid."""
from __future__ import annotations

import uuid

import pytest

from core import authz
from core.auth import accounts, role_grants
from core.auth.web import actor_for
from core.models import Municipality, Organisation, RoleAssignment
from core.models.payment import PaymentRequest
from core.rules import money
from core.rules.errors import RuleViolation
from tests.core.rules.conftest import TEST_MUNICIPALITY, unique
from tests.core.rules.money.test_payments import DAY, PASSWORD, english, request_fee

CODE = TEST_MUNICIPALITY[0]


def person(platform, role="municipality_admin", *, municipality=CODE, organisation=None, granted_by=None,
           confirmed_by=None):
    created = accounts.create_account(
        email=f"eyes-{uuid.uuid4().hex[:10]}@example.org", name=unique("Person"), password=PASSWORD, role=role,
        municipality_code=municipality if organisation is None else None, organisation_ref=organisation,
        actor="test", granted_by=granted_by.account.id if granted_by else None,
        confirmed_by=confirmed_by.account.id if confirmed_by else None)
    return actor_for(platform, created)


def also(platform, actor, role, *, municipality=None, organisation=None, granted_by=None):
    RoleAssignment.create(account=actor.account.id, role=role, municipality=municipality, organisation=organisation,
                          granted_by_id=granted_by.account.id if granted_by else None)
    return actor_for(platform, actor.account)


@pytest.fixture
def fee(platform, build):
    programme = build.programme(budgets={2024: 1_000_000})
    organisation = build.member(programme)
    return money.record_sign_on_fee(platform, programme_id=programme.id, organisation_id=organisation.id,
                                    amount_ore=30_000 * 100, granted_on=DAY, actor="test")


def refused_as_same_person(call) -> str:
    with pytest.raises(RuleViolation) as refused:
        call()
    assert "approved_by" in refused.value.by_field()
    return " ".join(english(refused.value)["approved_by"])


def test_an_approver_whose_role_the_requester_granted_is_no_second_person(platform, fee):
    requester = person(platform)
    sock = person(platform, granted_by=requester)          # "a second account they created"
    payment = request_fee(requester, fee, 10_000_00)
    message = refused_as_same_person(lambda: money.approve_payment(actor=sock, payment_id=payment.id))
    assert "granted or confirmed by the person who requested it" in message
    assert PaymentRequest.get_by_id(payment.id).status == "created"
    assert payment.id not in {p.id for p in money.payments_waiting(sock)}
    # a real second person (an operator's grant) approves; the requester cannot record it as paid
    colleague = person(platform)
    assert payment.id in {p.id for p in money.payments_waiting(colleague)}
    money.approve_payment(actor=colleague, payment_id=payment.id)
    message = refused_as_same_person(lambda: money.mark_paid(actor=requester, payment_id=payment.id,
                                                             paid_on=DAY, reference="REF-1"))
    assert "you requested this one yourself" in message
    refused_as_same_person(lambda: money.mark_paid(actor=sock, payment_id=payment.id, paid_on=DAY,
                                                   reference="REF-1"))
    assert PaymentRequest.get_by_id(payment.id).status == "approved"
    money.mark_paid(actor=colleague, payment_id=payment.id, paid_on=DAY, reference="REF-1")
    assert PaymentRequest.get_by_id(payment.id).status == "paid"


def test_a_confirmation_by_the_requester_taints_the_grant_too(platform, fee):
    requester = person(platform)
    inviter = person(platform)
    approver = person(platform, granted_by=inviter, confirmed_by=requester)
    payment = request_fee(requester, fee, 5_000_00)
    refused_as_same_person(lambda: money.approve_payment(actor=approver, payment_id=payment.id))


def test_the_chain_of_grants_is_followed(platform, fee):
    """The requester made an administrator, who made the approver: still one person's doing."""
    requester = person(platform)
    middle = person(platform, granted_by=requester)
    approver = person(platform, granted_by=middle)
    payment = request_fee(requester, fee, 5_000_00)
    refused_as_same_person(lambda: money.approve_payment(actor=approver, payment_id=payment.id))
    assert role_grants.upstream(RoleAssignment.select().where(RoleAssignment.account == approver.account.id)) == {
        middle.account.id, requester.account.id}


def test_an_independent_grant_covering_the_programme_is_enough(platform, fee):
    requester = person(platform)
    approver = person(platform, granted_by=requester)
    refused_as_same_person(lambda: money.approve_payment(actor=approver, payment_id=request_fee(
        requester, fee, 1_000_00).id))
    # the same role, had it been an operator's grant, counts
    RoleAssignment.update(granted_by_id=None).where(RoleAssignment.account == approver.account.id).execute()
    approver = actor_for(platform, approver.account)
    payment = request_fee(requester, fee, 1_000_00)
    assert money.approve_payment(actor=approver, payment_id=payment.id).status == "approved"


def test_a_grant_from_the_requester_elsewhere_does_not_taint_an_independent_one(platform, fee, build):
    requester = person(platform)
    approver = person(platform)  # an operator's grant in the programme's municipality
    elsewhere = Municipality.get(Municipality.code == "0101")
    also(platform, approver, "consultant", municipality=elsewhere.id, granted_by=requester)
    payment = request_fee(requester, fee, 1_000_00)
    assert money.approve_payment(actor=approver, payment_id=payment.id).status == "approved"


# --- the role-granting table --------------------------------------------------------------------

def _decision(platform, grant, role, municipality=None, organisation=None):
    actor = authz.Actor(platform.permissions, accounts.Account(id=10**9, email="x@example.org"), (grant,))
    return role_grants.decide(actor, role, municipality, organisation)


def test_the_role_granting_table(platform, build):
    municipality = build.municipality
    other = Municipality.get(Municipality.code == "0101")
    centre = build.organisation("volunteer_centre", unique("Centre"))
    association = build.organisation()
    national = Organisation.get(Organisation.slug == "socialstyrelsen")
    admin = authz.Grant("municipality_admin", municipality.id)
    coordinator = authz.Grant("volunteer_centre_coordinator", organisation_id=centre.id)
    platform_admin = authz.Grant("platform_admin")
    # a municipality administrator: consultants and organisations' people at home, directly ...
    assert _decision(platform, admin, "consultant", municipality) == role_grants.Decision(True, False)
    assert _decision(platform, admin, "volunteer_centre_coordinator", None, centre) == role_grants.Decision(True)
    assert _decision(platform, admin, "board_member", None, association).allowed
    # ... another administrator only with a second person's confirmation ...
    assert _decision(platform, admin, "municipality_admin", municipality) == role_grants.Decision(True, True)
    # ... and nothing elsewhere, in national bodies, or above
    assert not _decision(platform, admin, "consultant", other).allowed
    assert not _decision(platform, admin, "board_member", None, national).allowed
    assert not _decision(platform, admin, "platform_admin").allowed
    assert not _decision(platform, admin, "national_coordinator").allowed
    # a coordinator: its own centre's people, no coordinators, nothing in its network
    assert _decision(platform, coordinator, "board_member", None, centre).allowed
    assert not _decision(platform, coordinator, "volunteer_centre_coordinator", None, centre).allowed
    assert not _decision(platform, coordinator, "resource_person", None, association).allowed
    assert not _decision(platform, coordinator, "consultant", municipality).allowed
    # people of an organisation, consultants and the national coordinator grant nothing
    for role in ("consultant", "resource_person", "board_member", "national_coordinator"):
        grant = authz.Grant(role, municipality.id if role == "consultant" else None,
                            association.id if role in ("resource_person", "board_member") else None)
        assert not _decision(platform, grant, "board_member", None, association).allowed, role
    # the platform administrator: anything, anywhere, national bodies included
    for role in ("platform_admin", "municipality_admin", "board_member"):
        place = {"municipality_admin": (municipality, None), "board_member": (None, national)}.get(role, (None, None))
        assert _decision(platform, platform_admin, role, *place) == role_grants.Decision(True, False), role


def test_no_role_that_approves_money_is_granted_sideways_without_a_second_person(platform):
    """Every rule that hands out a role holding ``payment.approve`` either comes from above
    (the grantor's role is not the one granted) or needs a confirmation."""
    table = platform.permissions
    for rule in role_grants.TABLE:
        if table.grants(rule.role, "payment.approve") and rule.grantor != "platform_admin":
            assert rule.grantor != rule.role or rule.confirm, rule
        if rule.grantor == "volunteer_centre_coordinator":
            assert not table.grants(rule.role, "payment.approve") and not table.grants(rule.role, "payment.request")
