"""Demo data: plugins describe their municipality's real programme; this package makes it idempotent.

``Demo`` (here) builds the registry: municipalities, organisations, programmes, budgets, network
members, grants and sign-on fees; ``core.demo.lifecycle`` the programme lifecycle (calls,
applications, agreements, resource persons); ``core.demo.payments`` payment requests.

Every helper finds the existing row by its natural key (municipality code, organisation
slug, programme slug, ...) before creating one, and creates through the same rules as the
web forms and the CLI, so a second ``partnerskab demo`` changes nothing and demo data can
never break a rule.
"""
from __future__ import annotations

import datetime

from slugify import slugify

from core.db import database
from core.models.membership import Membership
from core.models.money import Grant, SignOnFee
from core.models.organisation import Organisation
from core.models.programme import Programme, ProgrammeBudget
from core.rules import money, registry

ACTOR = "demo-data"


class Demo:
    def __init__(self, platform):
        self.platform = platform

    def municipality(self, code: str, name: str, region: str):
        return registry.ensure_municipality(code, name, region)

    def organisation(self, name: str, kind: str, municipality: str | None = None, **fields) -> Organisation:
        existing = Organisation.get_or_none(Organisation.slug == slugify(name)[:180])
        if existing:
            return existing
        data = {"name": name, "kind": kind, "municipality": municipality or "", **fields}
        return registry.create_organisation(self.platform, data, ACTOR)

    def programme(self, slug: str, name: str, programme_type: str, municipality: str, start: datetime.date,
                  end: datetime.date | None = None, owner: Organisation | None = None,
                  funder: Organisation | None = None, description: str = "", status: str = "active") -> Programme:
        existing = Programme.get_or_none(Programme.slug == slug)
        if existing:
            return existing
        return registry.create_programme(self.platform, {
            "slug": slug, "name": name, "programme_type": programme_type, "municipality": municipality,
            "start_date": start, "end_date": end, "owner_organisation": owner, "funder": funder,
            "description": description, "status": status}, ACTOR)

    def account(self, email: str, name: str, role: str, municipality: str | None = None,
                organisation: Organisation | str | None = None) -> None:
        """A demo account with the demo password and one role, in a municipality (its code) or
        an organisation (the row, its slug or CVR number); left alone when it exists."""
        from core.auth.accounts import create_account
        from core.models.account import Account
        if Account.select().where(Account.email == email).exists():
            return
        if isinstance(organisation, Organisation):
            organisation = organisation.slug
        create_account(email=email, name=name, password=DEMO_PASSWORD, role=role, municipality_code=municipality,
                       organisation_ref=organisation, actor=ACTOR)

    def budget(self, programme: Programme, year: int, amount_kroner: int) -> None:
        if not ProgrammeBudget.select().where(ProgrammeBudget.programme == programme.id,
                                              ProgrammeBudget.year == year).exists():
            money.set_budget(programme_id=programme.id, year=year, amount_ore=amount_kroner * 100, actor=ACTOR)

    def member(self, programme: Programme, organisation: Organisation, role: str,
               joined_on: datetime.date | None = None) -> None:
        if not Membership.select().where(Membership.programme == programme.id,
                                         Membership.organisation == organisation.id).exists():
            registry.add_membership(programme=programme, organisation=organisation, role=role,
                                    joined_on=joined_on, actor=ACTOR)

    def grant(self, programme: Programme, organisation: Organisation, year: int, amount_kroner: int,
              purpose: str = "") -> None:
        if not Grant.select().where(Grant.programme == programme.id, Grant.organisation == organisation.id,
                                    Grant.year == year).exists():
            money.record_grant(self.platform, programme_id=programme.id, organisation_id=organisation.id,
                               year=year, amount_ore=amount_kroner * 100, actor=ACTOR, purpose=purpose)

    def sign_on_fee(self, programme: Programme, organisation: Organisation, amount_kroner: int,
                    granted_on: datetime.date, note: str = "") -> None:
        if not SignOnFee.select().where(SignOnFee.programme == programme.id,
                                        SignOnFee.organisation == organisation.id).exists():
            money.record_sign_on_fee(self.platform, programme_id=programme.id, organisation_id=organisation.id,
                                     amount_ore=amount_kroner * 100, granted_on=granted_on, actor=ACTOR,
                                     note=note)


def load(platform) -> None:
    """Run every enabled plugin's demo data in one transaction: all of it or none."""
    with database.atomic():
        platform.pm.hook.load_demo_data(platform=platform)



# Demo accounts: the core makes the instance-wide ones, each plugin those of its municipality
# (``Demo.account``), one per role in all. The password is public (README): demo deployments
# only, and ``demo = false`` refuses to load demo data at all.
DEMO_PASSWORD = "demo-partnerskab-2025"
CORE_DEMO_ACCOUNTS = (
    ("admin@partnerskab.test", "Platform Administrator", "platform_admin"),
    ("national@partnerskab.test", "Peter Skov", "national_coordinator"),
)


def load_accounts(platform) -> None:
    demo = Demo(platform)
    for email, name, role in CORE_DEMO_ACCOUNTS:
        demo.account(email, name, role)
