"""The registry through the API: municipalities, organisations, programmes and memberships.

Public data is public (as on the pages); an organisation's private fields (``private``) are
shown only to those who may ``registry.read_private`` it.
"""
from __future__ import annotations

from peewee import JOIN

from core import authz, directory
from core.api.base import (DATE, DATETIME, ID, INT, PAGINATION, STR, Param, iso, list_of, not_found, nullable, obj,
                           operation, page_of)
from core.models.membership import MEMBERSHIP_ROLES, Membership
from core.models.municipality import Municipality
from core.models.organisation import ORGANISATION_KINDS, Organisation
from core.models.programme import PROGRAMME_STATUSES, Programme
from core.views.programmes import programmes_with_parties

MUNICIPALITY = obj({"id": INT, "code": STR, "name": STR, "region": STR, "slug": STR})
ORGANISATION = obj({
    "id": INT, "slug": STR, "name": STR, "kind": STR, "cvr": nullable(STR), "municipality_id": nullable(INT),
    "description": STR, "street": STR, "postcode": STR, "city": STR, "email": STR, "phone": STR,
    "website": STR, "target_groups": {"type": "array", "items": STR},
    "private": {"type": ["object", "null"], "description": "Only for those who may read the organisation's "
                "private data", "properties": {"created_at": nullable(DATETIME), "updated_at": nullable(DATETIME)}},
})
PROGRAMME = obj({
    "id": INT, "slug": STR, "name": STR, "programme_type": STR, "municipality_id": INT,
    "owner_organisation_id": nullable(INT), "funder_id": nullable(INT), "description": STR,
    "start_date": DATE, "end_date": nullable(DATE), "status": STR,
})
MEMBERSHIP = obj({"id": INT, "programme_id": INT, "organisation_id": INT, "role": STR,
                  "joined_on": nullable(DATE), "left_on": nullable(DATE)})


def municipality_json(row: Municipality) -> dict:
    return {"id": row.id, "code": row.code, "name": row.name, "region": row.region, "slug": row.slug}


def list_municipalities(call):
    return page_of(call, Municipality.select(), Municipality.id, municipality_json)


def get_municipality(call):
    row = Municipality.get_or_none(Municipality.id == call.params["municipality_id"])
    if row is None:
        raise not_found("municipality")
    return municipality_json(row)


def organisation_json(actor):
    def serialize(org: Organisation) -> dict:
        private = None
        if actor.is_authenticated and authz.can(actor, "registry.read_private", org):
            private = {"created_at": iso(org.created_at), "updated_at": iso(org.updated_at)}
        return {"id": org.id, "slug": org.slug, "name": org.name, "kind": org.kind, "cvr": org.cvr,
                "municipality_id": org.municipality_id, "description": org.description, "street": org.street,
                "postcode": org.postcode, "city": org.city, "email": org.email, "phone": org.phone,
                "website": org.website, "target_groups": getattr(org, "target_groups", []), "private": private}
    return serialize


def list_organisations(call):
    query = Organisation.select().where(Organisation.deleted_at.is_null())
    if call.params.get("municipality"):
        query = query.where(Organisation.municipality == call.params["municipality"])
    if call.params.get("kind"):
        query = query.where(Organisation.kind == call.params["kind"])
    result = page_of(call, query, Organisation.id, lambda org: org)
    directory.attach_target_groups(result["items"])  # one query for the page
    serialize = organisation_json(call.actor)
    result["items"] = [serialize(org) for org in result["items"]]
    return result


def get_organisation(call):
    org = Organisation.get_or_none(Organisation.id == call.params["organisation_id"], Organisation.deleted_at.is_null())
    if org is None:
        raise not_found("organisation")
    directory.attach_target_groups([org])
    return organisation_json(call.actor)(org)


