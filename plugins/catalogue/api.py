"""The catalogue through the JSON API: read the public offers (anyone), and add, replace and
confirm offers (``offer.edit``, within the person's scope) — the same rules as the forms
(``plugins.catalogue.rules``), the same authentication, permission checks and problem answers as
the core's operations, listed in ``/api/openapi.json``.

Money is whole øre (``cost_ore``; 0 is free). An offer the public cannot see (not published,
ended, not checked for 12 months) is "not found" except to those who keep it.
"""
from __future__ import annotations

from peewee import JOIN

from core import authz, tenancy
from core.api.base import (BOOL, DATE, INT, PAGINATION, STR, ApiProblem, ID, Param, iso, list_of, not_found,
                           nullable, obj, operation, page_of)
from core.i18n import gettext
from core.models.organisation import Organisation
from plugins.catalogue import EDIT, rules, search
from plugins.catalogue.models import CATEGORIES, KINDS, MODES, STATUSES, District, Offer
from plugins.catalogue.views_public import danish_today

TAG = "catalogue"
TIME = {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"}
OPTIONAL_TIME = {"type": "string", "pattern": "^(([01][0-9]|2[0-3]):[0-5][0-9])?$"}
SESSION = obj({"weekday": nullable({"type": "integer", "minimum": 1, "maximum": 7}),
               "on_date": nullable(DATE), "starts_at": TIME, "ends_at": OPTIONAL_TIME})
# what a client writes: a weekday or a date (the rules say which is missing), and when it starts
# (the date: a date, or none — null or an empty string, as a form's empty field)
SESSION_IN = obj({**SESSION["properties"], "on_date": {"anyOf": [
    DATE, {"type": "null"}, {"type": "string", "pattern": "^\\s*$", "maxLength": 10}]}}, required=["starts_at"])
NUMBER = {"type": "number"}


def _text(limit: int) -> dict:
    return {"type": "string", "maxLength": limit}


OFFER = obj({
    "id": INT, "url": STR, "public": BOOL, "organisation_id": INT, "organisation_name": STR,
    "municipality_id": nullable(INT), "steward_id": nullable(INT), "kind": {"type": "string", "enum": list(KINDS)},
    "category": {"type": "string", "enum": list(CATEGORIES)}, "title": STR, "description": STR,
    "target_groups": {"type": "array", "items": STR}, "min_age": INT, "max_age": INT, "eligibility": STR,
    "cost_ore": INT, "free": BOOL, "cost_note": STR, "sessions": {"type": "array", "items": SESSION},
    "schedule_note": STR, "starts_on": nullable(DATE), "ends_on": nullable(DATE), "street": STR, "postcode": STR,
    "city": STR, "district": nullable(STR), "latitude": nullable(NUMBER), "longitude": nullable(NUMBER),
    "mode": {"type": "string", "enum": list(MODES)}, "online_url": STR, "wheelchair": BOOL, "languages": STR,
    "what_to_bring": STR, "how_to_join": STR,
    "contact": obj({"role": STR, "name": nullable(STR), "email": STR, "phone": STR}),
    "partners": {"type": "array", "items": INT}, "status": {"type": "string", "enum": list(STATUSES)},
    "published": BOOL, "last_checked": DATE,
})

_WRITABLE = {
    "kind": {"type": "string", "enum": list(KINDS)}, "category": {"type": "string", "enum": list(CATEGORIES)},
    "title": {"type": "string", "minLength": 1, "maxLength": 200}, "description": _text(5000),
    "target_groups": {"type": "array", "items": _text(40), "maxItems": 20},
    "min_age": {"type": "integer", "minimum": 0, "maximum": 120},
    "max_age": {"type": "integer", "minimum": 0, "maximum": 120},
    "eligibility": _text(1000), "cost_ore": {"type": "integer", "minimum": 0, "maximum": 10**11},
    "cost_note": _text(200), "sessions": {"type": "array", "items": SESSION_IN, "maxItems": rules.MAX_SESSIONS},
    "schedule_note": _text(300), "starts_on": nullable(DATE), "ends_on": nullable(DATE), "street": _text(200),
    "postcode": {"type": "string", "pattern": "^([0-9]{4})?$"}, "city": _text(100), "district": _text(80),
    "latitude": nullable({"type": "number", "minimum": -90, "maximum": 90}),
    "longitude": nullable({"type": "number", "minimum": -180, "maximum": 180}),
    "mode": {"type": "string", "enum": list(MODES)}, "online_url": _text(300), "wheelchair": BOOL,
    "languages": _text(200), "what_to_bring": _text(1000), "how_to_join": {"type": "string", "minLength": 1,
                                                                            "maxLength": 2000},
    "contact_role": _text(100), "contact_name": _text(100), "contact_consent": BOOL, "contact_email": _text(200),
    "contact_phone": _text(40), "steward_id": nullable({"type": "integer", "minimum": 1, "maximum": 2**53 - 1}),
    "partners": {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 2**53 - 1},
                 "maxItems": rules.MAX_PARTNERS},
    "status": {"type": "string", "enum": list(STATUSES)}, "published": BOOL,
}
REQUIRED = ["title", "category", "target_groups", "how_to_join"]
CREATE_BODY = {"type": "object", "additionalProperties": False,
               "properties": {"organisation_id": {"type": "integer", "minimum": 1, "maximum": 2**53 - 1},
                              **_WRITABLE},
               "required": ["organisation_id", *REQUIRED]}
