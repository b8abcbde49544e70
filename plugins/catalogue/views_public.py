"""The catalogue for citizens: the search list, the district view, an offer's page with how to
join, its calendar, and a print view for the library counter. Public, without JavaScript and
without anything from the internet at run time; a fixed number of queries per page.

An offer's page counts one visit on the server when someone who is not logged in opens a public
offer: the counter of that offer and day goes up by one (``rules.count_visit``). Nothing about
the visitor is read or kept — no cookie is set, no address, no browser, no identifier.
"""
from __future__ import annotations

import datetime
from urllib.parse import urlencode

from peewee import JOIN, fn
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response

from core import authz, clock, db, directory
from core.i18n import local_time
from core.models.municipality import Municipality
from core.models.organisation import Organisation
from core.web.pages import render
from core.web.routing import page
from plugins.catalogue import ical, rules, search
from plugins.catalogue.models import District, Offer, OfferPartner

PRINT_LIMIT = 200
DISTRICT_PREVIEW = 5


def danish_today() -> datetime.date:
    """Today in Denmark (visits are counted per Danish day)."""
    return local_time(clock.now()).date()


def _platform(request):
    return request.app.state.platform


def _query(request, staff: bool = False) -> search.OfferQuery:
    return search.OfferQuery.from_params(request.query_params, _platform(request).target_groups, staff=staff)


def filter_context(request, query: search.OfferQuery) -> dict:
    """What the filter form needs: the municipalities (cached) and the chosen one's districts."""
    return {"query": query, "target_groups": _platform(request).target_groups,
            "municipality_options": directory.municipality_options(id(db.database.obj), query.municipality),
            "districts": search.districts_of(query.municipality) if query.municipality else []}


def offer_list(request):
    query = _query(request)
    result = search.search(query, _platform(request).settings.page_size, danish_today())
    if result.beyond_last_page and not query.keyed:
        params = query.params(page=result.pages)
        return RedirectResponse("/offers" + (f"?{urlencode(params)}" if params else ""), status_code=303)
    return render(request, "catalogue/list.html", {**filter_context(request, query), "result": result})


def offer_print(request):
    """The list as it prints: the first ``PRINT_LIMIT`` offers with their times, place and how to
    join, in a layout meant for paper (``catalogue.css``'s print rules)."""
    query = _query(request)
    result = search.search(search.OfferQuery(**{**query.__dict__, "page": 1, "after": 0, "before": 0}),
                           PRINT_LIMIT, danish_today())
    details = _details([offer.id for offer in result.items])
    return render(request, "catalogue/print.html", {"query": query, "result": result, "details": details,
                                                     "print_limit": PRINT_LIMIT,
                                                     "printed_on": danish_today(),
                                                     "back": "/offers" + (f"?{urlencode(query.params())}"
                                                                          if query.params() else "")})


def _details(offer_ids: list[int]) -> dict[int, Offer]:
    """The long texts of the offers on a printed list (how to join, contact, address): one query."""
    if not offer_ids:
        return {}
    rows = Offer.select(Offer.id, Offer.how_to_join, Offer.street, Offer.postcode, Offer.contact_role,
                        Offer.contact_name, Offer.contact_consent, Offer.contact_email, Offer.contact_phone,
                        Offer.cost_note).where(Offer.id.in_(offer_ids))
    return {row.id: row for row in rows}


def _public_conditions(today: datetime.date) -> list:
    return [Offer.deleted_at.is_null(), Offer.published == True, Offer.status != "ended",  # noqa: E712
            Offer.last_checked >= rules.stale_before(today)]


