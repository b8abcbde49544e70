"""The organisation directory and an organisation's page."""
from __future__ import annotations

from urllib.parse import urlencode

from peewee import JOIN, fn
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse

from core import db, directory
from core.models.membership import Membership
from core.models.money import Grant, SignOnFee
from core.models.municipality import Municipality
from core.models.organisation import ORGANISATION_KINDS, Organisation
from core.models.programme import Programme
from core.web.pages import page_blocks, render
from core.web.routing import page


def organisation_list(request):
    platform = request.app.state.platform
    query = directory.DirectoryQuery.from_params(request.query_params, platform.target_groups)
    result = directory.search(query, platform.settings.page_size)
    if result.beyond_last_page and not query.keyed:
        # ?page=99 of 4: the last page, rather than "page 99 of 4" with nothing on it
        params = query.params(page=result.pages)
        return RedirectResponse("/organisations" + (f"?{urlencode(params)}" if params else ""), status_code=303)
    options = directory.municipality_options(id(db.database.obj), query.municipality)
    return render(request, "organisations/list.html", {
        "query": query, "result": result, "municipality_options": options,
        "kinds": ORGANISATION_KINDS, "target_groups": platform.target_groups,
        "group_labels": platform.target_group_labels(),
    })


def organisation_detail(request):
    platform = request.app.state.platform
    organisation = (Organisation.select(Organisation, Municipality)
                    .join(Municipality, join_type=JOIN.LEFT_OUTER)
                    .where(Organisation.slug == request.path_params["slug"],
                           Organisation.deleted_at.is_null()).first())
    if organisation is None:
        raise HTTPException(404)
    directory.attach_target_groups([organisation])
    memberships = list(Membership.select(Membership, Programme).join(Programme)
                       .where(Membership.organisation == organisation.id, Membership.deleted_at.is_null(),
                              Programme.deleted_at.is_null())
                       .order_by(Programme.name))
    fees = dict(SignOnFee.select(SignOnFee.programme, fn.SUM(SignOnFee.amount_ore))
                .where(SignOnFee.organisation == organisation.id, SignOnFee.deleted_at.is_null())
                .group_by(SignOnFee.programme).tuples())
    grants = dict(Grant.select(Grant.programme, fn.SUM(Grant.amount_ore))
                  .where(Grant.organisation == organisation.id, Grant.deleted_at.is_null())
                  .group_by(Grant.programme).tuples())
    context = {"organisation": organisation, "memberships": memberships, "fees": fees, "grants": grants}
    context["blocks"] = page_blocks(request, "organisation", context)
    return render(request, "organisations/detail.html", context)


def routes():
    return [
        page("/organisations", organisation_list, name="organisations"),
        page("/organisations/{slug:str}", organisation_detail, name="organisation"),
    ]
