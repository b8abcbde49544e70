"""The four kinds every instance can publish from the core's registry: programmes,
organisations (public fields only), network memberships, and money (sign-on fees and grants:
amounts and years).

Each item embeds what the national dashboards need to read it on its own: the municipality
(code and name) and, for memberships and money, the programme's id, name and type (which never
change for a programme). Left out on purpose: organisations' email and phone, and the free-text
notes on fees and grants, which may name a person; nothing here is about a child.
"""
from __future__ import annotations

from collections import defaultdict

from peewee import JOIN

from core.i18n import lazy_gettext as _
from core.models.changes import touch
from core.models.membership import MEMBERSHIP_ROLES, Membership
from core.models.money import Grant, SignOnFee
from core.models.municipality import Municipality
from core.models.organisation import ORGANISATION_KINDS, Organisation, OrganisationTargetGroup
from core.models.programme import PROGRAMME_STATUSES, Programme, ProgrammeBudget
from plugins.federation import kinds as k
from plugins.federation.kinds import INSTANCE_SCOPE, FeedKind, Invalid, Row, municipality_scope

Owner = Organisation.alias("owner")
Funder = Organisation.alias("funder")


def _municipality_id(scope: str) -> int | None:
    if scope == INSTANCE_SCOPE:
        return None
    prefix, _sep, value = scope.partition(":")
    if prefix != "municipality" or not value.isdecimal():
        raise ValueError(f"not a share scope: {scope!r}")
    return int(value)


def _ids(item_ids: list[str], prefix: str = "") -> list[int]:
    found = []
    for item_id in item_ids:
        if item_id.startswith(prefix) and item_id[len(prefix):].isdecimal():
            found.append(int(item_id[len(prefix):]))
    return found


def _municipality(row: Municipality | None) -> dict | None:
    return {"code": row.code, "name": row.name} if row is not None else None


def _organisation_ref(row: Organisation) -> dict:
    return {"id": row.id, "slug": row.slug, "name": row.name, "cvr": row.cvr, "kind": row.kind}


def _programme_ref(row: Programme) -> dict:
    return {"id": row.id, "slug": row.slug, "name": row.name, "programme_type": row.programme_type}


def _programme_ids_in(scope: str):
    return Programme.select(Programme.id).where(Programme.municipality == _municipality_id(scope))


# --- programmes -------------------------------------------------------------------------------

def scan_programmes(after: int, limit: int) -> list[Row]:
    query = (Programme.select(Programme.id, Programme.change_number, Programme.deleted_at, Programme.municipality)
             .where(Programme.change_number > after).order_by(Programme.change_number, Programme.id).limit(limit))
    return [Row(str(p.id), p.change_number, p.deleted_at is None, municipality_scope(p.municipality_id))
            for p in query]


def load_programmes(item_ids: list[str]) -> dict[str, dict]:
    ids = _ids(item_ids)
    if not ids:
        return {}
    budgets: dict[int, list[dict]] = defaultdict(list)
    for budget in (ProgrammeBudget.select().where(ProgrammeBudget.programme.in_(ids))
                   .order_by(ProgrammeBudget.programme, ProgrammeBudget.year)):
        budgets[budget.programme_id].append({"year": budget.year, "amount_ore": budget.amount_ore})
    query = (Programme.select(Programme, Municipality, Owner, Funder)
             .join_from(Programme, Municipality)
             .join_from(Programme, Owner, JOIN.LEFT_OUTER, on=(Programme.owner_organisation == Owner.id))
             .join_from(Programme, Funder, JOIN.LEFT_OUTER, on=(Programme.funder == Funder.id))
             .where(Programme.id.in_(ids)))
    found = {}
    for p in query:
        found[str(p.id)] = {
            "slug": p.slug, "name": p.name, "programme_type": p.programme_type,
            "municipality": _municipality(p.municipality), "description": p.description,
            "owner": _organisation_ref(p.owner_organisation) if p.owner_organisation_id else None,
            "funder": _organisation_ref(p.funder) if p.funder_id else None,
            "start_date": p.start_date.isoformat(), "end_date": p.end_date.isoformat() if p.end_date else None,
            "status": p.status, "budgets": budgets.get(p.id, []),
        }
    return found


