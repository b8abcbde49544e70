"""Sign-on fees, grants and budgets in the browser, through the money rules."""
from __future__ import annotations

import datetime
import re
import uuid

import pytest

from core import db
from core.auth import accounts
from core.models.money import Grant, SignOnFee
from core.models.organisation import Organisation
from core.models.programme import Programme, ProgrammeBudget
from tests.core.auth.conftest import csrf_from
from tests.core.views._manage import (KBH_ADMIN, KBH_CONSULTANT, KBH_PROGRAMME, NATIONAL, SLAGELSE_COORDINATOR,
                                      SLAGELSE_PROGRAMME, as_user, assert_invalid, field_error, log_in,
                                      registry_snapshot, restore_registry, submit, summary_links)

__all__ = ["as_user", "restore_registry"]

FEE = f"/manage/programmes/{SLAGELSE_PROGRAMME}/fees/new"
GRANT = f"/manage/programmes/{KBH_PROGRAMME}/grants/new"
BUDGET = f"/manage/programmes/{KBH_PROGRAMME}/budget"
PASSWORD = "blue kettle under the stairs"
NEXT_YEAR = datetime.date.today().year + 1


def snapshot():
    with db.connection():
        return registry_snapshot()


@pytest.fixture(scope="module")
def slagelse_admin(app):
    """A municipality administrator of Slagelse (the demo has none): records Slagelse's money."""
    email = f"slagelse-admin-{uuid.uuid4().hex[:8]}@example.org"
    with db.connection():
        accounts.create_account(email=email, name="Sofie Slagelse", password=PASSWORD, role="municipality_admin",
                                municipality_code="0330", actor="test")
    return email


def _org(slug):
    with db.connection():
        return Organisation.get(Organisation.slug == slug)


@pytest.fixture
def newcomer(platform, restore_registry):
    """A local association that has just joined Slagelse's network: it may receive its sign-on fee."""
    from core.rules import registry
    with db.connection():
        programme = Programme.get(Programme.slug == SLAGELSE_PROGRAMME)
        organisation = registry.create_organisation(platform, {
            "name": f"Eksempelforening nytilkommen {uuid.uuid4().hex[:6]}", "kind": "association",
            "municipality": "0330"}, "test")
        registry.add_membership(programme=programme, organisation=organisation, role="partner",
                                joined_on=programme.start_date, actor="test")
    return organisation


def test_recording_a_sign_on_fee(as_user, slagelse_admin, newcomer):
    client = log_in(as_user(), slagelse_admin, PASSWORD)
    public = client.get(f"/programmes/{SLAGELSE_PROGRAMME}").text
    assert FEE in public
    form = client.get(FEE)
    assert form.status_code == 200
    # only local associations that may still receive a fee are offered: not the centre that runs the
    # programme, its funder, the national coordinators, local actors of other kinds or those already paid one
    offered = set(re.findall(r'<option value="(\d+)"', form.text))
    assert str(newcomer.id) in offered
    for slug in ("frivilligcentre-selvhjaelp-danmark-frise", "frivilligcenter-slagelse", "socialstyrelsen",
                 "eksempelinstitution-slagelse-bibliotek", "eksempelforening-slagelse-idraet"):
        assert str(_org(slug).id) not in offered, slug
    # and the rule refuses them when posted anyway
    refused = submit(client, FEE, {"organisation": str(_org("frivilligcentre-selvhjaelp-danmark-frise").id),
                                   "amount": "30000", "granted_on": "2024-03-01"}, token_from=FEE)
    assert refused.status_code == 422
    assert "receives no sign-on fee from it" in field_error(refused.text, "organisation")
    response = submit(client, FEE, {"organisation": str(newcomer.id), "amount": "30000", "granted_on": "2024-03-01",
                                    "note": "Tilslutning"}, token_from=FEE)
    assert response.status_code == 303
    assert response.headers["location"] == f"/programmes/{SLAGELSE_PROGRAMME}?saved=fee-recorded"
    assert "The sign-on fee was recorded." in client.get(response.headers["location"]).text
    with db.connection():
        fee = SignOnFee.get(SignOnFee.organisation == newcomer.id)
        assert fee.amount_ore == 3_000_000 and fee.note == "Tilslutning"
    assert f'<option value="{newcomer.id}"' not in client.get(FEE).text  # it has had its fee
    # a second fee for the same organisation is refused with the rule's words
    again = submit(client, FEE, {"organisation": str(newcomer.id), "amount": "100", "granted_on": "2024-04-01"},
                   token_from=FEE)
    assert again.status_code == 422
    assert "already has 1 sign-on fee in this programme" in field_error(again.text, "organisation")


