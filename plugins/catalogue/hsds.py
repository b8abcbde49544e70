"""The catalogue as open data in Open Referral's Human Services Data Specification, HSDS 3.0:
organizations, services (the offers), locations, schedules (RFC 5545 rules), cost options,
contacts and taxonomy attributes, served as the standard's API shapes (``/api/v1/hsds``,
paginated pages with ``total_items`` … ``contents``), public and listed in the OpenAPI document.

Only public offers are published (published, not ended, checked within 12 months), and of a
contact only the role and what the person agreed to show.

Ids: HSDS asks for UUIDs. Every id here is an RFC 9562 UUIDv8 that carries the instance's random
48-bit key (``catalogue_identity``), the kind of record and the row's number, so two instances
never mint the same id and an id in an address leads back to its row without a lookup table.
"""
from __future__ import annotations

import datetime
import math
import threading
import uuid
import zlib

from peewee import JOIN, fn

from core import db
from core.api.base import ApiProblem, Param, operation
from core.i18n import gettext
from core.models.municipality import Municipality
from core.models.organisation import Organisation
from core.search import terms
from plugins.catalogue import facets, rules, search
from plugins.catalogue.labels import LABELS
from plugins.catalogue.models import CatalogueIdentity, District, Offer
from plugins.catalogue.views_public import danish_today

VERSION = "3.0"
PROFILE = "https://docs.openreferral.org/en/latest/hsds/"
MAX_PER_PAGE = 200
DEFAULT_PER_PAGE = 50
ORGANISATION_SERVICES = 200
KINDS = {"service": 1, "organization": 2, "location": 3, "service_at_location": 4, "schedule": 5, "address": 6,
         "cost_option": 7, "contact": 8, "phone": 9, "attribute": 10, "taxonomy_term": 11, "language": 12,
         "organization_identifier": 13, "accessibility": 14}
STATUS = {"active": "active", "paused": "temporarily closed", "ended": "inactive"}
BYDAY = {1: "MO", 2: "TU", 3: "WE", 4: "TH", 5: "FR", 6: "SA", 7: "SU"}
_keys: dict[int, int] = {}
_lock = threading.Lock()


# --- ids ---------------------------------------------------------------------------------------------

def instance_key() -> int:
    """This instance's 48-bit key, read once per process and database."""
    database_key = id(db.database.obj)
    key = _keys.get(database_key)
    if key is None:
        row = CatalogueIdentity.select().order_by(CatalogueIdentity.id).first()
        key = int(row.key, 16) if row is not None else 0
        with _lock:
            _keys[database_key] = key
    return key


def uuid_for(kind: str, number: int) -> str:
    """A UUIDv8: 48 bits of instance key, version 8, 12 bits of kind, variant, 62 bits of number."""
    value = (instance_key() << 80) | (8 << 76) | (KINDS[kind] << 64) | (0b10 << 62) | (number & (2**62 - 1))
    return str(uuid.UUID(int=value))


def number_of(text: str, kind: str) -> int | None:
    """The row number an id of this instance and kind carries, or None."""
    try:
        value = uuid.UUID(text).int
    except (ValueError, AttributeError, TypeError):
        return None
    if (value >> 80) != instance_key() or (value >> 76) & 0xF != 8 or (value >> 64) & 0xFFF != KINDS[kind]:
        return None
    return value & (2**62 - 1)


def _sub(kind: str, offer_id: int, index: int = 0) -> str:
    return uuid_for(kind, offer_id * 64 + index)


def _term_number(key: str) -> int:
    return zlib.crc32(key.encode())


# --- records -------------------------------------------------------------------------------------

def _iso_datetime(value) -> str:
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if value.tzinfo is not None:
        value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return value.replace(microsecond=0).isoformat() + "Z"


def organization(org: Organisation, base: str) -> dict:
    record = {"id": uuid_for("organization", org.id), "name": org.name, "description": org.description or "",
              "uri": f"{base}/organisations/{org.slug}"}
    if org.email:
        record["email"] = org.email
    if org.website and org.website.startswith(("http://", "https://")):
        record["website"] = org.website
    if org.cvr:
        record["organization_identifiers"] = [{"id": uuid_for("organization_identifier", org.id),
                                               "identifier_scheme": "DK-CVR", "identifier_type": "CVR",
                                               "identifier": org.cvr}]
    return record


