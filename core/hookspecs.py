"""Every hook a plugin can implement, flat and documented (Datasette's and pytest's pattern).

Families, by verb:

* ``register_*`` add things the platform knows about (programme types and the keys plugins
  read from them, target groups,
  routes, API operations, export datasets, scheduled jobs, models, migrations, permissions,
  CLI commands). Called once at start-up; results from all plugins are combined.
* ``extra_*``, ``navigation_links``, ``page_blocks`` and ``todo_items`` add to pages. Results
  are combined in the order the plugins are listed in the configuration.
* ``check_*`` add checks to the core's rules, inside the rule's own transaction: every plugin
  is asked, each adds its problems.
* ``on_*`` react to what happened, after it was committed: every plugin is told, results are
  ignored.
* ``personal_data`` and ``forget_account`` answer a person's own-data rights: what the plugin
  keeps about them joins their download; deleting their account makes the plugin forget them.
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

    import datetime

    from core.authz import Actor
    from core.datasets import ExportDataset
    from core.db import MigrationSource
    from core.events import Event
    from core.jobs import Job
    from core.programme_types import ProgrammeType, ProgrammeTypeField, TargetGroup
    from core.rules.checks import RuleCheck
    from core.todo import TodoItem
    from core.web.pages import NavLink, PageBlock

PROJECT = "partnerskab"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def register_programme_types() -> list[ProgrammeType]:
    """Programme types this plugin brings, with their rules (caps, hours, periods, focus
    areas, criteria). Called once at start-up; keys must be unique across plugins."""


@hookspec
def register_programme_type_fields() -> list[ProgrammeTypeField]:
    """Keys this plugin reads from programme types beyond the core's fields
    (``core.programme_types.ProgrammeTypeField``: a key and a function that checks its TOML
    value), so a capability is configured per programme type as data. A declared TOML file may
    then write the key in ``[programme_type]`` (without it, an unknown key is refused); the
    value, as the field's ``read`` returns it, is ``ProgrammeType.extra[key]``. Python plugins
    set ``extra`` on their types directly. Called once at start-up, before the declared files
    are read; a key is unique across plugins and never one of the core's fields."""


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
def register_api_operations(platform: Platform) -> list[BaseRoute]:
    """JSON API operations this plugin serves under ``/api/v1/``, each made with
    ``core.api.base.operation(method, path, handler, permission=..., summary=..., tag=...)``.
    Called once when the app is built. They join the core's operations: the same bearer-token
    and session authentication, the same permission check (``core.authz.can``; a plugin's
    action must be registered with ``register_permissions``), the same problem answers, and
    they are listed in ``/api/openapi.json``. Narrow every query with ``core.tenancy.scoped``
    (the model needs a tenancy rule) so another tenant's rows are "not found"."""


@hookspec
def register_export_datasets(platform: Platform) -> list[ExportDataset]:
    """Datasets offered for download as CSV and Excel on ``/exports`` (``core.datasets.ExportDataset``:
    a name, a title, columns and one or more sources of rows). Called once when the app is built.
    Each source's model is narrowed to the downloading person's tenancy for the dataset's
    permission (default ``export.read``); only those who hold it see the dataset listed. The
    files are streamed by the same writers as the core's exports (``core.exports.csv_stream`` and
    ``xlsx_stream``), in batches, so memory stays flat."""


@hookspec
def register_jobs(platform: Platform) -> list[Job]:
    """Scheduled work (``core.jobs.Job``: a name, a schedule — ``every(hours=1)`` or a cron-like
    ``cron("0 6 * * 1")`` in Danish time — and a function taking a ``core.jobs.JobContext``).
    Called once when the platform is built. ``partnerskab jobs run`` (for cron) and the web
    server's background loop run each due job once per due slot, exactly once across all
    workers and processes (a unique row per job and slot in ``job_run``); a missed slot is not
    repeated, the next run covers it (``context.previous_slot`` says since when)."""


@hookspec
def register_commands(subparsers: argparse._SubParsersAction, platform: Platform) -> None:
    """Add sub-commands to the ``partnerskab`` CLI. Each sub-command sets ``func`` with
    ``set_defaults(func=...)``; the function receives ``(platform, args)`` and returns an exit
    code."""