@pytest.mark.parametrize("field, value, message", [
    ("amount", "", "Enter an amount in kroner"),
    ("amount", "abc", "'abc' is not an amount in kroner"),
    ("amount", "-5", "The amount must be positive"),
    ("amount", "30001", "above the sign-on fee cap of"),
    ("granted_on", "", "Enter a date"),
    ("granted_on", "2019-01-01", "is outside the programme's period"),
    ("organisation", "", "Choose an organisation from the list"),
    ("organisation", "rbbc", "The organisation is not in this programme's network"),
])
def test_each_fee_rule_speaks_on_its_field(as_user, slagelse_admin, newcomer, field, value, message):
    client = log_in(as_user(), slagelse_admin, PASSWORD)
    if value == "rbbc":
        value = str(_org("roskilde-basketball-club-rbbc").id)
    before = snapshot()
    data = {"organisation": str(newcomer.id), "amount": "1000", "granted_on": "2024-03-01", "note": "kept note",
            field: value}
    response = submit(client, FEE, data, token_from=FEE)
    assert response.status_code == 422
    assert message in field_error(response.text, field)
    assert field in summary_links(response.text)
    assert_invalid(response.text, field)
    assert 'value="kept note"' in response.text
    assert snapshot() == before


def test_a_programme_without_sign_on_fees(as_user):
    client = as_user(KBH_CONSULTANT)
    path = f"/manage/programmes/{KBH_PROGRAMME}/fees/new"
    assert "has no sign-on fees" in client.get(path).text
    assert path not in client.get(f"/programmes/{KBH_PROGRAMME}").text
    before = snapshot()
    response = submit(client, path, {"organisation": "1", "amount": "100", "granted_on": "2022-05-01"})
    assert response.status_code == 422 and "has no sign-on fees" in response.text
    assert snapshot() == before


def _partner_without_grant(year):
    with db.connection():
        programme = Programme.get(Programme.slug == KBH_PROGRAMME)
        granted = Grant.select(Grant.organisation).where(Grant.programme == programme.id, Grant.year == year)
        from core.models.membership import Membership
        member = (Membership.select().where(Membership.programme == programme.id, Membership.role == "partner",
                                            Membership.deleted_at.is_null(), Membership.organisation.not_in(granted))
                  .first())
        return member.organisation_id


def test_budget_then_grant(as_user, restore_registry):
    """The administrator sets the year's budget; the consultant records a grant within it."""
    client = as_user(KBH_CONSULTANT)
    year = str(NEXT_YEAR)  # the demo has budgets up to this year
    partner = _partner_without_grant(NEXT_YEAR)
    no_budget = submit(client, GRANT, {"organisation": str(partner), "year": year, "amount": "200000"},
                       token_from=GRANT)
    assert no_budget.status_code == 422
    assert field_error(no_budget.text, "amount") == f"The programme has no budget for {year}"
    admin = as_user(KBH_ADMIN)
    response = submit(admin, BUDGET, {"year": year, "amount": "6000000"}, token_from=BUDGET)
    assert response.status_code == 303
    assert response.headers["location"] == f"/programmes/{KBH_PROGRAMME}?saved=budget-set"
    assert "The budget was saved." in admin.get(response.headers["location"]).text
    response = submit(client, GRANT, {"organisation": str(partner), "year": year, "amount": "200000",
                                      "purpose": "Ressourceperson"}, token_from=GRANT)
    assert response.status_code == 303
    assert response.headers["location"] == f"/programmes/{KBH_PROGRAMME}?saved=grant-recorded"
    with db.connection():
        programme = Programme.get(Programme.slug == KBH_PROGRAMME)
        assert ProgrammeBudget.get(ProgrammeBudget.programme == programme.id,
                                   ProgrammeBudget.year == NEXT_YEAR).amount_ore == 600_000_000
        assert Grant.get(Grant.organisation == partner, Grant.year == NEXT_YEAR).amount_ore == 20_000_000


