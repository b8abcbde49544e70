"""Knowledge: learnings, the method library and the handover kit, shared across instances.

A learning is an experience written up in Markdown (rendered with markdown-it-py, sanitised with
nh3), tagged with a focus area, a target group and a method, linked to a programme, an
organisation and (when a meetings plugin offers them) a meeting, and given a visibility:
the network, the municipality, nationally or everyone. People comment on it; staff promote a
good one to the method library (what it is, for whom, the steps, what it takes, the evidence).
An agreement's page shows a new resource person the learnings and methods of that partnership.

Learnings and methods shared nationally are federation feed kinds (when the federation plugin
is enabled), so the national coordinator's instance harvests them; there a page searches them
and a block on the national overview shows them by focus area. The modules, one job each:
``models``, ``vocabulary``, ``rendering``, ``visibility``, ``search``, ``rules``, ``views``,
``api``, ``exports``, ``feed``, ``national`` and ``national_views``, ``demo``, ``benchdata``.

The words of a municipality are not here: demo learnings come from each municipality plugin's
``knowledge_demo.toml``; focus areas from the programme types.
"""
from __future__ import annotations

from pathlib import Path

from core.audit_labels import register_action
from core.db import MigrationSource
from core.hookspecs import hookimpl
from core.i18n import lazy_gettext as _

__version__ = "1.0.0"
HERE = Path(__file__).parent

for _action, _label in (
        ("knowledge.learning.create", _("wrote a learning")),
        ("knowledge.learning.update", _("changed a learning")),
        ("knowledge.learning.delete", _("deleted a learning")),
        ("knowledge.comment.create", _("commented on a learning")),
        ("knowledge.comment.delete", _("deleted a comment on a learning")),
        ("knowledge.method.create", _("made a learning a method in the library")),
        ("knowledge.method.update", _("changed a method in the library"))):
    register_action(_action, _label, "knowledge", _("Learnings and methods"))

PERMISSIONS = ("knowledge.read", "knowledge.write", "knowledge.comment")


@hookimpl
def register_models():
    from plugins.knowledge.models import MODELS
    return list(MODELS)


@hookimpl
def register_migrations():
    return [MigrationSource("knowledge", HERE / "migrations")]


@hookimpl
def register_permissions():
    staff = [*PERMISSIONS, "knowledge.promote"]
    return {"municipality_admin": staff, "consultant": staff, "volunteer_centre_coordinator": staff,
            "resource_person": list(PERMISSIONS), "board_member": list(PERMISSIONS),
            "national_coordinator": ["knowledge.national"]}


@hookimpl
def register_routes(platform):
    from plugins.knowledge import national_views, views
    return [*views.routes(), *national_views.routes()]


@hookimpl
def register_api_operations(platform):
    from plugins.knowledge import api
    return api.operations()


@hookimpl
def register_export_datasets(platform):
    from plugins.knowledge import exports
    return exports.datasets(platform)


@hookimpl
def register_jobs(platform):
    """On a national instance, bring the search index of harvested learnings up to date every
    hour (the pages also catch up a bounded batch when they are opened)."""
    from core.jobs import Job, every

    def index(context):
        from plugins.knowledge import national
        national.sync(context.platform)
    return [Job("knowledge.index_harvest", every(hours=1), index,
                "index the learnings and methods harvested from other instances")]


@hookimpl
def navigation_links(request, actor):
    from core import authz
    from core.web.pages import NavLink
    links = [NavLink("/learnings", _("Learnings"), order=42)]
    if actor is not None and actor.is_authenticated and authz.can(actor, "knowledge.national") \
            and request.app.state.platform.pm.has_plugin("federation"):
        links.append(NavLink("/national/learnings", _("National learnings"), order=71))
    return links


@hookimpl
def page_blocks(request, page, context):
    if page == "agreement":
        from plugins.knowledge import handover
        return handover.blocks(request, context)
    if page == "national":
        from plugins.knowledge import national_views
        return national_views.blocks(request, context)
    return []


@hookimpl(optionalhook=True)
def register_feed_kinds(platform):
    from plugins.knowledge import feed
    return feed.kinds()


@hookimpl
def personal_data(account):
    from plugins.knowledge import people
    return people.export(account)


@hookimpl
def forget_account(account, pseudonym):
    from plugins.knowledge import people
    people.forget(account)


@hookimpl
def load_demo_data(platform):
    from plugins.knowledge import demo
    demo.load(platform)


def _bench_generator():
    from core import benchdata
    from plugins.knowledge import benchdata as knowledge_bench
    benchdata.register_generator("learnings", knowledge_bench.generate)


_bench_generator()