@hookspec
def navigation_links(request: Request, actor: Actor | None) -> list[NavLink]:
    """Links for the main navigation of the current request, decided per role: ``actor`` is the
    person asking (``core.authz.Actor``, the same as ``request.state.actor``; anonymous when
    nobody is logged in, None on an error page), so ask ``core.authz.can(actor, "some.action")``
    or look at ``actor.roles``. Called for every page of a logged-in person; for the public
    (nobody logged in, or an error page) once per language, the links then kept for every
    public page, so they may depend on the actor and the language only. Combined in plugin
    order after the core's and sorted by each link's ``order``. Return an empty list to add
    nothing."""


@hookspec
def extra_template_vars(request: Request | None, template_name: str) -> dict[str, Any]:
    """Variables added to the context of every template rendered for a page. Later keys do
    not overwrite keys the view itself set."""


@hookspec
def page_blocks(request: Request, page: str, context: dict[str, Any]) -> list[PageBlock]:
    """Blocks (HTML fragments from templates) shown on a page, one call per page view.
    ``page`` is one of ``core.web.pages.PAGES`` — ``home``, ``programme``, ``organisation``,
    ``municipality``, ``call``, ``application``, ``agreement``, ``me``, ``todo``, ``manage``,
    ``national`` — and ``context`` holds that page's main objects (``programme``, ``call``,
    ``application``, ``agreement``, ``organisation``, ``municipality``; the lists of ``/manage``
    and ``/national``; ``actor`` everywhere). A block fetches what it shows for the whole page
    in a fixed number of queries (bulk, by the ids in ``context``), never one per row, so a
    page's query count does not grow with data. Blocks are sorted by their ``order``."""


@hookspec
def todo_items(platform: Platform, actor: Actor, today: datetime.date) -> list[TodoItem]:
    """What waits for this logged-in person (``core.todo.TodoItem``: a section key and heading,
    a title, a link, a detail), shown on ``/todo`` and ``/me``. Ask only what the actor may act
    on (``core.tenancy.scoped``), in a fixed number of queries whatever the data. Called on
    every to-do page; the core's items come first, then the plugins' in configuration order,
    grouped by section in the order sections first appear."""


@hookspec
def check_rules(platform: Platform, check: RuleCheck) -> None:
    """Add checks to the core's rules. Called inside the rule's transaction, after the core
    locked the programme and before anything is written, for ``check.action`` in
    ``core.rules.checks.ACTIONS`` (an application submitted or decided; a sign-on fee or a grant
    recorded; a payment requested, approved or marked paid). ``check`` carries the programme,
    its type, the organisation and the amounts; a plugin refuses with
    ``check.problems.add(field, msgid, **params)`` (an English message id translated through
    the plugin's catalogue, so the refusal reads in Danish and English). Every plugin is asked;
    when any problem was added the rule writes nothing and says them all."""


@hookspec
def on_committed(platform: Platform, event: Event) -> None:
    """React to something that happened (``core.events.Event``: ``application.submitted``,
    ``application.decided``, ``agreement.created``/``extended``/``ended``,
    ``resource_person.changed``, ``payment.requested``/``approved``/``paid``/``cancelled``).
    Called once per event, only after the transaction that caused it committed — never for a
    rollback — in the committing thread with a database connection open. Every plugin is told;
    one that fails is logged and the others still hear it. Results are ignored."""


@hookspec
def personal_data(platform: Platform, account: Any) -> dict[str, Any] | None:
    """What this plugin keeps about one person (``core.models.account.Account``), for their own
    download (``/me/data`` and ``/me/data.json``, GDPR articles 15 and 20): plain JSON values,
    shown under the plugin's name in ``plugins``. Return None when it keeps nothing about them.
    Only adults have accounts; no plugin keeps data about a child."""


@hookspec
def forget_account(platform: Platform, account: Any, pseudonym: str) -> None:
    """The person deletes their account: remove or pseudonymise this plugin's rows about them
    (their name and address; ``pseudonym`` is what the audit log now calls them). Called inside
    the deletion's transaction, before the account row goes; an exception cancels the deletion."""


@hookspec
def load_demo_data(platform: Platform) -> None:
    """Fill a demo deployment with this plugin's data. Called in configuration order inside
    one transaction, after migrations; must be idempotent (a second run changes nothing)."""
