"""The catalogue's blocks on the core's pages: a search box on the front page, an organisation's
public offers on its page (with "Add an offer" for those who may), and the way in on /manage.
Each reads what it shows in a fixed number of queries."""
from __future__ import annotations

from core import authz
from core.web.pages import PageBlock
from plugins.catalogue import EDIT, STAFF
from plugins.catalogue.labels import LABELS

ORGANISATION_LIMIT = 20


def for_page(request, page: str, context: dict) -> list[PageBlock]:
    if page == "home":
        return [PageBlock("catalogue/block_home.html", order=10, context={"labels": LABELS})]
    if page == "organisation":
        return _organisation(request, context)
    if page == "manage":
        actor = context.get("actor")
        if actor is None or not actor.is_authenticated or not authz.can(actor, EDIT):
            return []
        return [PageBlock("catalogue/block_manage.html", order=30,
                          context={"catalogue_may_staff": authz.can(actor, STAFF)})]
    return []


def _organisation(request, context: dict) -> list[PageBlock]:
    from core.models.organisation import Organisation
    from plugins.catalogue.models import Offer, OfferPartner
    from plugins.catalogue.rules import stale_before
    from plugins.catalogue.search import attach
    from plugins.catalogue.views_manage import offerable
    from plugins.catalogue.views_public import danish_today
    organisation = context["organisation"]
    today = danish_today()
    runs_it = (Offer.organisation == organisation.id) | Offer.id.in_(
        OfferPartner.select(OfferPartner.offer).where(OfferPartner.organisation == organisation.id))
    offers = list(Offer.select(Offer.id, Offer.title, Offer.cost_ore, Offer.min_age, Offer.max_age, Offer.kind,
                               Offer.schedule_note)
                  .where(runs_it, Offer.deleted_at.is_null(), Offer.published == True,  # noqa: E712
                         Offer.status != "ended", Offer.last_checked >= stale_before(today))
                  .order_by(Offer.title, Offer.id).limit(ORGANISATION_LIMIT + 1))
    attach(offers[:ORGANISATION_LIMIT])
    actor = context.get("actor")
    may_add = bool(actor is not None and actor.is_authenticated and authz.can(actor, EDIT)
                   and offerable(actor).where(Organisation.id == organisation.id).exists())
    if not offers and not may_add:
        return []
    return [PageBlock("catalogue/block_organisation.html", order=20, context={
        "catalogue_offers": offers[:ORGANISATION_LIMIT], "catalogue_more": len(offers) > ORGANISATION_LIMIT,
        "catalogue_may_add": may_add, "labels": LABELS})]
