"""Yearly membership counts: metric × organisation × year — members under 25 first, volunteers
and coaches beside it without a change of schema — entered by the association, checked by the
consultant, shown with the yearly total, per association and the change, gaps as gaps.

Aggregate counts only: no table holds a child (nor any adult; the audit log says who entered
and who checked). Which metrics the partners of a programme type count is a setting
(``/membership-counts/settings``), so a municipality switches counts on for its programme
type without code. The national instance harvests the counts per municipality (small ones
suppressed) through the federation plugin's ``register_feed_kinds``; ``partnerskab
bench-data`` fills a million counts at national scale (``bench``).

Modules: ``metrics`` (what can be counted), ``models``, ``rules`` (the decisions), ``overview``
(tables and charts), ``views``, ``api``, ``feed`` (the federation kind), ``bench``.
"""
from __future__ import annotations

import datetime
from pathlib import Path

from core.audit_labels import register_action
from core.db import MigrationSource
from core.hookspecs import hookimpl
from core.i18n import lazy_gettext as _

__version__ = "1.0.0"
HERE = Path(__file__).parent
READ, ENTER, CHECK, CONFIGURE = ("membership_counts.read", "membership_counts.enter", "membership_counts.check",
                                 "membership_counts.configure")

for _action, _label in (("membership_count.create", _("entered a yearly count")),
                        ("membership_count.correct", _("corrected a yearly count")),
                        ("membership_count.check", _("checked a yearly count")),
                        ("membership_counts.configure", _("changed what a programme type counts"))):
    register_action(_action, _label, "membership_counts", _("Yearly membership counts"))


def _register_bench_generator() -> None:
    from core import benchdata
    from plugins.membership_counts import bench
    benchdata.register_generator("yearly membership counts", bench.generate)


_register_bench_generator()


@hookimpl
def register_models():
    from plugins.membership_counts.models import MODELS
    return list(MODELS)


@hookimpl
def register_migrations():
    return [MigrationSource("membership_counts", HERE / "migrations")]


@hookimpl
def register_permissions():
    return {
        "municipality_admin": [READ, ENTER, CHECK, CONFIGURE],
        "consultant": [READ, ENTER, CHECK],
        "resource_person": [READ, ENTER],
        "board_member": [READ, ENTER],
    }


@hookimpl
def register_routes(platform):
    from plugins.membership_counts import views
    return views.routes()


@hookimpl
def register_api_operations(platform):
    from plugins.membership_counts import api
    return api.operations()


@hookimpl
def register_export_datasets(platform):
    from plugins.membership_counts import exports
    return [exports.dataset()]


@hookimpl
def navigation_links(request, actor):
    from core import authz
    from core.web.pages import NavLink
    if actor is None or not actor.is_authenticated or not authz.can(actor, READ):
        return []
    return [NavLink("/membership-counts", _("Membership counts"), order=62)]


@hookimpl
def page_blocks(request, page, context):
    """On an organisation's page: its newest counts (one query); on a programme's page whose type
    counts something: the yearly total of its partners (three queries)."""
    if page not in ("organisation", "programme"):
        return []
    from core import authz
    from core.web.pages import PageBlock
    actor = context.get("actor")
    if actor is None or not actor.is_authenticated:
        return []
    if page == "organisation":
        organisation = context.get("organisation")
        if organisation is None or not authz.can(actor, READ, organisation):
            return []
        from plugins.membership_counts import blocks
        return [PageBlock("membership_counts/_organisation_block.html", order=60,
                          context=blocks.organisation_block(organisation, actor))]
    programme = context.get("programme")
    if programme is None or not authz.can(actor, READ, programme):
        return []
    from plugins.membership_counts import blocks
    found = blocks.programme_block(programme, actor, datetime.date.today())
    return [PageBlock("membership_counts/_programme_block.html", order=60, context=found)] if found else []


@hookimpl
def todo_items(platform, actor, today):
    from plugins.membership_counts import blocks
    return blocks.todo(actor, today)


@hookimpl(optionalhook=True)
def register_feed_kinds(platform):
    from plugins.membership_counts import feed
    return [feed.kind()]