def _schedules(offer: Offer, service_id: str) -> list[dict]:
    found = []
    for index, session in enumerate(offer.sessions):
        if not session.starts_at:
            continue
        record = {"id": _sub("schedule", offer.id, index), "service_id": service_id, "opens_at": session.starts_at,
                  "description": LABELS.session(session), "attending_type": offer.mode}
        if session.ends_at:
            record["closes_at"] = session.ends_at
        if session.weekday:
            record.update(freq="WEEKLY", interval=1, byday=BYDAY[session.weekday], wkst="MO")
            if offer.starts_on:
                record["valid_from"] = record["dtstart"] = offer.starts_on.isoformat()
            if offer.ends_on:
                record["valid_to"] = record["until"] = offer.ends_on.isoformat()
        else:
            day = session.on_date.isoformat()
            record.update(dtstart=day, valid_from=day, valid_to=day, count=1)
        if offer.schedule_note:
            record["notes"] = offer.schedule_note
        found.append(record)
    return found


def _locations(offer: Offer, service_id: str) -> list[dict]:
    found = []
    if offer.mode in ("in_person", "both") and (offer.street or offer.city or offer.district_id):
        location_id = _sub("location", offer.id, 0)
        municipality = offer.municipality if offer.municipality_id else None
        location = {"id": location_id, "location_type": "physical",
                    "name": (offer.district.name if offer.district_id else "") or offer.city or offer.street,
                    "addresses": [{"id": _sub("address", offer.id, 0), "location_id": location_id,
                                   "address_1": offer.street or offer.city,
                                   "city": offer.city or (municipality.name if municipality else ""),
                                   "region": municipality.name if municipality else "",
                                   "state_province": municipality.region if municipality else "",
                                   "postal_code": offer.postcode, "country": "DK", "address_type": "physical"}]}
        if offer.latitude is not None and offer.longitude is not None:
            location.update(latitude=offer.latitude, longitude=offer.longitude)
        if offer.wheelchair:
            location["accessibility"] = [{"id": _sub("accessibility", offer.id, 0), "location_id": location_id,
                                          "description": gettext("Wheelchair access")}]
        found.append(location)
    if offer.mode in ("online", "both"):
        location = {"id": _sub("location", offer.id, 1), "location_type": "virtual", "name": gettext("Online")}
        if offer.online_url.startswith("https://"):
            location["url"] = offer.online_url
        found.append(location)
    return [{"id": _sub("service_at_location", offer.id, position), "service_id": service_id,
             "location_id": location["id"], "location": location} for position, location in enumerate(found)]


def _attributes(offer: Offer, service_id: str, platform) -> list[dict]:
    pairs = [("target_group", group, platform.target_group_label(group)) for group in offer.groups]
    pairs.append(("category", offer.category, LABELS.category(offer.category)))
    pairs.append(("kind", offer.kind, LABELS.kind(offer.kind)))
    found = []
    for index, (taxonomy, key, label) in enumerate(pairs):
        term_id = uuid_for("taxonomy_term", _term_number(f"{taxonomy}:{key}"))
        found.append({"id": _sub("attribute", offer.id, index), "link_id": service_id, "link_type": taxonomy,
                      "link_entity": "service", "value": key, "taxonomy_term_id": term_id,
                      "taxonomy_term": {"id": term_id, "code": key, "name": label, "description": label,
                                        "taxonomy": f"partnerskab-{taxonomy.replace('_', '-')}"}})
    return found