@pytest.mark.parametrize("field, value, message", [
    ("year", "", "Enter a year"),
    ("year", "20x2", "'20x2' is not a year"),
    ("year", "2022", "already has a grant for 2022"),
    ("amount", "250000", "above the programme type's grant of"),
    ("amount", "", "Enter an amount in kroner"),
    ("organisation", "get2sport", "Only partners in this programme's network receive grants"),
])
def test_each_grant_rule_speaks_on_its_field(as_user, field, value, message):
    client = as_user(KBH_ADMIN)
    with db.connection():
        programme = Programme.get(Programme.slug == KBH_PROGRAMME)
        granted = Grant.get(Grant.programme == programme.id, Grant.year == 2022).organisation_id
    if value == "get2sport":
        value = str(_org("dif-get2sport").id)
    before = snapshot()
    data = {"organisation": str(granted), "year": "2022", "amount": "100000", "purpose": "kept", field: value}
    if field == "year" and value == "2022":
        data["amount"] = "1000"
    response = submit(client, GRANT, data, token_from=GRANT)
    assert response.status_code == 422
    assert message in field_error(response.text, field)
    assert_invalid(response.text, field)
    assert snapshot() == before


@pytest.mark.parametrize("data, field, message", [
    ({"year": "2022", "amount": "1000"}, "amount", "The budget cannot be below the"),
    ({"year": "", "amount": "1000"}, "year", "Enter a year"),
    ({"year": "2024", "amount": "lots"}, "amount", "'lots' is not an amount in kroner"),
])
def test_budget_problems(as_user, data, field, message):
    client = as_user(KBH_ADMIN)
    before = snapshot()
    response = submit(client, BUDGET, data, token_from=BUDGET)
    assert response.status_code == 422
    assert message in field_error(response.text, field)
    assert snapshot() == before


def test_who_may_not_record_money(as_user):
    before = snapshot()
    # another municipality: not found
    for path in (FEE, f"/manage/programmes/{SLAGELSE_PROGRAMME}/grants/new",
                 f"/manage/programmes/{SLAGELSE_PROGRAMME}/budget"):
        client = as_user(KBH_ADMIN)
        assert client.get(path).status_code == 404
        assert submit(client, path, {"year": "2024", "amount": "1", "organisation": "1",
                                     "granted_on": "2024-01-01"}).status_code == 404
    # a role without money.record
    assert as_user(NATIONAL).get(FEE).status_code == 403
    assert as_user(NATIONAL).get(BUDGET).status_code == 403
    # the volunteer centre's coordinator records the money of its own partnership only
    coordinator = as_user(SLAGELSE_COORDINATOR)
    assert coordinator.get(FEE).status_code == 200
    assert coordinator.get(BUDGET).status_code == 404
    assert submit(coordinator, BUDGET, {"year": "2024", "amount": "1"}).status_code == 404
    anonymous = as_user()
    assert anonymous.get(BUDGET).status_code == 303
    assert submit(anonymous, BUDGET, {"year": "2024", "amount": "1"}).status_code == 403
    assert snapshot() == before


def test_a_consultant_cannot_set_the_budget_they_request_payments_against(as_user):
    """Budgets stay with those who approve money (``budget.set``): a consultant records grants
    and requests payments, but neither sees nor uses the budget form, over HTTP."""
    before = snapshot()
    consultant = as_user(KBH_CONSULTANT)
    assert consultant.get(BUDGET).status_code == 403
    token = csrf_from(consultant.get(GRANT).text)
    refused = consultant.post(BUDGET, data={"year": "2031", "amount": "99000000", "csrf_token": token})
    assert refused.status_code == 403
    assert snapshot() == before
    programme_page = consultant.get(f"/programmes/{KBH_PROGRAMME}").text
    assert f'href="{BUDGET}"' not in programme_page and f'href="{BUDGET}"' not in consultant.get("/manage").text
    assert f'href="{GRANT}"' in programme_page  # still records grants
    assert consultant.get(f"/payments/new?programme={KBH_PROGRAMME}").status_code == 200  # and requests payments
    admin = as_user(KBH_ADMIN)
    assert f'href="{BUDGET}"' in admin.get(f"/programmes/{KBH_PROGRAMME}").text
    assert admin.get(BUDGET).status_code == 200
