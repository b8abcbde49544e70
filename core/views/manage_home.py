"""``/manage``: the programmes and organisations the logged-in person may change, with a link
to each form they may use. Scoped through ``core.tenancy`` (a fixed number of queries
whatever the data: the per-row links are decided by ``core.authz.can`` on ids already loaded).
"""
from __future__ import annotations

from peewee import JOIN

from core import authz, tenancy
from core.models.municipality import Municipality
from core.models.organisation import Organisation
from core.models.programme import Programme
from core.views.manage_common import NO_STORE, actor_of
from core.views.programmes import programmes_with_parties
from core.web.pages import page_blocks, render
from core.web.routing import page

PROGRAMME_ACTIONS = ("programme.edit", "membership.edit", "money.record", "budget.set")
ORGANISATION_LIMIT = 200


def manage(request):
    actor = actor_of(request)
    programme_ids: set[int] = set()
    for action in PROGRAMME_ACTIONS:
        query = tenancy.scoped(Programme.select(Programme.id), Programme, actor, action)
        programme_ids |= {pid for (pid,) in query.where(Programme.deleted_at.is_null()).tuples()}
    programmes = list(programmes_with_parties().where(Programme.id.in_(list(programme_ids) or [0]))
                      .order_by(Municipality.name, Programme.name)) if programme_ids else []
    organisations_query = tenancy.scoped(
        Organisation.select(Organisation, Municipality).join(Municipality, JOIN.LEFT_OUTER),
        Organisation, actor, "organisation.edit").where(Organisation.deleted_at.is_null())
    organisation_total = organisations_query.count()
    organisations = list(organisations_query.order_by(Organisation.name).limit(ORGANISATION_LIMIT))
    context = {
        "programmes": programmes, "organisations": organisations, "organisation_total": organisation_total,
        "organisation_limit": ORGANISATION_LIMIT,
        "may_create_organisation": authz.can(actor, "organisation.create"),
        "may_create_programme": authz.can(actor, "programme.create"),
    }
    context["blocks"] = page_blocks(request, "manage", context)
    return render(request, "manage/index.html", context, headers=NO_STORE)


def routes():
    return [page("/manage", manage, name="manage", permission="registry.read_private")]
