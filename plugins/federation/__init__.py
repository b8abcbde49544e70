"""Federation: every instance publishes what its administrators chose to share as signed,
incremental feeds (RPDE style); the national coordinator's instance harvests them, adds them
up across municipalities and instances, and shows them on its dashboard.

The parts, one module each: ``kinds`` (what a feed kind is, and the registry other plugins add
to through ``register_feed_kinds``), ``registry_kinds`` (programmes, organisations, memberships,
money), ``aggregates`` and ``suppression`` (counts, small ones suppressed), ``sharing`` (what is
shared, the instance's identity and epoch), ``feed`` and ``publish_views`` (the feeds over
HTTP), ``signing`` and ``keys`` (trust), ``harvest`` (the national side's runs), ``national``,
``national_views`` and ``threesixtygiving`` (the dashboard), ``admin_views`` and ``cli``.

When the core gets scheduled jobs, the harvest becomes one hook implementation calling
``plugins.federation.harvest.harvest_all(platform)``; a block on the national overview page
can render ``national.freshness()`` the same way.
"""
from __future__ import annotations

from pathlib import Path

from core.audit_labels import register_action
from core.db import MigrationSource
from core.hookspecs import hookimpl
from core.i18n import lazy_gettext as _

# how the audit log words the federation's own actions
for _action, _label in (
        ("federation.share", _("shared a kind of data with harvesters")),
        ("federation.unshare", _("stopped sharing a kind of data with harvesters")),
        ("federation.peer.activate", _("resumed harvesting an instance")),
        ("federation.peer.deactivate", _("paused harvesting an instance")),
        ("federation.epoch", _("started a new feed epoch")),
        ("federation.harvester.create", _("let a harvester in")),
        ("federation.key.create", _("made a harvester key")),
        ("federation.key.revoke", _("revoked a harvester key")),
        ("federation.peer.create", _("registered an instance to harvest")),
        ("federation.peer.key", _("added a key for a harvested instance")),
        ("federation.peer.key.revoke", _("revoked a key for a harvested instance")),
        ("federation.refused", _("was refused a federation request"))):
    register_action(_action, _label, "federation", _("Sharing between instances"))

__version__ = "1.0.0"

HERE = Path(__file__).parent


@hookimpl
def register_models():
    from plugins.federation.models import MODELS
    return list(MODELS)


@hookimpl
def register_migrations():
    return [MigrationSource("federation", HERE / "migrations")]


@hookimpl
def register_permissions():
    return {
        "municipality_admin": ["federation.share"],       # what their municipality shares
        "national_coordinator": ["federation.dashboard"],  # the national dashboard
        "platform_admin": ["federation.peers"],           # harvesters, keys, peers, epoch
    }


@hookimpl
def register_routes(platform):
    from plugins.federation import admin_views, national_views, publish_views
    return [*publish_views.routes(), *admin_views.routes(), *national_views.routes()]


@hookimpl
def register_commands(subparsers, platform):
    from plugins.federation import cli
    cli.register(subparsers)


@hookimpl
def navigation_links(request):
    from core import authz
    from core.web.pages import NavLink
    actor = getattr(request.state, "actor", None)
    if actor is None or not actor.is_authenticated:
        return []
    links = []
    if authz.can(actor, "federation.dashboard"):
        links.append(NavLink("/national/harvest", _("National dashboard"), order=70))
    if authz.can(actor, "federation.share"):
        links.append(NavLink("/manage/federation", _("Sharing"), order=80))
    return links


@hookimpl
def register_jobs(platform):
    """The national instance harvests its peers every hour (an instance with no peers does
    nothing); ``partnerskab harvest`` does the same from cron."""
    from core.jobs import Job, every

    def harvest(context):
        from plugins.federation.harvest import harvest_all
        harvest_all(context.platform)
    return [Job("federation.harvest", every(hours=1), harvest, "harvest every active peer's shared feeds")]


@hookimpl
def page_blocks(request, page, context):
    """On the core's national overview: what this instance harvested from others, and the way to
    the national dashboard (two queries, whatever the number of peers)."""
    if page != "national":
        return []
    from core import authz
    from core.web.pages import PageBlock
    from plugins.federation.models import HarvestedItem, Peer
    actor = getattr(request.state, "actor", None)
    if actor is None or not authz.can(actor, "federation.dashboard"):
        return []
    peers = list(Peer.select(Peer.name, Peer.last_success_at).where(Peer.active == True))  # noqa: E712
    items = HarvestedItem.select().count()
    return [PageBlock("federation/national_block.html", order=20,
                      context={"federation_peers": peers, "federation_items": items})]


@hookimpl(optionalhook=True)
def register_feed_kinds(platform):
    from plugins.federation import aggregates, registry_kinds
    return [*registry_kinds.kinds(), *aggregates.kinds()]


@hookimpl
def load_demo_data(platform):
    """A demo instance shares everything the first time its demo data loads, so a national
    instance beside it has data to harvest; after that its administrators decide (loading the
    demo data again never shares what they stopped sharing)."""
    from plugins.federation import sharing
    from plugins.federation.kinds import kinds_for
    from plugins.federation.models import ShareSetting
    if not ShareSetting.select().exists():
        sharing.share_everything(kinds_for(platform), "demo-data")
