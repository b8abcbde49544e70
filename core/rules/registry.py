"""Creating and changing the registry: municipalities, organisations, programmes, memberships.

Each function validates everything first (collecting every problem, so a form can show them
all), then writes inside one transaction with an audit row. Input arrives as plain strings
from forms, the CLI or demo data.
"""
from __future__ import annotations

import datetime
import re
from typing import Any

from slugify import slugify

from core import clock, inputs
from core.db import database
from core.labels import LabelList, organisation_kind
from core.models import audit
from core.models.membership import MEMBERSHIP_ROLES, Membership
from core.models.municipality import Municipality
from core.models.organisation import ORGANISATION_KINDS, Organisation, OrganisationTargetGroup
from core.models.programme import PROGRAMME_STATUSES, Programme
from core.rules.errors import Collector, RuleViolation
from core.rules.identifiers import normalise_cvr, normalise_municipality_code

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ORGANISATION_FIELDS = ("name", "kind", "cvr", "municipality", "description", "street", "postcode",
                       "city", "email", "phone", "website", "target_groups")


def _text(data: dict[str, Any], key: str, limit: int) -> str:
    return str(data.get(key) or "").strip()[:limit]


def _unique_slug(model, base: str, exclude_id: int | None = None) -> str:
    base = slugify(base)[:180] or "x"
    slug, n = base, 1
    while model.select().where(model.slug == slug, model.id != (exclude_id or 0)).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def parse_date(value: Any, field: str, problems: Collector, required: bool = True) -> datetime.date | None:
    """A date as people type it, bounded (``core.inputs.parse_date``, the one date parser)."""
    return inputs.parse_date(value, field, problems, required)


def ensure_municipality(code: str, name: str, region: str = "") -> Municipality:
    """Create a municipality or return the existing one with that code."""
    code = normalise_municipality_code(code)
    existing = Municipality.get_or_none(Municipality.code == code)
    if existing:
        return existing
    created = Municipality.create(code=code, name=name.strip(), region=region.strip(),
                                  slug=_unique_slug(Municipality, f"{name}"))
    from core.directory import forget_municipalities
    forget_municipalities()  # the directory's filter caches the list
    return created


def municipality_by_code(code: str, field: str = "municipality") -> Municipality:
    normalised = normalise_municipality_code(code, field)
    municipality = Municipality.get_or_none(Municipality.code == normalised)
    if municipality is None:
        raise RuleViolation.one(field, "There is no municipality with code %(value)s", value=normalised)
    return municipality


def _validate_organisation(platform, data: dict[str, Any], current: Organisation | None) -> dict[str, Any]:
    problems = Collector()
    clean: dict[str, Any] = {}
    clean["name"] = _text(data, "name", 201)
    if not clean["name"]:
        problems.add("name", "Enter the organisation's name")
    elif len(clean["name"]) > 200:
        problems.add("name", "The name can be at most 200 characters")
    clean["kind"] = _text(data, "kind", 40)
    if clean["kind"] not in ORGANISATION_KINDS:
        problems.add("kind", "Choose what kind of organisation it is")
    try:
        clean["cvr"] = normalise_cvr(data.get("cvr"))
    except RuleViolation as exc:
        problems.problems.extend(exc.problems)
        clean["cvr"] = None
    if clean["cvr"]:
        clash = Organisation.select().where(Organisation.cvr == clean["cvr"],
                                            Organisation.id != (current.id if current else 0)).first()
        if clash:
            problems.add("cvr", "CVR %(value)s is already registered for %(name)s",
                         value=clean["cvr"], name=clash.name)
    code = _text(data, "municipality", 10)
    clean["municipality"] = None
    if code:
        try:
            clean["municipality"] = municipality_by_code(code)
        except RuleViolation as exc:
            problems.problems.extend(exc.problems)
    for key, limit in (("description", 5000), ("street", 200), ("city", 100), ("phone", 40),
                       ("website", 300)):
        clean[key] = _text(data, key, limit)
    clean["postcode"] = _text(data, "postcode", 10)
    if clean["postcode"] and not re.fullmatch(r"\d{4}", clean["postcode"]):
        problems.add("postcode", "A Danish postcode has 4 digits")
    clean["email"] = _text(data, "email", 200)
    if clean["email"] and not _EMAIL.match(clean["email"]):
        problems.add("email", "'%(value)s' is not an email address", value=clean["email"])
    if clean["website"] and not clean["website"].startswith(("http://", "https://")):
        problems.add("website", "A website address starts with https://")
    groups = data.get("target_groups") or []
    if isinstance(groups, str):
        groups = [part.strip() for part in groups.split(",") if part.strip()]
    unknown = [group for group in groups if group not in platform.target_groups]
    if unknown:
        problems.add("target_groups", "Unknown target group(s): %(value)s", value=", ".join(unknown))
    clean["target_groups"] = list(dict.fromkeys(groups))
    problems.raise_if_any()
    return clean