def service(offer: Offer, base: str, platform, full: bool) -> dict:
    """An offer as an HSDS service; ``full`` nests its related records."""
    service_id = uuid_for("service", offer.id)
    price = LABELS.price(offer.cost_ore) + (f" – {offer.cost_note}" if offer.cost_note else "")
    record = {"id": service_id, "organization_id": uuid_for("organization", offer.organisation_id),
              "name": offer.title, "description": offer.description, "url": f"{base}/offers/{offer.id}",
              "status": STATUS[offer.status], "application_process": offer.how_to_join, "fees_description": price,
              "minimum_age": offer.min_age, "maximum_age": offer.max_age,
              "assured_date": offer.last_checked.isoformat(), "last_modified": _iso_datetime(offer.updated_at),
              "organization": organization(offer.organisation, base)}
    if offer.eligibility:
        record["eligibility_description"] = offer.eligibility
    if offer.contact_email:
        record["email"] = offer.contact_email
    if not full:
        return record
    record["schedules"] = _schedules(offer, service_id)
    record["service_at_locations"] = _locations(offer, service_id)
    record["cost_options"] = [{"id": _sub("cost_option", offer.id), "service_id": service_id, "currency": "DKK",
                               "amount": offer.cost_ore / 100 if offer.cost_ore % 100 else offer.cost_ore // 100,
                               "option": LABELS.price(offer.cost_ore),
                               **({"amount_description": offer.cost_note} if offer.cost_note else {})}]
    record["languages"] = [{"id": _sub("language", offer.id, index), "service_id": service_id, "name": name.strip()}
                           for index, name in enumerate(offer.languages.split(",")) if name.strip()][:20]
    record["attributes"] = _attributes(offer, service_id, platform)
    if offer.contact_role or offer.contact_email or offer.contact_phone:
        contact_id = _sub("contact", offer.id)
        contact = {"id": contact_id, "service_id": service_id, "title": offer.contact_role}
        if offer.contact_name and offer.contact_consent:
            contact["name"] = offer.contact_name
        if offer.contact_email:
            contact["email"] = offer.contact_email
        if offer.contact_phone:
            contact["phones"] = [{"id": _sub("phone", offer.id, 1), "contact_id": contact_id,
                                  "number": offer.contact_phone}]
        record["contacts"] = [contact]
    if offer.contact_phone:
        record["phones"] = [{"id": _sub("phone", offer.id, 0), "service_id": service_id,
                             "number": offer.contact_phone}]
    return record


# --- queries and pages -------------------------------------------------------------------------

def _public(today: datetime.date) -> list:
    return [Offer.deleted_at.is_null(), Offer.published == True, Offer.status != "ended",  # noqa: E712
            Offer.last_checked >= rules.stale_before(today)]


def _offers():
    return (Offer.select(Offer, Organisation, Municipality, District)
            .join(Organisation, on=(Offer.organisation == Organisation.id))
            .switch(Offer).join(Municipality, JOIN.LEFT_OUTER, on=(Offer.municipality == Municipality.id))
            .switch(Offer).join(District, JOIN.LEFT_OUTER, on=(Offer.district == District.id)))


def _paging(call) -> tuple[int, int]:
    page = call.params.get("page") or 1
    per_page = call.params.get("per_page") or DEFAULT_PER_PAGE
    return page, per_page


def _page(items: list, total: int, page: int, per_page: int) -> dict:
    pages = max(1, math.ceil(total / per_page))
    return {"total_items": total, "total_pages": pages, "page_number": page, "size": len(items),
            "first_page": page == 1, "last_page": page >= pages, "empty": total == 0, "contents": items}


def _full(call) -> bool:
    return call.params.get("full") == "true"


def _base(call) -> str:
    return str(call.request.base_url).rstrip("/")


def hsds_about(call):
    base = _base(call)
    return {"version": VERSION, "profile": PROFILE, "openapi_url": f"{base}/api/openapi.json"}


def hsds_list_services(call):
    today = danish_today()
    conditions = _public(today)
    words = terms(call.params.get("search") or "")
    if words:
        conditions.append(search.text_condition(words, [facets.PUBLIC]))
    if call.params.get("organization_id"):
        organisation_id = number_of(call.params["organization_id"], "organization")
        if organisation_id is None:
            return _page([], 0, *_paging(call))
        conditions.append(Offer.organisation == organisation_id)
    page, per_page = _paging(call)
    total = Offer.select().where(*conditions).count()
    rows = list(_offers().where(*conditions).order_by(Offer.id).offset((page - 1) * per_page).limit(per_page))
    full = _full(call)
    if full:
        search.attach(rows)
    base = _base(call)
    return _page([service(offer, base, call.platform, full) for offer in rows], total, page, per_page)