def _organisation_ref_checked(data: dict, key: str) -> dict | None:
    value = k.mapping(data, key, required=False)
    if value is None:
        return None
    cvr = k.optional_text(value, "cvr", 8)
    return {"id": k.integer(value, "id", minimum=1), "slug": k.text(value, "slug", 200),
            "name": k.text(value, "name", 200), "cvr": cvr, "kind": k.text(value, "kind", 40)}


def validate_programme(data: dict) -> dict:
    budgets = data.get("budgets")
    if not isinstance(budgets, list) or len(budgets) > 100:
        raise Invalid("budgets: expected a list")
    return {
        "slug": k.text(data, "slug", 200), "name": k.text(data, "name", 200),
        "programme_type": k.text(data, "programme_type", 80), "municipality": k.municipality(data),
        "description": k.text(data, "description", 5000, required=False),
        "owner": _organisation_ref_checked(data, "owner"), "funder": _organisation_ref_checked(data, "funder"),
        "start_date": k.day(data, "start_date"), "end_date": k.day(data, "end_date", required=False),
        "status": k.choice(data, "status", PROGRAMME_STATUSES),
        "budgets": [{"year": k.integer(b, "year", minimum=1900, maximum=2200),
                     "amount_ore": k.integer(b, "amount_ore")} for b in budgets if _is_dict(b)],
    }


def _is_dict(value) -> bool:
    if not isinstance(value, dict):
        raise Invalid("expected an object in a list")
    return True


def programme_facets(data: dict) -> dict:
    return {"municipality_code": data["municipality"]["code"], "municipality_name": data["municipality"]["name"],
            "programme_type": data["programme_type"], "category": data["status"],
            "year": int(data["start_date"][:4]), "value": None}


def touch_programmes(scope: str) -> int:
    if scope == INSTANCE_SCOPE:
        return 0
    return touch(Programme, Programme.municipality == _municipality_id(scope))


# --- organisations ----------------------------------------------------------------------------

def scan_organisations(after: int, limit: int) -> list[Row]:
    query = (Organisation.select(Organisation.id, Organisation.change_number, Organisation.deleted_at,
                                 Organisation.municipality)
             .where(Organisation.change_number > after)
             .order_by(Organisation.change_number, Organisation.id).limit(limit))
    return [Row(str(o.id), o.change_number, o.deleted_at is None, municipality_scope(o.municipality_id))
            for o in query]


def load_organisations(item_ids: list[str]) -> dict[str, dict]:
    ids = _ids(item_ids)
    if not ids:
        return {}
    groups: dict[int, list[str]] = defaultdict(list)
    for row in (OrganisationTargetGroup.select().where(OrganisationTargetGroup.organisation.in_(ids))
                .order_by(OrganisationTargetGroup.organisation, OrganisationTargetGroup.target_group)):
        groups[row.organisation_id].append(row.target_group)
    query = (Organisation.select(Organisation, Municipality)
             .join(Municipality, JOIN.LEFT_OUTER).where(Organisation.id.in_(ids)))
    return {str(o.id): {
        "slug": o.slug, "name": o.name, "kind": o.kind, "cvr": o.cvr,
        "municipality": _municipality(o.municipality) if o.municipality_id else None,
        "description": o.description, "street": o.street, "postcode": o.postcode, "city": o.city,
        "website": o.website, "target_groups": groups.get(o.id, []),
    } for o in query}


def validate_organisation(data: dict) -> dict:
    groups = data.get("target_groups")
    if not isinstance(groups, list) or len(groups) > 50 or not all(isinstance(g, str) and len(g) <= 40 for g in groups):
        raise Invalid("target_groups: expected a list of keys")
    return {
        "slug": k.text(data, "slug", 200), "name": k.text(data, "name", 200),
        "kind": k.choice(data, "kind", ORGANISATION_KINDS), "cvr": k.optional_text(data, "cvr", 8),
        "municipality": k.municipality(data, required=False),
        "description": k.text(data, "description", 5000, required=False),
        "street": k.text(data, "street", 200, required=False), "postcode": k.text(data, "postcode", 4, required=False),
        "city": k.text(data, "city", 100, required=False), "website": k.text(data, "website", 300, required=False),
        "target_groups": groups,
    }


