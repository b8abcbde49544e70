"""``/national``: the national coordinator's overview of this instance — per municipality its
programmes, network partners and the money committed (sign-on fees and grants) — and the
place where plugins add national dashboards (the ``page_blocks`` hook, page ``national``).

Only aggregate figures of what is already public on the programme pages; a fixed number of
queries whatever the data (grouped counts, and sums of the kept per programme × year
totals, ``budget_total``, rather than of every fee and grant).
"""
from __future__ import annotations

from peewee import fn

from core import authz
from core.i18n import lazy_gettext as _
from core.models.membership import Membership
from core.models.municipality import Municipality
from core.models.programme import BudgetTotal, Programme
from core.web.pages import NavLink, page_blocks, render
from core.web.routing import page

PERMISSION = "shared.read"


def _by_municipality(query) -> dict[int, int]:
    return {municipality: int(value or 0) for municipality, value in query.tuples()}


def national(request):
    platform = request.app.state.platform
    municipalities = list(Municipality.select().order_by(Municipality.name))
    live = Programme.deleted_at.is_null()
    programmes = _by_municipality(Programme.select(Programme.municipality, fn.COUNT(Programme.id))
                                  .where(live).group_by(Programme.municipality))
    partners = _by_municipality(Membership.select(Programme.municipality, fn.COUNT(fn.DISTINCT(Membership.organisation)))
                                .join(Programme).where(live, Membership.deleted_at.is_null(),
                                                       Membership.role == "partner")
                                .group_by(Programme.municipality))
    committed = {municipality: (int(fees or 0), int(grants or 0)) for municipality, fees, grants in (
        BudgetTotal.select(Programme.municipality, fn.SUM(BudgetTotal.fees_ore), fn.SUM(BudgetTotal.grants_ore))
        .join(Programme).where(live).group_by(Programme.municipality).tuples())}  # the kept totals (few rows)
    fees = {municipality: pair[0] for municipality, pair in committed.items()}
    grants = {municipality: pair[1] for municipality, pair in committed.items()}
    types = dict(Programme.select(Programme.programme_type, fn.COUNT(Programme.id)).where(live)
                 .group_by(Programme.programme_type).tuples())
    rows = [{"municipality": m, "programmes": programmes.get(m.id, 0), "partners": partners.get(m.id, 0),
             "fees": fees.get(m.id, 0), "grants": grants.get(m.id, 0)} for m in municipalities]
    totals = {key: sum(row[key] for row in rows) for key in ("programmes", "partners", "fees", "grants")}
    by_type = [(platform.programme_types.get(key), key, count) for key, count in sorted(types.items())]
    context = {"rows": rows, "totals": totals, "by_type": by_type, "municipalities": municipalities}
    context["blocks"] = page_blocks(request, "national", context)
    return render(request, "national/index.html", context, headers={"Cache-Control": "no-store"})


def navigation_links(actor) -> list[NavLink]:
    """The overview for those who read what the instance shares nationally."""
    if actor is not None and actor.is_authenticated and authz.can(actor, PERMISSION):
        return [NavLink("/national", _("National overview"), order=45)]
    return []


def routes():
    return [page("/national", national, name="national", permission=PERMISSION)]
