"""The list of programmes and a programme's page: its rules, money and network."""
from __future__ import annotations

from peewee import JOIN, fn
from starlette.exceptions import HTTPException

from core.models.membership import Membership
from core.models.money import Grant, SignOnFee
from core.models.municipality import Municipality
from core.models.organisation import Organisation
from core.models.programme import Programme
from core.rules.money import money_overview, paid_by_programme_year
from core.web.charts import money_chart, programme_rows
from core.web.pages import page_blocks, render
from core.web.routing import page

Owner = Organisation.alias("owner")
Funder = Organisation.alias("funder")


def programmes_with_parties():
    """Programmes with municipality, owner and funder in one query."""
    return (Programme.select(Programme, Municipality, Owner, Funder)
            .join_from(Programme, Municipality)
            .join_from(Programme, Owner, join_type=JOIN.LEFT_OUTER, on=(Programme.owner_organisation == Owner.id))
            .join_from(Programme, Funder, join_type=JOIN.LEFT_OUTER, on=(Programme.funder == Funder.id))
            .where(Programme.deleted_at.is_null()))


def programme_list(request):
    platform = request.app.state.platform
    programmes = list(programmes_with_parties().order_by(Municipality.name, Programme.name))
    ids = [p.id for p in programmes]
    counts = dict(Membership.select(Membership.programme, fn.COUNT(Membership.id))
                  .where(Membership.programme.in_(ids), Membership.deleted_at.is_null())
                  .group_by(Membership.programme).tuples()) if ids else {}
    money = money_overview(ids)
    return render(request, "programmes/list.html", {
        "programmes": programmes, "member_counts": counts, "money": money,
        "types": platform.programme_types,
    })


def programme_detail(request):
    platform = request.app.state.platform
    programme = programmes_with_parties().where(Programme.slug == request.path_params["slug"]).first()
    if programme is None:
        raise HTTPException(404)
    programme_type = platform.programme_types.get(programme.programme_type)
    members = list(Membership.select(Membership, Organisation).join(Organisation)
                   .where(Membership.programme == programme.id, Membership.deleted_at.is_null(),
                          Organisation.deleted_at.is_null())
                   .order_by(Membership.role, Organisation.name))
    fees = list(SignOnFee.select(SignOnFee, Organisation).join(Organisation)
                .where(SignOnFee.programme == programme.id, SignOnFee.deleted_at.is_null())
                .order_by(SignOnFee.granted_on.desc(), Organisation.name))
    grants = list(Grant.select(Grant, Organisation).join(Organisation)
                  .where(Grant.programme == programme.id, Grant.deleted_at.is_null())
                  .order_by(Grant.year.desc(), Organisation.name))
    money = money_overview([programme.id])[programme.id]
    paid = paid_by_programme_year([programme.id])[programme.id]
    context = {
        "programme": programme, "programme_type": programme_type, "members": members,
        "fees": fees, "grants": grants, "money": money, "chart": money_chart(programme_rows(money, paid)),
        "paid": paid,
    }
    context["blocks"] = page_blocks(request, "programme", context)
    templates = [f"programmes/detail-{programme.programme_type}.html", "programmes/detail.html"]
    return render(request, templates, context)


def routes():
    return [
        page("/programmes", programme_list, name="programmes"),
        page("/programmes/{slug:str}", programme_detail, name="programme"),
    ]