def organisation_facets(data: dict) -> dict:
    municipality = data["municipality"] or {"code": "", "name": ""}
    return {"municipality_code": municipality["code"], "municipality_name": municipality["name"],
            "category": data["kind"]}


def touch_organisations(scope: str) -> int:
    municipality_id = _municipality_id(scope)
    if municipality_id is None:
        return touch(Organisation, Organisation.municipality.is_null())
    return touch(Organisation, Organisation.municipality == municipality_id)


# --- memberships ------------------------------------------------------------------------------

def scan_memberships(after: int, limit: int) -> list[Row]:
    query = (Membership.select(Membership.id, Membership.change_number, Membership.deleted_at, Programme.municipality)
             .join(Programme).where(Membership.change_number > after)
             .order_by(Membership.change_number, Membership.id).limit(limit))
    return [Row(str(m.id), m.change_number, m.deleted_at is None, municipality_scope(m.programme.municipality_id))
            for m in query]


def load_memberships(item_ids: list[str]) -> dict[str, dict]:
    ids = _ids(item_ids)
    if not ids:
        return {}
    query = (Membership.select(Membership, Programme, Municipality, Organisation)
             .join_from(Membership, Programme).join_from(Programme, Municipality)
             .join_from(Membership, Organisation).where(Membership.id.in_(ids)))
    return {str(m.id): {
        "programme": _programme_ref(m.programme), "municipality": _municipality(m.programme.municipality),
        "organisation": _organisation_ref(m.organisation), "role": m.role,
        "joined_on": m.joined_on.isoformat() if m.joined_on else None,
        "left_on": m.left_on.isoformat() if m.left_on else None,
    } for m in query}


def _programme_ref_checked(data: dict) -> dict:
    value = k.mapping(data, "programme")
    return {"id": k.integer(value, "id", minimum=1), "slug": k.text(value, "slug", 200),
            "name": k.text(value, "name", 200), "programme_type": k.text(value, "programme_type", 80)}


def validate_membership(data: dict) -> dict:
    return {"programme": _programme_ref_checked(data), "municipality": k.municipality(data),
            "organisation": _organisation_ref_checked(data, "organisation") or _missing("organisation"),
            "role": k.choice(data, "role", MEMBERSHIP_ROLES),
            "joined_on": k.day(data, "joined_on", required=False), "left_on": k.day(data, "left_on", required=False)}


def _missing(key: str):
    raise Invalid(f"{key}: missing")


def membership_facets(data: dict) -> dict:
    return {"municipality_code": data["municipality"]["code"], "municipality_name": data["municipality"]["name"],
            "programme_type": data["programme"]["programme_type"], "category": data["role"],
            "year": int(data["joined_on"][:4]) if data["joined_on"] else None}


def touch_memberships(scope: str) -> int:
    if scope == INSTANCE_SCOPE:
        return 0
    return touch(Membership, Membership.programme.in_(_programme_ids_in(scope)))


# --- money: sign-on fees and grants -----------------------------------------------------------

FEE, GRANT = "fee-", "grant-"


def scan_money(after: int, limit: int) -> list[Row]:
    rows = []
    for model, prefix in ((SignOnFee, FEE), (Grant, GRANT)):
        query = (model.select(model.id, model.change_number, model.deleted_at, Programme.municipality)
                 .join(Programme).where(model.change_number > after)
                 .order_by(model.change_number, model.id).limit(limit))
        rows += [Row(f"{prefix}{r.id}", r.change_number, r.deleted_at is None,
                     municipality_scope(r.programme.municipality_id)) for r in query]
    rows.sort(key=lambda row: (row.modified, row.item_id))
    return rows[:limit]


