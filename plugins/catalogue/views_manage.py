"""Keeping offers up to date, and the staff's side of the catalogue.

Who: ``offer.edit`` on an offer — its organisation's own people, its municipality's staff, the
volunteer centre that helps keep it (its steward), the platform administrator; ``offer.staff``
for the staff's tools — the search with unpublished and stale offers, print lists by target
group for theme days, the organisations to remind, the reach dashboard. Every list is narrowed
by ``core.tenancy``; every form loads its offer through ``core.tenancy.get_scoped`` (another
tenant's offer is "not found") and asks ``core.authz.can`` on the offer it would save
(``rules.candidate``) before anything is written; writes go through ``plugins.catalogue.rules``.
"""
from __future__ import annotations

import datetime
from urllib.parse import urlencode

from peewee import JOIN, fn
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse

from core import authz, tenancy
from core.i18n import Message, PluralMessage, format_date, lazy_gettext as _
from core.models.account import Account, RoleAssignment
from core.models.municipality import Municipality
from core.models.organisation import Organisation
from core.rules.errors import RuleViolation
from core.todo import TodoItem
from core.views.manage_common import NO_STORE, actor_of, require, show_form
from core.web.pages import render
from core.web.routing import page
from plugins.catalogue import EDIT, STAFF, rules, search
from plugins.catalogue.models import CATEGORIES, KINDS, MODES, STATUSES, District, Offer, OfferTargetGroup
from plugins.catalogue.views_public import danish_today, filter_context

TEMPLATE = "catalogue/form.html"
CHOICE_LIMIT = 500
PRINT_LIMIT = 1_000
SESSION_ROWS = 3
FIELDS = ("title", "kind", "category", "description", "min_age", "max_age", "eligibility", "cost", "cost_note",
          "schedule_note", "starts_on", "ends_on", "street", "postcode", "city", "district", "latitude", "longitude",
          "mode", "online_url", "wheelchair", "languages", "what_to_bring", "how_to_join", "contact_role",
          "contact_name", "contact_consent", "contact_email", "contact_phone", "status", "published", "steward")


# --- whose offers -------------------------------------------------------------------------------

def _steward_municipalities(actor: authz.Actor) -> list[int]:
    """Municipalities whose organisations' offers the actor may keep as a volunteer centre's staff
    (the centre becomes the offer's steward)."""
    centre_ids = [grant.organisation_id for grant in actor.grants
                  if grant.organisation_id is not None and grant.role not in authz.PEOPLE_ROLES
                  and actor.table.grants(grant.role, EDIT)]
    if not centre_ids:
        return []
    return [mid for (mid,) in Organisation.select(Organisation.municipality)
            .where(Organisation.id.in_(centre_ids), Organisation.kind == "volunteer_centre",
                   Organisation.municipality.is_null(False)).tuples()]


def offerable(actor: authz.Actor):
    """The organisations the actor may add offers for: those they govern or are part of, and, for
    a volunteer centre's staff, the organisations of the centre's municipality."""
    query = Organisation.select(Organisation.id, Organisation.name, Organisation.municipality).where(
        Organisation.deleted_at.is_null())
    condition = tenancy.tenant_condition(Organisation, actor, EDIT)
    municipalities = _steward_municipalities(actor)
    if condition is not None and municipalities:
        condition = condition | Organisation.municipality.in_(municipalities)
    return query if condition is None else query.where(condition)


def _own_centre(actor: authz.Actor, organisation: Organisation) -> int | None:
    """The volunteer centre (of ``organisation``'s municipality) through which the actor keeps
    offers, if that is how they may: the steward a new offer gets by default."""
    for grant in actor.grants:
        if grant.organisation_id and grant.role not in authz.PEOPLE_ROLES and actor.table.grants(grant.role, EDIT):
            centre = Organisation.get_or_none(Organisation.id == grant.organisation_id)
            if (centre is not None and centre.kind == "volunteer_centre"
                    and centre.municipality_id == organisation.municipality_id and centre.id != organisation.id):
                return centre.id
    return None


# --- the form ----------------------------------------------------------------------------------