def _snapshot(organisation: Organisation, groups: list[str]) -> dict[str, Any]:
    return {"name": organisation.name, "kind": organisation.kind, "cvr": organisation.cvr,
            "municipality": organisation.municipality_id, "street": organisation.street,
            "postcode": organisation.postcode, "city": organisation.city, "email": organisation.email,
            "phone": organisation.phone, "website": organisation.website, "target_groups": groups}


def create_organisation(platform, data: dict[str, Any], actor: str) -> Organisation:
    clean = _validate_organisation(platform, data, None)
    groups = clean.pop("target_groups")
    with database.atomic():
        organisation = Organisation(slug=_unique_slug(Organisation, clean["name"]), **clean)
        organisation.save()
        for group in groups:
            OrganisationTargetGroup.create(organisation=organisation, target_group=group)
        audit.record(actor, "organisation.create", organisation,
                     scope=f"municipality:{organisation.municipality_id or ''}",
                     after=_snapshot(organisation, groups))
    return organisation


def update_organisation(platform, organisation: Organisation, data: dict[str, Any], actor: str) -> Organisation:
    before_groups = [row.target_group for row in organisation.target_group_rows]
    before = _snapshot(organisation, before_groups)
    clean = _validate_organisation(platform, data, organisation)
    groups = clean.pop("target_groups")
    with database.atomic():
        for key, value in clean.items():
            setattr(organisation, key, value)
        organisation.updated_at = clock.now()
        organisation.save()
        OrganisationTargetGroup.delete().where(OrganisationTargetGroup.organisation == organisation).execute()
        for group in groups:
            OrganisationTargetGroup.create(organisation=organisation, target_group=group)
        audit.record(actor, "organisation.update", organisation,
                     scope=f"municipality:{organisation.municipality_id or ''}",
                     before=before, after=_snapshot(organisation, groups))
    return organisation


def create_programme(platform, data: dict[str, Any], actor: str) -> Programme:
    problems = Collector()
    name = _text(data, "name", 200)
    if not name:
        problems.add("name", "Enter the programme's name")
    type_key = _text(data, "programme_type", 80)
    programme_type = platform.programme_types.get(type_key)
    if programme_type is None:
        problems.add("programme_type", "Choose one of the programme types the enabled plugins offer")
    municipality = None
    try:
        municipality = municipality_by_code(_text(data, "municipality", 10))
    except RuleViolation as exc:
        problems.problems.extend(exc.problems)
    owner = data.get("owner_organisation")
    if owner is not None and not isinstance(owner, Organisation):
        owner = Organisation.get_or_none(Organisation.id == owner)
        if owner is None:
            problems.add("owner_organisation", "The owning organisation does not exist")
    if programme_type is not None:
        owner_kind = owner.kind if owner else "municipality"
        if owner_kind not in programme_type.owner_kinds:
            problems.add("owner_organisation", "A programme of this type is owned by: %(kinds)s",
                         kinds=LabelList(organisation_kind, programme_type.owner_kinds))
    funder = data.get("funder")
    if funder is not None and not isinstance(funder, Organisation):
        funder = Organisation.get_or_none(Organisation.id == funder)
        if funder is None:
            problems.add("funder", "The funder does not exist")
    start = parse_date(data.get("start_date"), "start_date", problems)
    end = parse_date(data.get("end_date"), "end_date", problems, required=False)
    if start and end and end < start:
        problems.add("end_date", "The end date is before the start date")
    status = _text(data, "status", 20) or "active"
    if status not in PROGRAMME_STATUSES:
        problems.add("status", "Choose a status")
    problems.raise_if_any()
    with database.atomic():
        programme = Programme(name=name, slug=_unique_slug(Programme, data.get("slug") or name),
                              programme_type=type_key, municipality=municipality, owner_organisation=owner,
                              funder=funder, description=_text(data, "description", 5000),
                              start_date=start, end_date=end, status=status)
        programme.save()
        audit.record(actor, "programme.create", programme, scope=f"municipality:{municipality.id}",
                     after={"name": name, "type": type_key, "start": start, "end": end})
    return programme


def add_membership(*, programme: Programme, organisation: Organisation, role: str,
                   joined_on: datetime.date | None, actor: str) -> Membership:
    if role not in MEMBERSHIP_ROLES:
        raise RuleViolation.one("role", "Choose a role: partner, local actor or coordinator")
    with database.atomic():
        existing = Membership.get_or_none(programme=programme.id, organisation=organisation.id)
        if existing and existing.deleted_at is None:
            raise RuleViolation.one("organisation", "%(name)s is already in this programme's network",
                                    name=organisation.name)
        membership = existing or Membership(programme=programme.id, organisation=organisation.id)
        membership.role, membership.joined_on, membership.deleted_at = role, joined_on, None
        membership.left_on = None
        membership.save()
        audit.record(actor, "membership.create", membership, scope=f"programme:{programme.id}",
                     after={"organisation": organisation.id, "role": role, "joined_on": joined_on})
    return membership