REPLACE_BODY = {"type": "object", "additionalProperties": False, "properties": _WRITABLE, "required": REQUIRED}


def offer_json(offer: Offer, base: str, today) -> dict:
    return {
        "id": offer.id, "url": f"{base}/offers/{offer.id}", "public": rules.is_public(offer, today),
        "organisation_id": offer.organisation_id, "organisation_name": offer.organisation.name,
        "municipality_id": offer.municipality_id, "steward_id": offer.steward_id, "kind": offer.kind,
        "category": offer.category, "title": offer.title, "description": offer.description,
        "target_groups": list(offer.groups), "min_age": offer.min_age, "max_age": offer.max_age,
        "eligibility": offer.eligibility, "cost_ore": offer.cost_ore, "free": offer.cost_ore == 0,
        "cost_note": offer.cost_note,
        "sessions": [{"weekday": s.weekday, "on_date": iso(s.on_date), "starts_at": s.starts_at,
                      "ends_at": s.ends_at} for s in offer.sessions],
        "schedule_note": offer.schedule_note, "starts_on": iso(offer.starts_on), "ends_on": iso(offer.ends_on),
        "street": offer.street, "postcode": offer.postcode, "city": offer.city,
        "district": offer.district.name if offer.district_id else None,
        "latitude": offer.latitude, "longitude": offer.longitude, "mode": offer.mode, "online_url": offer.online_url,
        "wheelchair": offer.wheelchair, "languages": offer.languages, "what_to_bring": offer.what_to_bring,
        "how_to_join": offer.how_to_join,
        "contact": {"role": offer.contact_role, "name": offer.contact_name if offer.contact_consent else None,
                    "email": offer.contact_email, "phone": offer.contact_phone},
        "partners": list(getattr(offer, "partner_ids", [])), "status": offer.status, "published": offer.published,
        "last_checked": iso(offer.last_checked),
    }


def _select():
    return (Offer.select(Offer, Organisation.id, Organisation.name, District.id, District.name)
            .join(Organisation, on=(Offer.organisation == Organisation.id))
            .switch(Offer).join(District, JOIN.LEFT_OUTER, on=(Offer.district == District.id)))


def _attach_partners(offers: list[Offer]) -> None:
    from plugins.catalogue.models import OfferPartner
    by_id = {offer.id: offer for offer in offers}
    for offer in offers:
        offer.partner_ids = []
    for row in OfferPartner.select().where(OfferPartner.offer.in_(list(by_id) or [0])).order_by(OfferPartner.id):
        by_id[row.offer_id].partner_ids.append(row.organisation_id)


def _base(call) -> str:
    return str(call.request.base_url).rstrip("/")


def _one(call, offer: Offer) -> dict:
    search.attach([offer])
    _attach_partners([offer])
    return offer_json(offer, _base(call), danish_today())


def catalogue_list_offers(call):
    today = danish_today()
    query = _select().where(Offer.deleted_at.is_null(), Offer.published == True, Offer.status != "ended",  # noqa: E712
                            Offer.last_checked >= rules.stale_before(today))
    if call.params.get("organisation"):
        query = query.where(Offer.organisation == call.params["organisation"])
    result = page_of(call, query, Offer.id, lambda offer: offer)
    search.attach(result["items"])
    _attach_partners(result["items"])
    base = _base(call)
    result["items"] = [offer_json(offer, base, today) for offer in result["items"]]
    return result


