"""The catalogue's rules: what an offer must say, and the writes, each in one transaction with
its audit row. Forms, the API, the demo data and the command line all come through here, so a
refusal reads the same everywhere (a ``RuleViolation`` with a message per field).

Who may write is decided before these run (``core.authz.can`` on the offer, or on the offer it
would become: ``candidate``); here are the offer's own rules:

* a title, a kind, a category, at least one target group, and how to join;
* ages from 0 to 120, the lowest not above the highest;
* a price in kroner (kept in øre), or nothing: free;
* when it meets: weekly on a weekday or on a date, from HH:MM to a later HH:MM (up to 10);
* where: an address or a town for an offer in person, a web address starting https:// online;
* a contact is a role; a person's own name only with their consent;
* the volunteer centre that helps keep it up to date is one of the offer's own municipality;
* a saved offer counts as checked today; "not checked for 12 months" makes it stale.
"""
from __future__ import annotations

import dataclasses
import datetime
import re
from typing import Any, Iterable

from core import clock
from core.db import database
from core.folding import fold
from core.models import audit
from core.models.organisation import Organisation
from core.rules.errors import Collector, RuleViolation
from plugins.catalogue import facets as facet_tokens
from plugins.catalogue.models import (CATEGORIES, KINDS, MAX_AGE, MIN_AGE, MODES, STATUSES, District, Offer,
                                      OfferPartner, OfferSession, OfferTargetGroup, OfferVisit)

MAX_SESSIONS = 10
MAX_PARTNERS = 10
STALE_MONTHS = 12
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_TIME = re.compile(r"^([01]?[0-9]|2[0-3])[:.]([0-5][0-9])$")
_PHONE = re.compile(r"^\+?[0-9 ()-]{4,40}$")
TEXT_LIMITS = {"title": 200, "description": 5000, "eligibility": 1000, "cost_note": 200, "schedule_note": 300,
               "street": 200, "city": 100, "district": 80, "online_url": 300, "languages": 200,
               "what_to_bring": 1000, "how_to_join": 2000, "contact_role": 100, "contact_name": 100,
               "contact_email": 200, "contact_phone": 40}


def local_today() -> datetime.date:
    """Today in Denmark: the day an offer is checked on and its visits are counted."""
    from core import clock
    from core.i18n import local_time
    return local_time(clock.now()).date()


def stale_before(today: datetime.date) -> datetime.date:
    """An offer last checked before this date has not been checked for 12 months."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28)


def is_stale(offer: Offer, today: datetime.date) -> bool:
    return offer.status != "ended" and offer.last_checked < stale_before(today)


def is_public(offer: Offer, today: datetime.date) -> bool:
    """What the public sees: published, not ended, not deleted, checked within 12 months."""
    return (offer.published and offer.status != "ended" and offer.deleted_at is None
            and offer.last_checked >= stale_before(today))


@dataclasses.dataclass
class Cleaned:
    """An offer's values after the rules, with what goes into its child tables."""

    values: dict[str, Any]
    target_groups: list[str]
    sessions: list[dict[str, Any]]
    partner_ids: list[int]
    district_name: str


def _text(data: dict, key: str, problems: Collector) -> str:
    value = data.get(key)
    text = "" if value is None else str(value).strip()
    limit = TEXT_LIMITS.get(key, 200)
    if len(text) > limit:
        problems.add(key, "At most %(max)s characters", max=limit)
        return text[:limit]
    return text


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in ("1", "on", "yes", "true")


def _age(data: dict, key: str, default: int, problems: Collector) -> int:
    from core.inputs import parse_int
    raw = data.get(key)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return default
    value = parse_int(raw, key, problems, minimum=MIN_AGE, maximum=MAX_AGE)
    return default if value is None else value