def hsds_get_service(call):
    offer_id = number_of(call.params["id"], "service")
    offer = _offers().where(Offer.id == offer_id, *_public(danish_today())).first() if offer_id else None
    if offer is None:
        raise ApiProblem(404, "Not found", gettext("No public service has this id"), slug="not-found")
    search.attach([offer])
    return service(offer, _base(call), call.platform, True)


def _providers(today: datetime.date):
    public = Offer.select(Offer.organisation).where(*_public(today))
    return Organisation.select().where(Organisation.deleted_at.is_null(), Organisation.id.in_(public))


def hsds_list_organizations(call):
    today = danish_today()
    page, per_page = _paging(call)
    total = _providers(today).count()
    rows = list(_providers(today).order_by(Organisation.id).offset((page - 1) * per_page).limit(per_page))
    base = _base(call)
    return _page([organization(org, base) for org in rows], total, page, per_page)


def hsds_get_organization(call):
    today = danish_today()
    organisation_id = number_of(call.params["id"], "organization")
    org = _providers(today).where(Organisation.id == organisation_id).first() if organisation_id else None
    if org is None:
        raise ApiProblem(404, "Not found", gettext("No organisation with public services has this id"),
                         slug="not-found")
    base = _base(call)
    offers = list(_offers().where(Offer.organisation == org.id, *_public(today)).order_by(Offer.id)
                  .limit(ORGANISATION_SERVICES))
    search.attach(offers)
    record = organization(org, base)
    record["services"] = [{key: value for key, value in service(offer, base, call.platform, True).items()
                           if key != "organization"} for offer in offers]
    return record


PAGE = {"type": "object", "required": ["total_items", "total_pages", "page_number", "size", "first_page",
                                       "last_page", "empty", "contents"],
        "properties": {"total_items": {"type": "integer"}, "total_pages": {"type": "integer"},
                       "page_number": {"type": "integer"}, "size": {"type": "integer"},
                       "first_page": {"type": "boolean"}, "last_page": {"type": "boolean"},
                       "empty": {"type": "boolean"},
                       "contents": {"type": "array", "items": {"type": "object", "required": ["id", "name"]}}}}
SERVICE = {"type": "object", "required": ["id", "name", "status"],
           "description": "An HSDS 3.0 service (https://docs.openreferral.org/en/latest/hsds/schema_reference.html)"}
ORGANIZATION = {"type": "object", "required": ["id", "name", "description"],
                "description": "An HSDS 3.0 organization"}


def operations():
    paging = (Param("page", kind="int", description="Page number (from 1)", minimum=1, maximum=1_000_000),
              Param("per_page", kind="int", description=f"Items per page (default {DEFAULT_PER_PAGE})", minimum=1,
                    maximum=MAX_PER_PAGE))
    full = Param("full", kind="enum", choices=("true", "false"), description="Nest every related record")
    record_id = Param("id", location="path", kind="str", required=True, max_length=36, description="The HSDS id")
    return [
        operation("GET", "/api/v1/hsds", hsds_about, permission="public", tag="hsds",
                  summary="About this HSDS 3.0 API",
                  response={"type": "object", "required": ["version", "profile", "openapi_url"],
                            "properties": {"version": {"type": "string"}, "profile": {"type": "string"},
                                           "openapi_url": {"type": "string"}}}),
        operation("GET", "/api/v1/hsds/services", hsds_list_services, permission="public", tag="hsds",
                  summary="The public offers as HSDS services, in pages",
                  params=(Param("search", kind="str", description="Words to find", max_length=200), *paging, full,
                          Param("organization_id", kind="str", description="Only this organization's services",
                                max_length=36)),
                  response=PAGE),
        operation("GET", "/api/v1/hsds/services/{id}", hsds_get_service, permission="public", tag="hsds",
                  summary="One HSDS service, fully nested", params=(record_id,), response=SERVICE),
        operation("GET", "/api/v1/hsds/organizations", hsds_list_organizations, permission="public", tag="hsds",
                  summary="The organisations with public offers, as HSDS organizations", params=paging,
                  response=PAGE),
        operation("GET", "/api/v1/hsds/organizations/{id}", hsds_get_organization, permission="public", tag="hsds",
                  summary="One HSDS organization with its services", params=(record_id,), response=ORGANIZATION),
    ]


__all__ = ["fn", "number_of", "operations", "organization", "service", "uuid_for"]