def programme_json(row: Programme) -> dict:
    return {"id": row.id, "slug": row.slug, "name": row.name, "programme_type": row.programme_type,
            "municipality_id": row.municipality_id, "owner_organisation_id": row.owner_organisation_id,
            "funder_id": row.funder_id, "description": row.description, "start_date": iso(row.start_date),
            "end_date": iso(row.end_date), "status": row.status}


def list_programmes(call):
    query = programmes_with_parties()
    if call.params.get("municipality"):
        query = query.where(Programme.municipality == call.params["municipality"])
    return page_of(call, query, Programme.id, programme_json)


def get_programme(call):
    row = programmes_with_parties().where(Programme.id == call.params["programme_id"]).first()
    if row is None:
        raise not_found("programme")
    return programme_json(row)


def membership_json(row: Membership) -> dict:
    return {"id": row.id, "programme_id": row.programme_id, "organisation_id": row.organisation_id,
            "role": row.role, "joined_on": iso(row.joined_on), "left_on": iso(row.left_on)}


def list_memberships(call):
    query = (Membership.select(Membership).join(Programme, JOIN.INNER)
             .where(Membership.deleted_at.is_null(), Programme.deleted_at.is_null()))
    if call.params.get("programme"):
        query = query.where(Membership.programme == call.params["programme"])
    if call.params.get("organisation"):
        query = query.where(Membership.organisation == call.params["organisation"])
    return page_of(call, query, Membership.id, membership_json)


def get_membership(call):
    row = (Membership.select(Membership).join(Programme)
           .where(Membership.id == call.params["membership_id"], Membership.deleted_at.is_null(),
                  Programme.deleted_at.is_null()).first())
    if row is None:
        raise not_found("membership")
    return membership_json(row)


def _filter(name: str, what: str) -> Param:
    return Param(name, description=f"Only those of this {what} (its id)", minimum=1)


def routes():
    tag = "registry"
    return [
        operation("GET", "/api/v1/municipalities", list_municipalities, permission=authz.PUBLIC, tag=tag,
                  summary="List municipalities", params=PAGINATION, response=list_of(MUNICIPALITY)),
        operation("GET", "/api/v1/municipalities/{municipality_id}", get_municipality, permission=authz.PUBLIC,
                  tag=tag, summary="One municipality", params=(ID("municipality_id", "municipality"),),
                  response=MUNICIPALITY),
        operation("GET", "/api/v1/organisations", list_organisations, permission=authz.PUBLIC, tag=tag,
                  summary="List organisations (private fields only where permitted)",
                  params=(*PAGINATION, _filter("municipality", "municipality"),
                          Param("kind", kind="enum", choices=ORGANISATION_KINDS, description="Only of this kind")),
                  response=list_of(ORGANISATION)),
        operation("GET", "/api/v1/organisations/{organisation_id}", get_organisation, permission=authz.PUBLIC,
                  tag=tag, summary="One organisation", params=(ID("organisation_id", "organisation"),),
                  response=ORGANISATION),
        operation("GET", "/api/v1/programmes", list_programmes, permission=authz.PUBLIC, tag=tag,
                  summary="List programmes", params=(*PAGINATION, _filter("municipality", "municipality")),
                  response=list_of(PROGRAMME)),
        operation("GET", "/api/v1/programmes/{programme_id}", get_programme, permission=authz.PUBLIC, tag=tag,
                  summary="One programme", params=(ID("programme_id", "programme"),), response=PROGRAMME),
        operation("GET", "/api/v1/memberships", list_memberships, permission=authz.PUBLIC, tag=tag,
                  summary="List network memberships",
                  params=(*PAGINATION, _filter("programme", "programme"), _filter("organisation", "organisation")),
                  response=list_of(MEMBERSHIP)),
        operation("GET", "/api/v1/memberships/{membership_id}", get_membership, permission=authz.PUBLIC, tag=tag,
                  summary="One membership", params=(ID("membership_id", "membership"),), response=MEMBERSHIP),
    ]


__all__ = ["routes", "PROGRAMME_STATUSES", "MEMBERSHIP_ROLES"]