def _session_values(form) -> list[dict]:
    rows = []
    for number in range(1, rules.MAX_SESSIONS + 1):
        row = {key: str(form.get(f"session-{number}-{key}", ""))[:40]
               for key in ("weekday", "on_date", "starts_at", "ends_at")}
        rows.append(row)
    return rows


def posted(request) -> dict:
    form = request.state.form
    values = {field: str(form.get(field, ""))[:6000] for field in FIELDS}
    values["target_groups"] = [str(v)[:40] for v in form.getlist("target_groups")][:30]
    values["partners"] = [str(v)[:20] for v in form.getlist("partners")][:30]
    values["sessions"] = _session_values(form)
    return values


def values_of(offer: Offer) -> dict:
    from core.i18n import format_date_input
    from plugins.catalogue.search import attach
    attach([offer])
    values = {field: getattr(offer, field) for field in FIELDS
              if field not in ("cost", "district", "steward", "starts_on", "ends_on")}
    values["cost"] = "" if offer.cost_ore == 0 else f"{offer.cost_ore / 100:g}".replace(".", ",")
    values["district"] = District.get_by_id(offer.district_id).name if offer.district_id else ""
    values["steward"] = str(offer.steward_id or "")
    values["starts_on"] = format_date_input(offer.starts_on)
    values["ends_on"] = format_date_input(offer.ends_on)
    for key in ("latitude", "longitude"):
        values[key] = "" if values[key] is None else str(values[key])
    values["target_groups"] = list(offer.groups)
    values["partners"] = [str(row.organisation_id) for row in offer.partner_rows]
    values["sessions"] = [{"weekday": str(s.weekday or ""), "on_date": format_date_input(s.on_date),
                           "starts_at": s.starts_at, "ends_at": s.ends_at} for s in offer.sessions]
    return values


def _form_context(request, offer: Offer | None, values: dict, organisation: Organisation | None) -> dict:
    actor = actor_of(request)
    platform = request.app.state.platform
    organisations = [] if offer is not None else list(offerable(actor).order_by(Organisation.name)
                                                      .limit(CHOICE_LIMIT + 1))
    municipality_ids = ({organisation.municipality_id} if organisation is not None
                        else {o.municipality_id for o in organisations}) - {None}
    centres = list(Organisation.select(Organisation.id, Organisation.name)
                   .where(Organisation.kind == "volunteer_centre", Organisation.deleted_at.is_null(),
                          Organisation.municipality.in_(list(municipality_ids) or [0]))
                   .order_by(Organisation.name).limit(50))
    partners = list(Organisation.select(Organisation.id, Organisation.name)
                    .where(Organisation.deleted_at.is_null(), Organisation.municipality.in_(list(municipality_ids) or [0]),
                           Organisation.id != (organisation.id if organisation else 0))
                    .order_by(Organisation.name).limit(CHOICE_LIMIT))
    districts = [d.name for d in District.select(District.name)
                 .where(District.municipality.in_(list(municipality_ids) or [0])).order_by(District.name).limit(300)]
    rows = list(values.get("sessions") or [])
    filled = [row for row in rows if any(str(v or "").strip() for v in row.values())]
    sessions = filled + [{"weekday": "", "on_date": "", "starts_at": "", "ends_at": ""}] * max(
        SESSION_ROWS - len(filled), 1)
    return {"offer": offer, "organisation": organisation, "values": values, "organisations": organisations[:CHOICE_LIMIT],
            "too_many_organisations": len(organisations) > CHOICE_LIMIT, "centres": centres,
            "partner_choices": partners, "district_names": districts, "sessions": sessions[:rules.MAX_SESSIONS],
            "target_groups": platform.target_groups, "kinds": KINDS, "categories": CATEGORIES, "modes": MODES,
            "statuses": STATUSES}


def _chosen_organisation(request, raw: str) -> Organisation | None:
    """The organisation a new offer is for, if the actor may add offers for it; one that exists
    outside their reach is a forged form (403, nothing saved)."""
    from core.inputs import parse_id
    organisation_id = parse_id(raw)
    if organisation_id is None:
        return None
    found = offerable(actor_of(request)).where(Organisation.id == organisation_id).first()
    if found is None:
        if Organisation.select().where(Organisation.id == organisation_id).exists():
            from core.auth import web
            web.refuse(request, actor_of(request), EDIT)
        return None
    return Organisation.get_by_id(found.id)