def _funder(programme: Programme) -> dict:
    """Who pays, as the core's 360Giving export names it: the funder, the owning organisation,
    else the municipality."""
    if programme.funder_id:
        return {"name": programme.funder.name, "cvr": programme.funder.cvr, "slug": programme.funder.slug,
                "municipality_code": None}
    if programme.owner_organisation_id:
        owner = programme.owner_organisation
        return {"name": owner.name, "cvr": owner.cvr, "slug": owner.slug, "municipality_code": None}
    return {"name": programme.municipality.name, "cvr": None, "slug": None,
            "municipality_code": programme.municipality.code}


def load_money(item_ids: list[str]) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for model, prefix in ((SignOnFee, FEE), (Grant, GRANT)):
        ids = _ids(item_ids, prefix)
        if not ids:
            continue
        query = (model.select(model, Programme, Municipality, Organisation, Owner, Funder)
                 .join_from(model, Programme).join_from(Programme, Municipality)
                 .join_from(model, Organisation)
                 .join_from(Programme, Owner, JOIN.LEFT_OUTER, on=(Programme.owner_organisation == Owner.id))
                 .join_from(Programme, Funder, JOIN.LEFT_OUTER, on=(Programme.funder == Funder.id))
                 .where(model.id.in_(ids)))
        for row in query:
            is_fee = model is SignOnFee
            recipient = _organisation_ref(row.organisation)
            recipient.update(city=row.organisation.city, postcode=row.organisation.postcode)
            found[f"{prefix}{row.id}"] = {
                "type": "sign_on_fee" if is_fee else "grant",
                "programme": _programme_ref(row.programme), "municipality": _municipality(row.programme.municipality),
                "organisation": recipient, "funder": _funder(row.programme),
                "amount_ore": row.amount_ore,
                "year": row.granted_on.year if is_fee else row.year,
                "date": row.granted_on.isoformat() if is_fee else None,
            }
    return found


def validate_money(data: dict) -> dict:
    organisation = _organisation_ref_checked(data, "organisation") or _missing("organisation")
    raw = k.mapping(data, "organisation")
    organisation.update(city=k.text(raw, "city", 100, required=False),
                        postcode=k.text(raw, "postcode", 4, required=False))
    funder = k.mapping(data, "funder")
    return {"type": k.choice(data, "type", ("sign_on_fee", "grant")), "programme": _programme_ref_checked(data),
            "municipality": k.municipality(data), "organisation": organisation,
            "funder": {"name": k.text(funder, "name", 200), "cvr": k.optional_text(funder, "cvr", 8),
                       "slug": k.optional_text(funder, "slug", 200),
                       "municipality_code": k.optional_text(funder, "municipality_code", 4)},
            "amount_ore": k.integer(data, "amount_ore", minimum=1),
            "year": k.integer(data, "year", minimum=1900, maximum=2200),
            "date": k.day(data, "date", required=False)}


def money_facets(data: dict) -> dict:
    return {"municipality_code": data["municipality"]["code"], "municipality_name": data["municipality"]["name"],
            "programme_type": data["programme"]["programme_type"], "category": data["type"],
            "year": data["year"], "value": data["amount_ore"]}


def touch_money(scope: str) -> int:
    if scope == INSTANCE_SCOPE:
        return 0
    programmes = _programme_ids_in(scope)
    return touch(SignOnFee, SignOnFee.programme.in_(programmes)) + touch(Grant, Grant.programme.in_(programmes))


def kinds() -> list[FeedKind]:
    return [
        FeedKind("programmes", _("Programmes"), _("Programmes with their type, period, status and yearly budgets."),
                 scan_programmes, load_programmes, validate_programme, programme_facets, touch_programmes),
        FeedKind("organisations", _("Organisations"),
                 _("Organisations' public details: name, kind, CVR number, address, website, target groups."),
                 scan_organisations, load_organisations, validate_organisation, organisation_facets,
                 touch_organisations, instance_scope=True),
        FeedKind("memberships", _("Network memberships"),
                 _("Which organisations are in which programme's network, in which role and since when."),
                 scan_memberships, load_memberships, validate_membership, membership_facets, touch_memberships),
        FeedKind("money", _("Sign-on fees and grants"),
                 _("Amounts and years of sign-on fees and grants, with programme and recipient organisation."),
                 scan_money, load_money, validate_money, money_facets, touch_money),
    ]
