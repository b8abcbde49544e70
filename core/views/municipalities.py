"""Municipalities: the list and a municipality's page with its programmes and organisations."""
from __future__ import annotations

from peewee import fn
from starlette.exceptions import HTTPException

from core.models.municipality import Municipality
from core.models.organisation import Organisation
from core.models.programme import Programme
from core.web.pages import page_blocks, render
from core.web.routing import page


def municipality_list(request):
    counts = dict(Organisation.select(Organisation.municipality, fn.COUNT(Organisation.id))
                  .where(Organisation.deleted_at.is_null()).group_by(Organisation.municipality).tuples())
    municipalities = list(Municipality.select().order_by(Municipality.name))
    return render(request, "municipalities/list.html",
                  {"municipalities": municipalities, "organisation_counts": counts})


def municipality_detail(request):
    municipality = Municipality.get_or_none(Municipality.code == request.path_params["code"])
    if municipality is None:
        raise HTTPException(404)
    programmes = list(Programme.select().where(Programme.municipality == municipality.id,
                                               Programme.deleted_at.is_null()).order_by(Programme.name))
    kinds = list(Organisation.select(Organisation.kind, fn.COUNT(Organisation.id))
                 .where(Organisation.municipality == municipality.id, Organisation.deleted_at.is_null())
                 .group_by(Organisation.kind).order_by(fn.COUNT(Organisation.id).desc()).tuples())
    context = {"municipality": municipality, "programmes": programmes, "kinds": kinds,
               "organisation_total": sum(count for _, count in kinds)}
    context["blocks"] = page_blocks(request, "municipality", context)
    return render(request, "municipalities/detail.html", context)


def routes():
    return [
        page("/municipalities", municipality_list, name="municipalities"),
        page("/municipalities/{code:str}", municipality_detail, name="municipality"),
    ]