def _may_save(request, organisation: Organisation, values: dict) -> dict[str, list[str]]:
    """May the actor keep the offer these values make (its organisation and steward)? Checked
    with ``core.authz.can`` before anything is written."""
    from core.inputs import parse_id
    steward_id = parse_id(values.get("steward"))
    if authz.can(actor_of(request), EDIT, rules.candidate(organisation, steward_id)):
        return {}
    return {"steward": [str(Message("You keep this organisation's offers as its volunteer centre: choose your "
                                    "centre as the one who helps keep the offer up to date"))]}


def offer_new(request):
    actor = actor_of(request)
    if request.method == "GET":
        organisation = _chosen_organisation(request, request.query_params.get("organisation", ""))
        if organisation is None:  # someone of one association need not choose it
            only = list(offerable(actor).limit(2))
            organisation = Organisation.get_by_id(only[0].id) if len(only) == 1 else None
        values = {"kind": "activity", "category": "", "status": "active", "mode": "in_person", "published": True,
                  "target_groups": [], "partners": [], "sessions": [],
                  "organisation": str(organisation.id) if organisation else "",
                  "steward": str(_own_centre(actor, organisation) or "") if organisation else ""}
        return show_form(request, TEMPLATE, _form_context(request, None, values, organisation))
    values = posted(request)
    values["organisation"] = str(request.state.form.get("organisation", ""))[:20]
    organisation = _chosen_organisation(request, values["organisation"])
    if organisation is None:
        context = _form_context(request, None, values, None)
        return show_form(request, TEMPLATE, context,
                         {"organisation": [str(Message("Choose the organisation that runs the offer"))]})
    if not values["steward"] and _own_centre(actor, organisation) and not authz.can(
            actor, EDIT, rules.candidate(organisation, None)):
        values["steward"] = str(_own_centre(actor, organisation))
    context = _form_context(request, None, values, organisation)
    problems = _may_save(request, organisation, values)
    try:
        if problems:
            rules.clean(request.app.state.platform, values, organisation)
            raise RuleViolation([])
        offer = rules.create_offer(request.app.state.platform, organisation, values, actor.label, danish_today())
    except RuleViolation as exc:
        return show_form(request, TEMPLATE, context, {**exc.by_field(), **problems})
    return RedirectResponse(f"/manage/offers?{urlencode({'saved': 'offer-created', 'offer': offer.id})}",
                            status_code=303)


def _load(request) -> Offer:
    offer = tenancy.get_scoped(Offer, actor_of(request), EDIT, Offer.id == request.path_params["offer_id"],
                               Offer.deleted_at.is_null())
    if offer is None:
        raise HTTPException(404)
    require(request, EDIT, offer)
    return offer


def offer_edit(request):
    offer = _load(request)
    organisation = Organisation.get_by_id(offer.organisation_id)
    if request.method == "GET":
        return show_form(request, TEMPLATE, _form_context(request, offer, values_of(offer), organisation))
    values = posted(request)
    context = _form_context(request, offer, values, organisation)
    problems = _may_save(request, organisation, values)
    try:
        if problems:
            rules.clean(request.app.state.platform, values, organisation, offer)
            raise RuleViolation([])
        rules.update_offer(request.app.state.platform, offer, values, actor_of(request).label, danish_today())
    except RuleViolation as exc:
        return show_form(request, TEMPLATE, context, {**exc.by_field(), **problems})
    return RedirectResponse(f"/manage/offers?{urlencode({'saved': 'offer-updated', 'offer': offer.id})}",
                            status_code=303)


def offer_checked(request):
    """'It is still right': the offer counts as checked today."""
    offer = _load(request)
    rules.mark_checked(offer, actor_of(request).label, danish_today())
    back = str(request.state.form.get("back", ""))
    target = back if back.startswith("/manage/offers") and "//" not in back else "/manage/offers"
    separator = "&" if "?" in target else "?"
    return RedirectResponse(f"{target}{separator}{urlencode({'saved': 'offer-checked', 'offer': offer.id})}",
                            status_code=303)


# --- lists ---------------------------------------------------------------------------------------

