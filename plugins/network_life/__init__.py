"""Network life: what happens after the agreement is signed — each association's action plan
under the programme's focus areas (versions, feedback, approval, statuses) and the programme's
meetings (status meetings with one association, network, theme and training meetings, study
trips, joint events) with calendar invitations, answers, check-in and minutes.

A municipality switches it on by listing the plugin, and configures it per programme type
through its own plugin (``hookspecs.network_life_programme_types``): which meetings its
programme holds, which are required per association and year, how many network meetings it
plans. The words here are the capability's; the municipality's words stay in its plugin.

The parts, a module each: ``config`` (the vocabulary and a programme type's settings),
``models`` (the tables and whose rows they are), ``plans`` and ``plan_csv`` (the action-plan
rules and the spreadsheet round trip), ``meetings`` and ``calendar`` (the meeting rules and
the iCalendar files and feeds), ``requirements`` (overdue required meetings: to-do and
reminders), ``plan_views``, ``overview``, ``meeting_views`` and ``blocks`` (the pages), ``api``,
``datasets``, ``personal`` (a person's own data) and ``demo``.
"""
from __future__ import annotations

import datetime
from pathlib import Path

from core.db import MigrationSource
from core.hookspecs import hookimpl
from core.i18n import lazy_gettext as _
from plugins.network_life import access

__version__ = "1.0.0"

HERE = Path(__file__).parent
access.register_labels()


@hookimpl
def register_models():
    from plugins.network_life.models import MODELS
    return list(MODELS)


@hookimpl
def register_migrations():
    return [MigrationSource("network_life", HERE / "migrations")]


@hookimpl
def register_permissions():
    return access.PERMISSIONS


@hookimpl
def register_routes(platform):
    from plugins.network_life import meeting_views, overview, plan_views
    return [*overview.routes(), *plan_views.routes(), *meeting_views.routes()]


@hookimpl
def register_api_operations(platform):
    from plugins.network_life import api
    return api.operations()


@hookimpl
def register_export_datasets(platform):
    from plugins.network_life import datasets
    return datasets.datasets()


@hookimpl
def register_jobs(platform):
    """Every Monday at 7 (Danish time) each consultant gets a mail listing their associations'
    overdue required meetings."""
    from core.jobs import Job, cron
    from plugins.network_life import requirements
    return [Job("network_life.meeting_reminders", cron("0 7 * * 1"), requirements.remind,
                "mail consultants their associations' overdue required meetings")]


@hookimpl
def navigation_links(request, actor):
    from core import authz
    from core.web.pages import NavLink
    if actor is None or not actor.is_authenticated:
        return []
    links = []
    if authz.can(actor, access.PLAN_READ):
        links.append(NavLink("/action-plans", _("Action plans"), order=35))
    links.append(NavLink("/meetings", _("Meetings"), order=36))
    return links


@hookimpl
def page_blocks(request, page, context):
    from plugins.network_life import blocks
    actor = context.get("actor") or getattr(request.state, "actor", None)
    platform = request.app.state.platform
    if actor is None:
        return []
    if page == "agreement":
        return blocks.agreement_block(platform, actor, context["agreement"])
    if page == "programme":
        return blocks.programme_block(platform, actor, context["programme"])
    if page == "me" and actor.is_authenticated:
        return blocks.me_block(platform, actor)
    return []


@hookimpl
def todo_items(platform, actor, today):
    from plugins.network_life import todo
    return todo.items(platform, actor, today)


@hookimpl
def personal_data(platform, account):
    from plugins.network_life import personal
    return personal.export(account)


@hookimpl
def forget_account(platform, account, pseudonym):
    from plugins.network_life import personal
    personal.forget(account, pseudonym)


@hookimpl
def load_demo_data(platform):
    from plugins.network_life import demo
    demo.load(platform, datetime.date.today())
