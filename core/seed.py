"""Seed data of declared programme types (``[seed]`` in their TOML): the municipality, the
organisations that own and fund the programme, the programme and its budget per year.

``partnerskab seed`` loads it on any deployment, ``partnerskab demo`` with the demo data, and
the first-run page right after it writes the file. Every row is found by its natural key
(municipality code, organisation slug, programme slug, budget year) before it is made, and
made through the same rules as the web forms, so loading twice changes nothing and a seed can
never break a rule. Each write is audit-logged under ``seed:<file>``.
"""
from __future__ import annotations

from slugify import slugify

from core.db import database
from core.declared import Declaration, Seed, SeedOrganisation
from core.models import audit
from core.models.municipality import Municipality
from core.models.organisation import Organisation
from core.models.programme import Programme, ProgrammeBudget
from core.rules import money, registry


def actor_of(declaration: Declaration) -> str:
    return f"seed:{declaration.source}"[:200]


def municipality(seed: Seed, actor: str) -> Municipality:
    existing = Municipality.get_or_none(Municipality.code == seed.municipality_code)
    if existing is not None:
        return existing
    created = registry.ensure_municipality(seed.municipality_code, seed.municipality_name, seed.region)
    audit.record(actor, "municipality.create", created, scope=f"municipality:{created.id}",
                 after={"code": created.code, "name": created.name, "region": created.region})
    return created


def organisation(platform, wanted: SeedOrganisation | None, code: str | None, actor: str) -> Organisation | None:
    if wanted is None:
        return None
    existing = Organisation.get_or_none(Organisation.slug == slugify(wanted.name)[:180])
    if existing is not None:
        return existing
    return registry.create_organisation(platform, {"name": wanted.name, "kind": wanted.kind,
                                                   "municipality": code or "", "city": wanted.city}, actor)


def load_one(platform, declaration: Declaration) -> Programme | None:
    """The declaration's seed in the database (inside the caller's transaction); its programme."""
    seed = declaration.seed
    if seed is None:
        return None
    actor = actor_of(declaration)
    place = municipality(seed, actor)
    programme = Programme.get_or_none(Programme.slug == seed.programme_slug)
    if programme is None:
        owner = organisation(platform, seed.owner, place.code, actor)
        # a national body (a funder such as a national authority) belongs to no municipality
        national = seed.funder is not None and seed.funder.kind == "national_body"
        funder = organisation(platform, seed.funder, None if national else place.code, actor)
        programme = registry.create_programme(platform, {
            "slug": seed.programme_slug, "name": seed.programme_name,
            "programme_type": declaration.programme_type.key, "municipality": place.code,
            "start_date": seed.start, "end_date": seed.end, "owner_organisation": owner, "funder": funder,
            "description": seed.description}, actor)
    for year, kroner in seed.budgets:
        if not ProgrammeBudget.select().where(ProgrammeBudget.programme == programme.id,
                                              ProgrammeBudget.year == year).exists():
            money.set_budget(programme_id=programme.id, year=year, amount_ore=kroner * 100, actor=actor)
    return programme


def load(platform) -> list[Programme]:
    """Every declared seed, all of it or none."""
    with database.atomic():
        return [programme for declaration in platform.declarations
                if (programme := load_one(platform, declaration)) is not None]