def _time(value: Any, field: str, problems: Collector) -> str:
    text = str(value or "").strip()
    if not text:
        return ""
    match = _TIME.match(text)
    if not match:
        problems.add(field, "'%(value)s' is not a time: write hours and minutes, e.g. 16:30", value=text[:20])
        return ""
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def _sessions(raw: Any, problems: Collector) -> list[dict[str, Any]]:
    from core.inputs import parse_date, parse_int
    rows = raw if isinstance(raw, list) else []
    sessions = []
    for number, row in enumerate(rows[:MAX_SESSIONS + 20], start=1):
        if not isinstance(row, dict):
            problems.add("sessions", "Each time must be an object with a weekday or a date")
            continue
        field = f"sessions.{number}"
        weekday_raw, date_raw = row.get("weekday"), row.get("on_date")
        starts_raw, ends_raw = row.get("starts_at"), row.get("ends_at")
        if all(not str(v or "").strip() for v in (weekday_raw, date_raw, starts_raw, ends_raw)):
            continue  # an empty row of the form
        weekday = None
        if str(weekday_raw or "").strip():
            weekday = parse_int(weekday_raw, field, problems, minimum=1, maximum=7)
        on_date = parse_date(date_raw, field, problems, required=False) if str(date_raw or "").strip() else None
        if weekday is None and on_date is None and not any(p.field == field for p in problems.problems):
            problems.add(field, "Choose a weekday or give a date for time %(number)s", number=number)
        if weekday is not None and on_date is not None:
            problems.add(field, "Time %(number)s: choose a weekday or a date, not both", number=number)
        starts_at, ends_at = _time(starts_raw, field, problems), _time(ends_raw, field, problems)
        if not starts_at and (weekday is not None or on_date is not None):
            problems.add(field, "Time %(number)s: give the time it starts", number=number)
        if starts_at and ends_at and ends_at <= starts_at:
            problems.add(field, "Time %(number)s ends before it starts", number=number)
        sessions.append({"weekday": weekday, "on_date": on_date, "starts_at": starts_at, "ends_at": ends_at})
    if len(sessions) > MAX_SESSIONS:
        problems.add("sessions", "At most %(max)s times", max=MAX_SESSIONS)
        sessions = sessions[:MAX_SESSIONS]
    return sessions


def _ids(raw: Any) -> list[int]:
    from core.inputs import parse_id
    items = raw if isinstance(raw, (list, tuple)) else ([raw] if raw not in (None, "") else [])
    found = []
    for item in items:
        value = parse_id(item)
        if value is None:
            return [-1]  # not an id: refused by the caller
        found.append(value)
    return list(dict.fromkeys(found))


