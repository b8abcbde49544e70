"""A fresh network for the surveys and yearly-count tests: a programme of Copenhagen's social
partnership type (whose partners count members under 25 in the demo) with associations as
partners and one resource person each, made through the core's rules so each test owns its
data and the demo's figures stay as the report gives them."""
from __future__ import annotations

import dataclasses
import datetime

from core import db
from core.models.organisation import Organisation
from core.models.programme import Programme
from core.rules import registry
from tests.core.views._lifecycle import PASSWORD, make_account, make_organisation, make_programme

TYPE = "copenhagen-social-partnerships"
TODAY = datetime.date.today()


@dataclasses.dataclass
class Network:
    programme: Programme
    organisations: list[Organisation]
    people: list[str]      # the resource person of each organisation, by e-mail
    staff: str             # a municipality administrator of Copenhagen
    password: str = PASSWORD


def make_network(platform, size: int) -> Network:
    programme = make_programme(platform, TYPE, "0101")
    organisations, people = [], []
    for n in range(size):
        organisation = make_organisation(platform, f"Testforening {n}", "0101")
        with db.connection():
            registry.add_membership(programme=programme, organisation=organisation, role="partner",
                                    joined_on=TODAY - datetime.timedelta(days=30), actor="test")
        organisations.append(organisation)
        people.append(make_account("resource_person", organisation=organisation.slug, name=f"Ressource {n}"))
    staff = make_account("municipality_admin", municipality="0101", name="Kommunal admin")
    return Network(programme, organisations, people, staff)