def _organisation_ref(value: Any, field: str, problems: Collector, message: str) -> Organisation | None:
    """An organisation given as a row, an id or nothing (None)."""
    if value is None or value == "" or isinstance(value, Organisation):
        return value or None
    organisation = Organisation.get_or_none(Organisation.id == value, Organisation.deleted_at.is_null()) \
        if str(value).isdecimal() else None
    if organisation is None:
        problems.add(field, message)
    return organisation


def _programme_snapshot(programme: Programme) -> dict[str, Any]:
    return {"name": programme.name, "description": programme.description,
            "owner_organisation": programme.owner_organisation_id, "funder": programme.funder_id,
            "start_date": programme.start_date, "end_date": programme.end_date, "status": programme.status}


def update_programme(platform, programme: Programme, data: dict[str, Any], actor: str) -> Programme:
    """Change a programme's name, description, owner, funder, period and status.

    The type and the municipality stay: they decide the money rules and who governs the
    programme, so changing them means a new programme. The period must still hold the
    sign-on fees and grants already recorded."""
    from core.models.money import Grant, SignOnFee
    from peewee import fn
    problems = Collector()
    name = _text(data, "name", 201)
    if not name:
        problems.add("name", "Enter the programme's name")
    elif len(name) > 200:
        problems.add("name", "The name can be at most 200 characters")
    owner = _organisation_ref(data.get("owner_organisation"), "owner_organisation", problems,
                              "The owning organisation does not exist")
    programme_type = platform.programme_types.get(programme.programme_type)
    if programme_type is not None and "owner_organisation" not in {p.field for p in problems.problems}:
        owner_kind = owner.kind if owner else "municipality"
        if owner_kind not in programme_type.owner_kinds:
            problems.add("owner_organisation", "A programme of this type is owned by: %(kinds)s",
                         kinds=LabelList(organisation_kind, programme_type.owner_kinds))
    funder = _organisation_ref(data.get("funder"), "funder", problems, "The funder does not exist")
    start = parse_date(data.get("start_date"), "start_date", problems)
    end = parse_date(data.get("end_date"), "end_date", problems, required=False)
    if start and end and end < start:
        problems.add("end_date", "The end date is before the start date")
    status = _text(data, "status", 20) or "active"
    if status not in PROGRAMME_STATUSES:
        problems.add("status", "Choose a status")
    if start:
        first_fee = (SignOnFee.select(fn.MIN(SignOnFee.granted_on))
                     .where(SignOnFee.programme == programme.id, SignOnFee.deleted_at.is_null()).scalar())
        first_grant = (Grant.select(fn.MIN(Grant.year))
                       .where(Grant.programme == programme.id, Grant.deleted_at.is_null()).scalar())
        if (first_fee and _as_date(first_fee) < start) or (first_grant and int(first_grant) < start.year):
            problems.add("start_date", "Money is already recorded before %(date)s", date=start)
    if end:
        last_fee = (SignOnFee.select(fn.MAX(SignOnFee.granted_on))
                    .where(SignOnFee.programme == programme.id, SignOnFee.deleted_at.is_null()).scalar())
        last_grant = (Grant.select(fn.MAX(Grant.year))
                      .where(Grant.programme == programme.id, Grant.deleted_at.is_null()).scalar())
        if (last_fee and _as_date(last_fee) > end) or (last_grant and int(last_grant) > end.year):
            problems.add("end_date", "Money is already recorded after %(date)s", date=end)
    problems.raise_if_any()
    before = _programme_snapshot(programme)
    with database.atomic():
        programme.name, programme.description = name, _text(data, "description", 5000)
        programme.owner_organisation, programme.funder = owner, funder
        programme.start_date, programme.end_date, programme.status = start, end, status
        programme.save()
        audit.record(actor, "programme.update", programme, scope=f"municipality:{programme.municipality_id}",
                     before=before, after=_programme_snapshot(programme))
    return programme


def _as_date(value: Any) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value)[:10])


def remove_membership(*, membership: Membership, actor: str, left_on: datetime.date | None = None) -> Membership:
    """Take an organisation out of a programme's network (a tombstone: fees and grants stay)."""
    if membership.deleted_at is not None:
        raise RuleViolation.one("membership", "The organisation is no longer in this programme's network")
    with database.atomic():
        membership.left_on = left_on or datetime.date.today()
        membership.deleted_at = clock.now()
        membership.save()
        audit.record(actor, "membership.delete", membership, scope=f"programme:{membership.programme_id}",
                     before={"organisation": membership.organisation_id, "role": membership.role},
                     after={"left_on": membership.left_on})
    return membership
