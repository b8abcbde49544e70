"""Every hook a plugin can implement, flat and documented (Datasette's and pytest's pattern).

Families, by verb:

* ``register_*`` add things the platform knows about (programme types, target groups,
  routes, models, migrations, permissions, CLI commands). Results from all plugins are combined.
* ``extra_*``, ``navigation_links`` and ``page_blocks`` add to pages. Results are combined in
  the order the plugins are listed in the configuration.
* ``load_demo_data`` fills a demo deployment.

``platform`` arguments are the running ``core.platform.Platform`` (settings, plugin manager,
programme types, target groups, permissions). The name is not imported here: the contract
does not depend on the module that builds the platform from it (no import circle).

Implementations must be marked ``@hookimpl`` (``from core.hookspecs import hookimpl``); a
misspelled hook name fails at start-up (``check_pending``). The core's own behaviour is a
plugin too (``core/default_plugin.py``), registered ``trylast`` so plugins come first.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:  # pragma: no cover - imports for type hints only
    import argparse

    from starlette.requests import Request
    from starlette.routing import BaseRoute

    from core.db import MigrationSource
    from core.programme_types import ProgrammeType, TargetGroup
    from core.web.pages import NavLink, PageBlock

PROJECT = "partnerskab"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def register_programme_types() -> list[ProgrammeType]:
    """Programme types this plugin brings, with their rules (caps, hours, periods, focus
    areas, criteria). Called once at start-up; keys must be unique across plugins."""


@hookspec
def register_target_groups() -> list[TargetGroup]:
    """Target groups organisations can be tagged with (children, youth 16–24, elderly ...).
    Called once at start-up; later plugins may not reuse a key."""


@hookspec
def register_models() -> list[Any]:
    """peewee model classes this plugin owns. Used to know every table (tests, data export,
    tenancy checks); the tables themselves are created by the plugin's migrations."""


@hookspec
def register_migrations() -> list[MigrationSource]:
    """Folders of numbered migration scripts, one per component. The core's run first, then
    the plugins' in configuration order; each component keeps its own history table."""


@hookspec
def register_permissions() -> dict[str, list[str]]:
    """Actions this plugin's roles may take, as ``{role: [action, ...]}`` — e.g.
    ``{"consultant": ["action_plan.approve"]}``. Added to the core's role→permission table in
    ``core.authz`` (roles are the core's: a plugin adds actions, never roles); the platform
    administrator gets every action. Routes name the action they need with
    ``page(..., permission="action_plan.approve")`` and views ask ``core.authz.can``.
    Called once at start-up."""


@hookspec
def register_routes(platform: Platform) -> list[BaseRoute]:
    """Starlette routes this plugin serves. Called once when the app is built; plugin routes
    are matched before the core's, so a plugin may specialise a core path."""


@hookspec
def register_commands(subparsers: argparse._SubParsersAction, platform: Platform) -> None:
    """Add sub-commands to the ``partnerskab`` CLI. Each sub-command sets ``func`` with
    ``set_defaults(func=...)``; the function receives ``(platform, args)`` and returns an exit
    code."""


@hookspec
def navigation_links(request: Request) -> list[NavLink]:
    """Links for the main navigation of the current request. Combined in plugin order after
    the core's; return an empty list to add nothing."""


@hookspec
def extra_template_vars(request: Request | None, template_name: str) -> dict[str, Any]:
    """Variables added to the context of every template rendered for a page. Later keys do
    not overwrite keys the view itself set."""


@hookspec
def page_blocks(request: Request, page: str, context: dict[str, Any]) -> list[PageBlock]:
    """Blocks (HTML fragments from templates) shown on a page: ``home``, ``programme``,
    ``organisation`` or ``municipality``; ``context`` holds the page's main objects (e.g.
    ``programme``). Blocks are sorted by their ``order``. This is where dashboards grow."""


@hookspec
def load_demo_data(platform: Platform) -> None:
    """Fill a demo deployment with this plugin's data. Called in configuration order inside
    one transaction, after migrations; must be idempotent (a second run changes nothing)."""