def offer_districts(request):
    """The district view: how many offers each municipality has, and for the chosen one, each
    district with its first offers. Four queries whatever the data."""
    today = danish_today()
    code = request.query_params.get("municipality", "").strip()
    names = {mid: (mcode, name) for mid, mcode, name in directory._municipality_rows(id(db.database.obj))}
    counts = (Offer.select(Offer.municipality, fn.COUNT(Offer.id)).where(*_public_conditions(today))
              .group_by(Offer.municipality).tuples())
    municipalities = sorted(((names[mid][0], names[mid][1], count) for mid, count in counts if mid in names),
                            key=lambda row: row[1])
    if not code and len(municipalities) == 1:
        code = municipalities[0][0]
    chosen = next((row for row in municipalities if row[0] == code), None)
    districts, previews = [], {}
    if chosen is not None:
        municipality_id = directory.municipality_ids(id(db.database.obj))[code]
        conditions = [*_public_conditions(today), Offer.municipality == municipality_id]
        district_counts = dict(Offer.select(Offer.district, fn.COUNT(Offer.id)).where(*conditions)
                               .group_by(Offer.district).tuples())
        named = {row.id: row.name for row in District.select(District.id, District.name)
                 .where(District.id.in_([d for d in district_counts if d is not None] or [0]))}
        districts = sorted(((district_id, named.get(district_id, ""), count)
                            for district_id, count in district_counts.items()),
                           key=lambda row: (row[0] is None, row[1]))
        ranked = (Offer.select(Offer.id.alias("offer_id"), Offer.title.alias("title"),
                               Offer.district.alias("district_key"),
                               fn.ROW_NUMBER().over(partition_by=[Offer.district], order_by=[Offer.title, Offer.id])
                               .alias("place")).where(*conditions).alias("ranked"))
        rows = (Offer.select(ranked.c.offer_id, ranked.c.title, ranked.c.district_key).from_(ranked)
                .where(ranked.c.place <= DISTRICT_PREVIEW).order_by(ranked.c.title).tuples())
        for offer_id, title, district_id in rows:
            previews.setdefault(district_id, []).append((offer_id, title))
    return render(request, "catalogue/districts.html", {
        "municipalities": municipalities, "chosen": chosen, "districts": districts, "previews": previews,
        "preview_size": DISTRICT_PREVIEW})


def load_offer(offer_id: int) -> Offer | None:
    """An offer with its organisation, municipality and district: one query."""
    return (Offer.select(Offer, Organisation, Municipality, District)
            .join(Organisation, on=(Offer.organisation == Organisation.id))
            .switch(Offer).join(Municipality, JOIN.LEFT_OUTER, on=(Offer.municipality == Municipality.id))
            .switch(Offer).join(District, JOIN.LEFT_OUTER, on=(Offer.district == District.id))
            .where(Offer.id == offer_id, Offer.deleted_at.is_null()).first())


def _visible(request, offer: Offer | None, today: datetime.date) -> tuple[Offer, bool]:
    """The offer and whether it is public; one that is not is shown only to those who keep it."""
    if offer is None:
        raise HTTPException(404)
    if rules.is_public(offer, today):
        return offer, True
    actor = getattr(request.state, "actor", None)
    if actor is not None and actor.is_authenticated and authz.can(actor, "offer.edit", offer):
        return offer, False
    raise HTTPException(404)


def offer_detail(request):
    today = danish_today()
    offer, public = _visible(request, load_offer(request.path_params["offer_id"]), today)
    search.attach([offer])
    partners = list(Organisation.select(Organisation.id, Organisation.name, Organisation.slug)
                    .join(OfferPartner, on=(OfferPartner.organisation == Organisation.id))
                    .where(OfferPartner.offer == offer.id).order_by(Organisation.name))
    actor = getattr(request.state, "actor", None)
    if public and request.method == "GET" and not (actor is not None and actor.is_authenticated):
        rules.count_visit(offer.id, today)
    return render(request, "catalogue/offer.html", {
        "offer": offer, "public": public, "partners": partners, "stale": rules.is_stale(offer, today),
        "back": request.query_params.get("back", "") if request.query_params.get("back", "").startswith("/offers")
        else "/offers"})


def offer_calendar(request):
    """The offer's times as an iCalendar file (RFC 5545), for a phone's or a library's calendar."""
    today = danish_today()
    offer, public = _visible(request, load_offer(request.path_params["offer_id"]), today)
    if not public:
        raise HTTPException(404)
    search.attach([offer])
    host = request.url.hostname or "partnerskab"
    body = ical.calendar(offer, offer.sessions, host, f"{str(request.base_url).rstrip('/')}/offers/{offer.id}",
                         today)
    return Response(body, media_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="offer-{offer.id}.ics"'})


def open_data(request):
    """Where the catalogue's open data is and what it holds: the documented address of the HSDS
    export and the calendars."""
    base = str(request.base_url).rstrip("/")
    return render(request, "catalogue/open_data.html", {"base": base})


def routes():
    return [
        page("/offers", offer_list, name="catalogue_offers"),
        page("/offers/print", offer_print, name="catalogue_print"),
        page("/offers/districts", offer_districts, name="catalogue_districts"),
        page("/offers/open-data", open_data, name="catalogue_open_data"),
        page("/offers/{offer_id:id}", offer_detail, name="catalogue_offer"),
        page("/offers/{offer_id:id}/calendar.ics", offer_calendar, name="catalogue_offer_calendar"),
    ]
