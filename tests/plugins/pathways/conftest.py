"""A partnership of our own for the pathway tests: a programme of TUFF's type (the steps first
contact → participant → co-developer → volunteer, counted per half-year) owned by Frivilligcenter
Hillerød, whose demo coordinator checks its counts, with partner associations whose resource
persons and board members report them. Removed again afterwards, so the demo data other tests
read stays as loaded."""
from __future__ import annotations

import dataclasses
import datetime
import uuid

import httpx
import pytest

from core import db
from core.auth import accounts
from core.models.account import Account, RoleAssignment, Session
from core.models.membership import Membership
from core.models.organisation import Organisation, OrganisationTargetGroup
from core.models.programme import Programme
from core.rules import registry
from plugins.pathways.models import PathwayCount, PathwayReport
from tests.core.views._manage import log_in, new_client

PASSWORD = "seven quiet herons over the fjord"
TYPE_KEY = "hillerod-tuff"
COORDINATOR = "hillerod-frivilligcenter@partnerskab.test"
OTHER_COORDINATOR = "slagelse-frivilligcenter@partnerskab.test"
ACTOR = "test:pathways"


@dataclasses.dataclass
class Partnership:
    programme: Programme
    partners: list[Organisation]
    people: list[str]          # the email of each partner's resource person (board member for the second)

    @property
    def slug(self) -> str:
        return self.programme.slug


def make_partner(platform, programme: Programme, name: str, role: str = "resource_person") -> tuple[Organisation, str]:
    organisation = registry.create_organisation(platform, {
        "name": name, "kind": "association", "municipality": "0219", "city": "Hillerød"}, ACTOR)
    registry.add_membership(programme=programme, organisation=organisation, role="partner",
                            joined_on=programme.start_date, actor=ACTOR)
    email = f"pathway-{uuid.uuid4().hex[:10]}@example.org"
    accounts.create_account(email=email, name=f"Person {name}", password=PASSWORD, role=role,
                            organisation_ref=organisation.slug, actor=ACTOR)
    return organisation, email


def remove(programme: Programme, organisations: list[Organisation], emails: list[str]) -> None:
    wipe_reports(programme)
    remove_partners(programme, organisations, emails)
    with db.connection(), db.database.atomic():
        Membership.delete().where(Membership.programme == programme.id).execute()
        Programme.delete().where(Programme.id == programme.id).execute()


def remove_partners(programme: Programme, organisations: list[Organisation], emails: list[str]) -> None:
    """Take partners made for a test out again: their reports, memberships, accounts and rows."""
    with db.connection(), db.database.atomic():
        ids = [organisation.id for organisation in organisations] or [0]
        reports = PathwayReport.select(PathwayReport.id).where(PathwayReport.organisation.in_(ids))
        PathwayCount.delete().where(PathwayCount.report.in_(reports)).execute()
        PathwayReport.delete().where(PathwayReport.organisation.in_(ids)).execute()
        Membership.delete().where(Membership.programme == programme.id, Membership.organisation.in_(ids)).execute()
        for email in emails:
            account = Account.get_or_none(Account.email == email)
            if account is not None:
                Session.delete().where(Session.account == account.id).execute()
                RoleAssignment.delete().where(RoleAssignment.account == account.id).execute()
                account.delete_instance(recursive=True)
        for organisation in organisations:
            OrganisationTargetGroup.delete().where(OrganisationTargetGroup.organisation == organisation.id).execute()
            organisation.delete_instance(recursive=True)


@pytest.fixture(scope="module")
def partnership(platform, app):
    tag = uuid.uuid4().hex[:6]
    with db.connection():
        centre = Organisation.get(Organisation.slug == "frivilligcenter-hillerod")
        programme = registry.create_programme(platform, {
            "slug": f"pathway-test-{tag}", "name": f"Pathway test {tag}", "programme_type": TYPE_KEY,
            "municipality": "0219", "owner_organisation": centre, "start_date": datetime.date(2024, 1, 1),
            "end_date": datetime.date(2027, 12, 31)}, ACTOR)
        a, a_person = make_partner(platform, programme, f"Pathway Klub A {tag}")
        b, b_person = make_partner(platform, programme, f"Pathway Klub B {tag}", role="board_member")
    made = Partnership(programme, [a, b], [a_person, b_person])
    yield made
    remove(programme, made.partners, made.people)


@pytest.fixture
def client_for(live_server):
    """``client_for(email)``: a logged-in English client (the partnership's people use its password)."""
    clients: list[httpx.Client] = []

    def make(email: str | None = None) -> httpx.Client:
        client = new_client(live_server)
        clients.append(client)
        if email is None:
            return client
        return log_in(client, email, PASSWORD) if email.endswith("@example.org") else log_in(client, email)
    yield make
    for client in clients:
        client.close()


def wipe_reports(programme: Programme) -> None:
    with db.connection(), db.database.atomic():
        reports = PathwayReport.select(PathwayReport.id).where(PathwayReport.programme == programme.id)
        PathwayCount.delete().where(PathwayCount.report.in_(reports)).execute()
        PathwayReport.delete().where(PathwayReport.programme == programme.id).execute()


def counts_form(period: str, flows: dict[str, tuple[int, int, int]], organisation: int | None = None) -> dict:
    """The report form's fields: per step (entered, moved on, left); the last step has no moved on."""
    data = {"period": period}
    if organisation is not None:
        data["organisation"] = str(organisation)
    for step, (entered, moved_on, left) in flows.items():
        data[f"{step}-entered"] = str(entered)
        data[f"{step}-left"] = str(left)
        if step != "volunteer":
            data[f"{step}-moved_on"] = str(moved_on)
    return data


GOOD_H1 = {"first_contact": (12, 8, 2), "participant": (9, 4, 1), "co_developer": (4, 2, 0), "volunteer": (2, 0, 0)}
GOOD_H2 = {"first_contact": (10, 6, 1), "participant": (7, 5, 2), "co_developer": (5, 3, 1), "volunteer": (3, 0, 1)}