def _coordinate(data: dict, key: str, limit: float, problems: Collector) -> float | None:
    text = str(data.get(key) if data.get(key) is not None else "").strip().replace(",", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = None
    if value is None or value != value or not -limit <= value <= limit:
        problems.add(key, "Give a number from %(min)s to %(max)s", min=-int(limit), max=int(limit))
        return None
    return round(value, 6)


def clean(platform, data: dict[str, Any], organisation: Organisation, current: Offer | None = None) -> Cleaned:
    """Check everything an offer says; a ``RuleViolation`` names every problem at once."""
    from core.inputs import parse_date
    from core.rules.money import parse_amount
    problems = Collector()
    values: dict[str, Any] = {"organisation_id": organisation.id, "municipality_id": organisation.municipality_id}
    for key in TEXT_LIMITS:
        if key != "district":
            values[key] = _text(data, key, problems)
    district_name = " ".join(_text(data, "district", problems).split())
    if not values["title"]:
        problems.add("title", "Enter the offer's title")
    values["kind"] = str(data.get("kind") or "activity")
    if values["kind"] not in KINDS:
        problems.add("kind", "Choose whether it is an activity or a volunteer role")
    values["category"] = str(data.get("category") or "")
    if values["category"] not in CATEGORIES:
        problems.add("category", "Choose a category")
    groups = data.get("target_groups") or []
    if isinstance(groups, str):
        groups = [part.strip() for part in groups.split(",") if part.strip()]
    groups = list(dict.fromkeys(str(group) for group in groups)) if isinstance(groups, list) else []
    unknown = [group for group in groups if group not in platform.target_groups]
    if unknown:
        problems.add("target_groups", "Unknown target group(s): %(value)s", value=", ".join(unknown)[:100])
    elif not groups:
        problems.add("target_groups", "Choose at least one target group")
    values["min_age"] = _age(data, "min_age", MIN_AGE, problems)
    values["max_age"] = _age(data, "max_age", MAX_AGE, problems)
    if values["min_age"] > values["max_age"]:
        problems.add("max_age", "The highest age is lower than the lowest")
    cost = data.get("cost")
    cost_text = "" if cost is None else str(cost).strip()
    values["cost_ore"] = 0
    if isinstance(cost, int) and not isinstance(cost, bool):
        if cost < 0 or cost > 10**11:
            problems.add("cost", "Give a price from 0 to %(max)s øre", max=10**11)
        else:
            values["cost_ore"] = cost
    elif cost_text and cost_text not in ("0", "0,00", "0.00"):
        try:
            values["cost_ore"] = parse_amount(cost_text, "cost")
        except RuleViolation as exc:
            problems.problems.extend(exc.problems)
    sessions = _sessions(data.get("sessions"), problems)
    values["starts_on"] = parse_date(data.get("starts_on"), "starts_on", problems, required=False)
    values["ends_on"] = parse_date(data.get("ends_on"), "ends_on", problems, required=False)
    if values["starts_on"] and values["ends_on"] and values["ends_on"] < values["starts_on"]:
        problems.add("ends_on", "The offer ends before it starts")
    values["postcode"] = _text(data, "postcode", problems)
    if values["postcode"] and not re.fullmatch(r"\d{4}", values["postcode"]):
        problems.add("postcode", "A Danish postcode has 4 digits")
    values["latitude"] = _coordinate(data, "latitude", 90.0, problems)
    values["longitude"] = _coordinate(data, "longitude", 180.0, problems)
    values["mode"] = str(data.get("mode") or "in_person")
    if values["mode"] not in MODES:
        problems.add("mode", "Choose in person, online or both")
    if values["mode"] in ("in_person", "both") and not (values["street"] or values["city"] or district_name):
        problems.add("city", "Say where it takes place: an address, a town or a district")
    if values["online_url"] and not values["online_url"].startswith("https://"):
        problems.add("online_url", "A web address starts with https://")
    values["wheelchair"] = _flag(data.get("wheelchair"))
    if not values["how_to_join"]:
        problems.add("how_to_join", "Say how to join: who to contact, or just come along")
    values["contact_consent"] = _flag(data.get("contact_consent"))
    if values["contact_name"] and not values["contact_consent"]:
        problems.add("contact_name", "A person's own name is shown only with their consent: tick the box, "
                                     "or give a role such as 'the coach' instead")
    if not values["contact_name"]:
        values["contact_consent"] = False
    if values["contact_email"] and not _EMAIL.match(values["contact_email"]):
        problems.add("contact_email", "'%(value)s' is not an email address", value=values["contact_email"])
    if values["contact_phone"] and not _PHONE.match(values["contact_phone"]):
        problems.add("contact_phone", "'%(value)s' is not a phone number", value=values["contact_phone"])
    values["status"] = str(data.get("status") or "active")
    if values["status"] not in STATUSES:
        problems.add("status", "Choose active, paused or ended")
    values["published"] = _flag(data.get("published"))
    values["steward_id"] = None
    steward_ids = _ids(data.get("steward"))
    if steward_ids:
        steward = Organisation.get_or_none(Organisation.id == steward_ids[0], Organisation.deleted_at.is_null()) \
            if steward_ids[0] > 0 else None
        if (steward is None or steward.kind != "volunteer_centre" or steward.municipality_id is None
                or steward.municipality_id != organisation.municipality_id):
            problems.add("steward", "Choose a volunteer centre in the organisation's own municipality")
        else:
            values["steward_id"] = steward.id
    partner_ids = _ids(data.get("partners"))
    if partner_ids:
        if len(partner_ids) > MAX_PARTNERS:
            problems.add("partners", "At most %(max)s organisations", max=MAX_PARTNERS)
        found = {row_id for (row_id,) in Organisation.select(Organisation.id).where(
            Organisation.id.in_([i for i in partner_ids if i > 0] or [0]),
            Organisation.deleted_at.is_null()).tuples()}
        if set(partner_ids) - found:
            problems.add("partners", "Choose the organisations from the list")
        if organisation.id in partner_ids:
            problems.add("partners", "The organisation runs the offer already: choose the others it runs it with")
    problems.raise_if_any()
    return Cleaned(values, groups, sessions, [i for i in partner_ids if i != organisation.id], district_name)


# --- writing ----------------------------------------------------------------------------------

def ensure_district(municipality_id: int | None, name: str) -> District | None:
    """The municipality's district of this name (folded), made the first time it is named."""
    if not name or municipality_id is None:
        return None
    key = fold(name)[:80]
    found = District.get_or_none(District.municipality == municipality_id, District.key == key)
    return found or District.create(municipality=municipality_id, name=name[:80], key=key)


def _index(offer: Offer, cleaned: Cleaned, organisation: Organisation, district: District | None) -> None:
    values = {**cleaned.values, "district_id": district.id if district else None}
    partner_names = [name for (name,) in Organisation.select(Organisation.name)
                     .where(Organisation.id.in_(cleaned.partner_ids or [0])).tuples()]
    offer.facets = facet_tokens.facets_for(values, cleaned.target_groups, facet_tokens.weekdays_of(cleaned.sessions),
                                           cleaned.partner_ids)
    offer.search_text = facet_tokens.search_text_for(values, organisation.name, district.name if district else "",
                                                     partner_names)
    offer.indexed_at = clock.now()


def _write_children(offer: Offer, cleaned: Cleaned) -> None:
    OfferTargetGroup.delete().where(OfferTargetGroup.offer == offer.id).execute()
    OfferSession.delete().where(OfferSession.offer == offer.id).execute()
    OfferPartner.delete().where(OfferPartner.offer == offer.id).execute()
    if cleaned.target_groups:
        OfferTargetGroup.insert_many([{"offer": offer.id, "target_group": g} for g in cleaned.target_groups]).execute()
    if cleaned.sessions:
        OfferSession.insert_many([{"offer": offer.id, **s} for s in cleaned.sessions]).execute()
    if cleaned.partner_ids:
        OfferPartner.insert_many([{"offer": offer.id, "organisation": p} for p in cleaned.partner_ids]).execute()


def snapshot(offer: Offer, cleaned: Cleaned | None = None) -> dict[str, Any]:
    """What the audit log keeps of an offer: its fields, target groups, times and partners."""
    fields = {name: getattr(offer, field.name if not hasattr(field, "rel_model") else field.object_id_name)
              for name, field in Offer._meta.fields.items()
              if name not in ("search_text", "facets", "indexed_at", "change_number", "created_at", "updated_at")}
    if cleaned is not None:
        fields.update(target_groups=cleaned.target_groups, sessions=cleaned.sessions, partners=cleaned.partner_ids)
    else:
        fields.update(target_groups=[row.target_group for row in offer.target_group_rows],
                      sessions=[{"weekday": s.weekday, "on_date": s.on_date, "starts_at": s.starts_at,
                                 "ends_at": s.ends_at} for s in offer.session_rows],
                      partners=[row.organisation_id for row in offer.partner_rows])
    return fields


def scope_text(offer: Offer) -> str:
    """Where the audit log files an offer's change: its organisation (the municipality's staff
    and the organisation's people read it there)."""
    return f"organisation:{offer.organisation_id}"


def candidate(organisation: Organisation, steward_id: int | None) -> Offer:
    """The offer a form would make, unsaved: for ``core.authz.can`` before anything is written."""
    return Offer(organisation=organisation.id, municipality=organisation.municipality_id, steward=steward_id)


def create_offer(platform, organisation: Organisation, data: dict[str, Any], actor: str,
                 today: datetime.date | None = None) -> Offer:
    today = today or local_today()
    cleaned = clean(platform, data, organisation)
    with database.atomic():
        district = ensure_district(organisation.municipality_id, cleaned.district_name)
        values = {key: value for key, value in cleaned.values.items() if key not in ("organisation_id",
                                                                                      "municipality_id", "steward_id")}
        offer = Offer(organisation=organisation.id, municipality=organisation.municipality_id,
                      steward=cleaned.values["steward_id"], district=district.id if district else None,
                      last_checked=today, ended_on=today if values["status"] == "ended" else None, **values)
        _index(offer, cleaned, organisation, district)
        offer.save()
        _write_children(offer, cleaned)
        audit.record(actor, "offer.create", offer, scope=scope_text(offer), after=snapshot(offer, cleaned))
    return offer


def update_offer(platform, offer: Offer, data: dict[str, Any], actor: str,
                 today: datetime.date | None = None) -> Offer:
    today = today or local_today()
    organisation = Organisation.get_by_id(offer.organisation_id)
    cleaned = clean(platform, data, organisation, offer)
    with database.atomic():
        before = snapshot(offer)
        district = ensure_district(organisation.municipality_id, cleaned.district_name)
        was_ended = offer.status == "ended"
        for key, value in cleaned.values.items():
            if key not in ("organisation_id", "municipality_id", "steward_id"):
                setattr(offer, key, value)
        offer.steward = cleaned.values["steward_id"]
        offer.municipality = organisation.municipality_id
        offer.district = district.id if district else None
        if offer.status == "ended" and not was_ended:
            offer.ended_on = today
        elif offer.status != "ended":
            offer.ended_on = None
        offer.last_checked = today
        offer.updated_at = clock.now()
        _index(offer, cleaned, organisation, district)
        offer.save()
        _write_children(offer, cleaned)
        audit.record(actor, "offer.update", offer, scope=scope_text(offer), before=before,
                     after=snapshot(offer, cleaned))
    return offer


def mark_checked(offer: Offer, actor: str, today: datetime.date | None = None) -> Offer:
    """Someone who keeps the offer looked at it and it is still right: checked today."""
    today = today or local_today()
    with database.atomic():
        before = offer.last_checked
        Offer.update(last_checked=today, updated_at=clock.now()).where(Offer.id == offer.id).execute()
        offer.last_checked = today
        audit.record(actor, "offer.checked", offer, scope=scope_text(offer), before={"last_checked": before},
                     after={"last_checked": today})
    return offer


def reindex_changed_organisations(limit: int = 5_000) -> int:
    """Offers whose organisation was renamed or moved since the offer was indexed get their search
    words again (the organisation's name is among them): a scheduled job's work."""
    stale = list(Offer.select(Offer.id).join(Organisation, on=(Offer.organisation == Organisation.id))
                 .where(Offer.deleted_at.is_null(), Organisation.updated_at > Offer.indexed_at)
                 .order_by(Offer.id).limit(limit).tuples())
    for (offer_id,) in stale:
        with database.atomic():
            offer = Offer.get_by_id(offer_id)
            organisation = Organisation.get_by_id(offer.organisation_id)
            district = District.get_or_none(District.id == offer.district_id) if offer.district_id else None
            partners = [row.organisation_id for row in offer.partner_rows]
            cleaned = Cleaned(
                {**{name: getattr(offer, name) for name in ("title", "description", "city", "eligibility", "kind",
                                                            "category", "status", "published", "cost_ore", "mode",
                                                            "wheelchair")},
                 "organisation_id": organisation.id, "municipality_id": organisation.municipality_id},
                [row.target_group for row in offer.target_group_rows],
                [{"weekday": s.weekday, "on_date": s.on_date} for s in offer.session_rows], partners,
                district.name if district else "")
            offer.municipality = organisation.municipality_id
            _index(offer, cleaned, organisation, district)
            offer.save()
    return len(stale)


# --- counting visits --------------------------------------------------------------------------

def count_visit(offer_id: int, day: datetime.date) -> None:
    """One more visit to an offer's page on ``day``: one counter row per offer and day, raised by
    an upsert. Nothing about the visitor is read or kept."""
    (OfferVisit.insert(offer=offer_id, day=day, visits=1)
     .on_conflict(conflict_target=[OfferVisit.offer, OfferVisit.day],
                  update={OfferVisit.visits: OfferVisit.visits + 1})
     .execute())


def groups_of(rows: Iterable[OfferTargetGroup]) -> list[str]:
    return [row.target_group for row in rows]
