"""The public catalogue of offers: the activities and volunteer roles of associations and
volunteer centres, for citizens of every age, for the staff who meet them, and for the policy
that wants to know its reach (Roskilde's volunteer policy: collect all offers for the elderly
and the young on a digital platform, count the visits, map the breadth of offers per age and
target group and the associations' cooperation).

The parts, one module each: ``models`` (offers and their times, target groups, co-organisers,
districts, visit counters), ``rules`` (what an offer must say; every write, audited),
``facets`` and ``search`` (search at national scale: the database's full-text index, capped
counts, pages by key), ``views_public`` (the list, districts, an offer's page, print, calendar),
``views_manage`` (keeping offers up to date, the staff's search, print lists by target group,
reminders), ``dashboard`` and ``charts`` (reach without watching people), ``hsds`` and ``api``
(open data: Open Referral HSDS 3 and the JSON API), ``ical``, ``datasets`` (CSV/Excel),
``demo`` (offers from the municipalities' own data files) and ``bench`` (100,000 offers).

A municipality's words are not here: its demo offers and districts live in its own plugin's
``catalogue/offers.toml``; the categories and kinds are the catalogue's own vocabulary.
"""
from __future__ import annotations

from pathlib import Path

from core.audit_labels import register_action
from core.db import MigrationSource
from core.hookspecs import hookimpl
from core.i18n import lazy_gettext as _

__version__ = "1.0.0"
HERE = Path(__file__).parent

EDIT = "offer.edit"     # keep an organisation's offers up to date
STAFF = "offer.staff"   # the staff's search, print lists, reminders and the reach dashboard

for _action, _label in (
        ("offer.create", _("added an offer to the catalogue")),
        ("offer.update", _("changed an offer in the catalogue")),
        ("offer.checked", _("confirmed that an offer is up to date")),
        ("offer.reminded", _("reminded an organisation to check its offers"))):
    register_action(_action, _label, "catalogue", _("Catalogue of offers"))


@hookimpl
def register_models():
    from plugins.catalogue.models import MODELS
    return list(MODELS)


@hookimpl
def register_migrations():
    return [MigrationSource("catalogue", HERE / "migrations")]


@hookimpl
def register_permissions():
    staff = [EDIT, STAFF]
    return {"municipality_admin": staff, "consultant": staff, "volunteer_centre_coordinator": staff,
            "resource_person": [EDIT], "board_member": [EDIT]}


@hookimpl
def register_routes(platform):
    from plugins.catalogue import dashboard, views_manage, views_public
    return [*views_manage.routes(), *dashboard.routes(), *views_public.routes()]


@hookimpl
def register_api_operations(platform):
    from plugins.catalogue import api, hsds
    return [*api.operations(), *hsds.operations()]


@hookimpl
def register_export_datasets(platform):
    from plugins.catalogue import datasets
    return datasets.datasets()


@hookimpl
def register_jobs(platform):
    """Once a night, offers whose organisation was renamed get their search words again."""
    from core.jobs import Job, cron

    def reindex(context):
        from plugins.catalogue.rules import reindex_changed_organisations
        reindex_changed_organisations()
    return [Job("catalogue.reindex", cron("30 3 * * *"), reindex,
                "search words of offers whose organisation changed")]


@hookimpl
def register_commands(subparsers, platform):
    """``partnerskab bench-data`` fills the catalogue too: its generator joins the core's (the
    hook point of ``core.benchdata``) when the command line starts with this plugin enabled."""
    from core import benchdata
    from plugins.catalogue import bench
    benchdata.register_generator("offers", bench.generate)


@hookimpl
def navigation_links(request, actor):
    from core.web.pages import NavLink
    return [NavLink("/offers", _("Activities and offers"), order=5)]


@hookimpl
def extra_template_vars(request, template_name):
    if not template_name.startswith("catalogue/"):
        return {}
    from plugins.catalogue.labels import LABELS
    return {"labels": LABELS}


@hookimpl
def page_blocks(request, page, context):
    from plugins.catalogue import blocks
    return blocks.for_page(request, page, context)


@hookimpl
def todo_items(platform, actor, today):
    from plugins.catalogue import views_manage
    return views_manage.stale_todo(actor, today)


@hookimpl
def load_demo_data(platform):
    from plugins.catalogue import demo
    demo.load(platform)
