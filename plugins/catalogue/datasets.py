"""The catalogue's downloads on ``/exports`` (CSV and Excel through the core's writers, so
formula-safe and readable by a Danish Excel): the offers the person may see, and the visits per
offer and day. Each batch is one query (joins, no per-row lookups); target groups and times are
read per batch, not per row."""
from __future__ import annotations

from peewee import JOIN

from core.datasets import ExportDataset, Source
from core.i18n import gettext, lazy_gettext as _
from core.models.municipality import Municipality
from core.models.organisation import Organisation
from plugins.catalogue.labels import LABELS
from plugins.catalogue.models import District, Offer, OfferVisit


def _offer_columns():
    return [_("Offer id"), _("Title"), _("Organisation"), _("Municipality"), _("District"), _("Kind"), _("Category"),
            _("Target groups"), _("From age"), _("To age"), _("Price (kr.)"), _("Times"), _("Town or city"),
            _("How people take part"), _("Status"), _("Published"), _("Last checked"), _("Created")]


def _offer_fetcher(condition=None):
    from plugins.catalogue.search import attach

    def fetch(after, limit):
        query = (Offer.select(Offer, Organisation, Municipality, District)
                 .join(Organisation, on=(Offer.organisation == Organisation.id))
                 .switch(Offer).join(Municipality, JOIN.LEFT_OUTER, on=(Offer.municipality == Municipality.id))
                 .switch(Offer).join(District, JOIN.LEFT_OUTER, on=(Offer.district == District.id))
                 .where(Offer.id > after, Offer.deleted_at.is_null()))
        if condition is not None:
            query = query.where(condition)
        rows = list(query.order_by(Offer.id).limit(limit))
        attach(rows)
        return rows
    return fetch


def _offer_values(offer: Offer) -> list:
    return [offer.id, offer.title, offer.organisation.name,
            offer.municipality.name if offer.municipality_id else "",
            offer.district.name if offer.district_id else "", LABELS.kind(offer.kind), LABELS.category(offer.category),
            ", ".join(offer.groups), offer.min_age, offer.max_age, offer.cost_ore / 100,
            "; ".join(LABELS.session(session) for session in offer.sessions) or offer.schedule_note, offer.city,
            LABELS.mode(offer.mode), LABELS.status(offer.status), gettext("Yes") if offer.published else gettext("No"),
            offer.last_checked, offer.created_at.replace(microsecond=0)]


def _visit_columns():
    return [_("Offer id"), _("Title"), _("Day"), _("Visits")]


def _visit_fetcher(condition=None):
    def fetch(after, limit):
        query = (OfferVisit.select(OfferVisit, Offer.id, Offer.title)
                 .join(Offer, on=(OfferVisit.offer == Offer.id)).where(OfferVisit.id > after))
        if condition is not None:
            query = query.where(condition)
        return list(query.order_by(OfferVisit.id).limit(limit))
    return fetch


def _visit_values(visit: OfferVisit) -> list:
    return [visit.offer.id, visit.offer.title, visit.day, visit.visits]


def datasets() -> list[ExportDataset]:
    return [
        ExportDataset("offers", _("Offers in the catalogue"), _offer_columns,
                      (Source(Offer, _offer_fetcher, _offer_values),)),
        ExportDataset("offer-visits", _("Visits to the offers' pages per day"), _visit_columns,
                      (Source(OfferVisit, _visit_fetcher, _visit_values),)),
    ]
