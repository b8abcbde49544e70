"""The front page: what the platform holds, the programmes, and plugins' blocks."""
from __future__ import annotations

from core.models.municipality import Municipality
from core.models.organisation import Organisation
from core.models.programme import Programme
from core.web.pages import page_blocks, render
from core.web.routing import page


def home(request):
    programmes = list(Programme.select(Programme, Municipality).join(Municipality)
                      .where(Programme.deleted_at.is_null()).order_by(Municipality.name, Programme.name))
    counts = {
        "municipalities": Municipality.select().count(),
        "organisations": Organisation.select().where(Organisation.deleted_at.is_null()).count(),
        "programmes": len(programmes),
    }
    context = {"programmes": programmes, "counts": counts}
    context["blocks"] = page_blocks(request, "home", context)
    return render(request, "home.html", context)


def routes():
    return [page("/", home, name="home")]