def _visible(call) -> Offer:
    offer = _select().where(Offer.id == call.params["offer_id"], Offer.deleted_at.is_null()).first()
    if offer is None:
        raise not_found()
    if rules.is_public(offer, danish_today()) or (call.actor.is_authenticated
                                                   and authz.can(call.actor, EDIT, offer)):
        return offer
    raise not_found()


def catalogue_get_offer(call):
    return _one(call, _visible(call))


def _data(body: dict) -> dict:
    """The API's fields as the rules read them (the form's names)."""
    data = {key: value for key, value in body.items() if key not in ("cost_ore", "steward_id", "organisation_id")}
    data["cost"] = body.get("cost_ore", 0)
    data["steward"] = body.get("steward_id") or ""
    for key in ("starts_on", "ends_on"):
        data[key] = body.get(key) or ""
    for key in ("latitude", "longitude"):
        data[key] = "" if body.get(key) is None else str(body[key])
    data["sessions"] = [{"weekday": "" if s.get("weekday") is None else s.get("weekday"),
                         "on_date": s.get("on_date") or "", "starts_at": s.get("starts_at", ""),
                         "ends_at": s.get("ends_at", "")} for s in body.get("sessions") or []]
    return data


def _may_keep(call, organisation: Organisation, steward_id) -> None:
    if not authz.can(call.actor, EDIT, rules.candidate(organisation, steward_id)):
        raise ApiProblem(403, "Forbidden", gettext("You may not keep the offers of this organisation"),
                         slug="forbidden")


def catalogue_create_offer(call):
    from plugins.catalogue.views_manage import offerable
    body = call.body
    organisation = offerable(call.actor).where(Organisation.id == body["organisation_id"]).first()
    if organisation is None:
        raise not_found()
    organisation = Organisation.get_by_id(organisation.id)
    _may_keep(call, organisation, body.get("steward_id"))
    offer = rules.create_offer(call.platform, organisation, _data(body), call.actor.label, danish_today())
    return 201, _one(call, _select().where(Offer.id == offer.id).first())


def _load_kept(call) -> Offer:
    offer = tenancy.get_scoped(Offer, call.actor, EDIT, Offer.id == call.params["offer_id"],
                               Offer.deleted_at.is_null())
    if offer is None or not authz.can(call.actor, EDIT, offer):
        raise not_found()
    return offer


def catalogue_replace_offer(call):
    offer = call.row
    organisation = Organisation.get_by_id(offer.organisation_id)
    _may_keep(call, organisation, call.body.get("steward_id"))
    rules.update_offer(call.platform, offer, _data(call.body), call.actor.label, danish_today())
    return _one(call, _select().where(Offer.id == offer.id).first())


def catalogue_confirm_offer(call):
    rules.mark_checked(call.row, call.actor.label, danish_today())
    return _one(call, _select().where(Offer.id == call.row.id).first())


def operations():
    offer_id = ID("offer_id", "offer")
    return [
        operation("GET", "/api/v1/catalogue/offers", catalogue_list_offers, permission="public", tag=TAG,
                  summary="The public offers, in id order", response=list_of(OFFER),
                  params=(*PAGINATION, Param("organisation", kind="int", description="Only this organisation's offers",
                                             minimum=1, maximum=2**53 - 1))),
        operation("POST", "/api/v1/catalogue/offers", catalogue_create_offer, permission=EDIT, tag=TAG,
                  summary="Add an offer of an organisation you keep offers for", body=CREATE_BODY, response=OFFER,
                  status=201, extra_statuses=(422,)),
        operation("GET", "/api/v1/catalogue/offers/{offer_id}", catalogue_get_offer, permission="public", tag=TAG,
                  summary="One offer (one the public cannot see only for those who keep it)", params=(offer_id,),
                  response=OFFER),
        operation("PUT", "/api/v1/catalogue/offers/{offer_id}", catalogue_replace_offer, permission=EDIT, tag=TAG,
                  summary="Replace an offer you keep (it counts as checked today)", params=(offer_id,),
                  body=REPLACE_BODY, response=OFFER, extra_statuses=(422,), loader=_load_kept),
        operation("POST", "/api/v1/catalogue/offers/{offer_id}/checked", catalogue_confirm_offer, permission=EDIT,
                  tag=TAG, summary="Confirm that an offer you keep is still right (checked today)",
                  params=(offer_id,), response=OFFER, loader=_load_kept),
    ]
