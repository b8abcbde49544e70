"""Builders for the rules tests: a test municipality, organisations with fresh names and valid
CVR numbers, and programmes with budgets and members, all made through the rules themselves."""
from __future__ import annotations

import datetime
import random
import uuid

import pytest
from stdnum.dk import cvr as stdnum_cvr

from core.models import AuditEntry, Grant, SignOnFee
from core.rules import money, registry

ACTOR = "test-rules"
TEST_MUNICIPALITY = ("0990", "Testkommune for regler")
SLAGELSE_TYPE = "slagelse-faellesskabsalliancen"
COPENHAGEN_TYPE = "copenhagen-social-partnerships"
ROSKILDE_TYPE = "roskilde-social-partnership-associations"


def unique(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:10]}"


def random_valid_cvr(rng: random.Random = random.SystemRandom()) -> str:
    """A valid CVR number (modulus 11) nobody else is likely to have picked."""
    while True:
        stem = str(rng.randint(1_000_000, 9_999_999))
        for digit in "0123456789":
            if stdnum_cvr.is_valid(stem + digit):
                return stem + digit


def fees_of(programme) -> list[SignOnFee]:
    return list(SignOnFee.select().where(SignOnFee.programme == programme.id).order_by(SignOnFee.id))


def grants_of(programme) -> list[Grant]:
    return list(Grant.select().where(Grant.programme == programme.id).order_by(Grant.id))


def audit_of(programme, action: str | None = None) -> list[AuditEntry]:
    query = AuditEntry.select().where(AuditEntry.scope == f"programme:{programme.id}")
    if action:
        query = query.where(AuditEntry.action == action)
    return list(query.order_by(AuditEntry.id))


class Builder:
    def __init__(self, platform):
        self.platform = platform
        self.municipality = registry.ensure_municipality(*TEST_MUNICIPALITY)

    def organisation(self, kind: str = "association", name: str | None = None, **fields):
        data = {"name": name or unique("Testforening"), "kind": kind,
                "municipality": self.municipality.code, **fields}
        return registry.create_organisation(self.platform, data, ACTOR)

    def programme(self, programme_type: str = SLAGELSE_TYPE, *, owner=None,
                  start=datetime.date(2023, 1, 1), end=datetime.date(2026, 12, 31),
                  budgets: dict[int, int] | None = None):
        if owner is None and programme_type in (SLAGELSE_TYPE, "hillerod-tuff"):
            owner = self.organisation("volunteer_centre", unique("Testfrivilligcenter"))
        programme = registry.create_programme(self.platform, {
            "name": unique("Testprogram"), "programme_type": programme_type,
            "municipality": self.municipality.code, "owner_organisation": owner,
            "start_date": start, "end_date": end}, ACTOR)
        for year, kroner in (budgets or {}).items():
            money.set_budget(programme_id=programme.id, year=year, amount_ore=kroner * 100, actor=ACTOR)
        return programme

    def member(self, programme, role: str = "partner", organisation=None, **fields):
        organisation = organisation or self.organisation(**fields)
        registry.add_membership(programme=programme, organisation=organisation, role=role,
                                joined_on=programme.start_date, actor=ACTOR)
        return organisation


@pytest.fixture
def build(platform, dbconn) -> Builder:
    return Builder(platform)