def offer_manage_list(request):
    """The offers the actor keeps, with those not published and not checked for 12 months."""
    actor = actor_of(request)
    platform = request.app.state.platform
    query = search.OfferQuery.from_params(request.query_params, platform.target_groups, staff=True)
    today = danish_today()
    result = search.search(query, platform.settings.page_size, today, staff=True,
                           tenant=tenancy.tenant_condition(Offer, actor, EDIT))
    if result.beyond_last_page and not query.keyed:
        params = query.params(page=result.pages)
        return RedirectResponse("/manage/offers" + (f"?{urlencode(params)}" if params else ""), status_code=303)
    saved_offer = None
    from core.inputs import parse_id
    saved_id = parse_id(request.query_params.get("offer", ""))
    if saved_id and request.query_params.get("saved"):
        saved_offer = tenancy.get_scoped(Offer, actor, EDIT, Offer.id == saved_id)
    return render(request, "catalogue/manage.html", {
        **filter_context(request, query), "result": result, "stale_cutoff": rules.stale_before(today),
        "saved_offer": saved_offer, "may_staff": authz.can(actor, STAFF),
        "may_add": offerable(actor).limit(1).exists()}, headers=NO_STORE)


def stale_by_organisation(actor: authz.Actor, action: str, today: datetime.date, limit: int = 200):
    """Organisations with offers not checked for 12 months that the actor keeps: (id, name, slug,
    email, phone, number of stale offers, the oldest check), in one query."""
    condition = tenancy.tenant_condition(Offer, actor, action)
    query = (Offer.select(Organisation.id, Organisation.name, Organisation.slug, Organisation.email,
                          Organisation.phone, fn.COUNT(Offer.id), fn.MIN(Offer.last_checked))
             .join(Organisation, on=(Offer.organisation == Organisation.id))
             .where(Offer.deleted_at.is_null(), Offer.status != "ended", Offer.last_checked < rules.stale_before(today))
             .group_by(Organisation.id, Organisation.name, Organisation.slug, Organisation.email, Organisation.phone)
             .order_by(fn.MIN(Offer.last_checked), Organisation.name).limit(limit))
    if condition is not None:
        query = query.where(condition)
    return list(query.tuples())


def offer_reminders(request):
    """The organisations whose offers went stale, with their contact and a reminder to send."""
    today = danish_today()
    rows = stale_by_organisation(actor_of(request), STAFF, today)
    return render(request, "catalogue/remind.html", {"rows": rows, "stale_cutoff": rules.stale_before(today)},
                  headers=NO_STORE)


def offer_remind(request):
    """Send an organisation a reminder to check its offers: to its address and its people's."""
    from core import mail
    from core.db import database
    from core.i18n import gettext, locale_context
    from core.models.audit import record_event
    actor = actor_of(request)
    today = danish_today()
    organisation_id = request.path_params["organisation_id"]
    stale = tenancy.scoped(Offer.select(Offer.id, Offer.title), Offer, actor, STAFF).where(
        Offer.organisation == organisation_id, Offer.deleted_at.is_null(), Offer.status != "ended",
        Offer.last_checked < rules.stale_before(today)).order_by(Offer.title)
    titles = [offer.title for offer in stale]
    if not titles:
        raise HTTPException(404)
    organisation = Organisation.get_by_id(organisation_id)
    people = [email for (email,) in Account.select(Account.email).join(
        RoleAssignment, on=(RoleAssignment.account == Account.id)).where(
        RoleAssignment.organisation == organisation_id, RoleAssignment.role.in_(sorted(authz.PEOPLE_ROLES)),
        Account.active == True).tuples()]  # noqa: E712
    recipients = list(dict.fromkeys([address for address in [organisation.email, *people] if address]))
    base = str(request.base_url).rstrip("/")
    with locale_context(request.app.state.platform.settings.default_locale):
        subject = gettext("Please check your offers in the catalogue")
        body = gettext("Hello %(name)s,\n\nThese offers have not been checked for 12 months, so the public no "
                       "longer finds them:\n\n%(titles)s\n\nPlease log in, check them and save or confirm them: "
                       "%(link)s\n") % {"name": organisation.name, "titles": "\n".join(f"- {t}" for t in titles),
                                        "link": f"{base}/manage/offers?show=stale"}
    with database.atomic():
        for address in recipients:
            mail.send(request.app.state.platform, to=address, subject=subject, body=body)
        record_event(actor.label, "offer.reminded", "organisation", str(organisation_id),
                     scope=f"organisation:{organisation_id}", after={"offers": len(titles), "recipients": len(recipients)})
    flag = "reminded" if recipients else "no-address"
    return RedirectResponse(f"/manage/offers/remind?{urlencode({'saved': flag})}", status_code=303)


