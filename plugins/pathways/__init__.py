"""Pathways into association life: a programme declares the steps of its pathway — TUFF's and
Fællesskabsalliancen's first contact → participant → co-developer → volunteer, Copenhagen's
feeder chain introduction → bridging → fee support → retention — and its partners record, per
half-year or year, how many young people entered, moved on and left at each step. Aggregate
counts only, never a person.

The steps are the programme type's data (``steps``: a Python plugin's ``extra``, or
``pathway_steps`` in a declared TOML file); this plugin names no municipality. The parts, one
module each: ``steps`` and ``periods`` (the configuration), ``models`` (reports and their
counts), ``rules`` (what may be recorded, that the flows add up, the coordinator's check),
``figures`` (bulk reads, exact and published), ``charts`` (the SVG), ``views`` (the pages),
``api``, ``exports``, ``feed`` and ``national`` (the national feeds and view, when the
federation plugin is enabled), ``todo`` and ``demo``.

Who sees what: the partnership — the programme's staff (every partner) and a partner's own
people (their own) — sees exact counts; everyone else sees checked counts summed over the
partners, with 1–4 suppressed and whatever would reveal them (``plugins.federation.suppression``).
"""
from __future__ import annotations

from pathlib import Path

from core.audit_labels import register_action
from core.db import MigrationSource
from core.hookspecs import hookimpl
from core.i18n import lazy_gettext as _

__version__ = "1.0.0"
HERE = Path(__file__).parent

for _action, _label in (("pathway.report", _("reported pathway counts")),
                        ("pathway.correct", _("corrected pathway counts")),
                        ("pathway.check", _("checked pathway counts"))):
    register_action(_action, _label, "pathways", _("Pathways"))


def _federation_enabled(platform) -> bool:
    return platform.pm.get_plugin("federation") is not None


@hookimpl
def register_programme_type_fields():
    from core.programme_types import ProgrammeTypeField
    from plugins.pathways import steps
    return [ProgrammeTypeField(steps.STEPS_KEY, steps.read_steps, "the steps of the programme's pathway"),
            ProgrammeTypeField(steps.PERIOD_KEY, steps.read_period, "half_year or year: how often partners count")]


@hookimpl
def register_models():
    from plugins.pathways.models import MODELS
    return list(MODELS)


@hookimpl
def register_migrations():
    return [MigrationSource("pathways", HERE / "migrations")]


@hookimpl
def register_permissions():
    from plugins.pathways.national import PERMISSION as NATIONAL
    from plugins.pathways.rules import CHECK, READ, REPORT
    return {
        # a partner's own people enter and correct their organisation's counts, and read them
        "resource_person": [REPORT, READ], "board_member": [REPORT, READ],
        # the programme's staff read every partner's counts and check them
        "volunteer_centre_coordinator": [READ, CHECK], "consultant": [READ, CHECK],
        "municipality_admin": [READ, CHECK],
        "national_coordinator": [NATIONAL],
    }


@hookimpl
def register_routes(platform):
    from plugins.pathways import views
    found = views.routes()
    if _federation_enabled(platform):
        from plugins.pathways import national
        found += national.routes()
    return found


@hookimpl
def register_api_operations(platform):
    from plugins.pathways import api
    return api.operations()


@hookimpl
def register_export_datasets(platform):
    from plugins.pathways import exports
    return [exports.dataset(platform)]


@hookimpl
def page_blocks(request, page, context):
    """On a programme's page: its pathway, as the public sees it (a chart of the newest year with
    checked counts), and the ways in for the partnership; on the national overview: the way to
    the national pathway figures."""
    from plugins.pathways import blocks
    if page == "programme":
        return blocks.programme_block(request, context)
    if page == "national":
        return blocks.national_block(request, context)
    return []


@hookimpl
def todo_items(platform, actor, today):
    from plugins.pathways import todo
    return todo.items(platform, actor, today)


@hookimpl(optionalhook=True)
def register_feed_kinds(platform):
    from plugins.pathways import feed
    return feed.kinds(platform)


@hookimpl
def load_demo_data(platform):
    from plugins.pathways import demo
    demo.load(platform)