def offer_print_groups(request):
    """Printable lists by target group for theme days: the public offers the staff member's
    municipality or centre keeps, one list per target group (or the one chosen)."""
    actor = actor_of(request)
    platform = request.app.state.platform
    today = danish_today()
    chosen = request.query_params.get("target_group", "")
    chosen = chosen if chosen in platform.target_groups else ""
    condition = tenancy.tenant_condition(Offer, actor, STAFF)
    query = (search._select(*search.LISTED, OfferTargetGroup.target_group)
             .switch(Offer).join(OfferTargetGroup, on=(OfferTargetGroup.offer == Offer.id), attr="group_row")
             .where(Offer.deleted_at.is_null(), Offer.published == True, Offer.status != "ended",  # noqa: E712
                    Offer.last_checked >= rules.stale_before(today))
             .order_by(OfferTargetGroup.target_group, Offer.title, Offer.id).limit(PRINT_LIMIT + 1))
    if condition is not None:
        query = query.where(condition)
    if chosen:
        query = query.where(OfferTargetGroup.target_group == chosen)
    rows = list(query)
    search.attach(rows[:PRINT_LIMIT])
    groups: dict[str, list[Offer]] = {}
    for offer in rows[:PRINT_LIMIT]:
        groups.setdefault(offer.group_row.target_group, []).append(offer)
    ordered = [(key, groups[key]) for key in platform.target_groups if key in groups]
    return render(request, "catalogue/print_groups.html", {
        "groups": ordered, "chosen": chosen, "target_groups": platform.target_groups, "printed_on": today,
        "truncated": len(rows) > PRINT_LIMIT, "print_limit": PRINT_LIMIT}, headers=NO_STORE)


# --- the to-do list ------------------------------------------------------------------------------

def stale_todo(actor: authz.Actor, today: datetime.date) -> list[TodoItem]:
    """Organisations whose offers went stale: for their own people ("check your offers") and for
    the staff who keep them ("remind them"). One query."""
    if not actor.is_authenticated or not authz.can(actor, EDIT):
        return []
    staff = authz.can(actor, STAFF)
    heading = _("Offers not checked for 12 months")
    items = []
    for organisation_id, name, _slug, _email, _phone, count, oldest in stale_by_organisation(actor, EDIT, today, 50):
        detail = PluralMessage("%(num)s offer, last checked %(date)s", "%(num)s offers, the oldest checked %(date)s",
                               count, date=format_date(oldest))
        href = "/manage/offers/remind" if staff else "/manage/offers?show=stale"
        items.append(TodoItem("catalogue-stale", heading, name, href, detail))
    return items


def routes():
    return [
        page("/manage/offers", offer_manage_list, name="catalogue_manage", permission=EDIT),
        page("/manage/offers/new", offer_new, name="catalogue_offer_new", methods=("GET", "POST"), permission=EDIT),
        page("/manage/offers/print", offer_print_groups, name="catalogue_print_groups", permission=STAFF),
        page("/manage/offers/remind", offer_reminders, name="catalogue_reminders", permission=STAFF),
        page("/manage/offers/remind/{organisation_id:id}", offer_remind, name="catalogue_remind", methods=("POST",),
             permission=STAFF),
        page("/manage/offers/{offer_id:id}/edit", offer_edit, name="catalogue_offer_edit", methods=("GET", "POST"),
             permission=EDIT),
        page("/manage/offers/{offer_id:id}/checked", offer_checked, name="catalogue_offer_checked", methods=("POST",),
             permission=EDIT),
    ]


__all__ = ["JOIN", "Municipality", "routes", "stale_todo"]
