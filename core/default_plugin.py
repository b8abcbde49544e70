"""The core's own hook implementations, registered ``trylast`` so plugins come first and can
add to or specialise them (Datasette's default plugins)."""
from __future__ import annotations

from core.db import MigrationSource
from core.hookspecs import hookimpl
from core.i18n import lazy_gettext as _
from core.models import CORE_MODELS
from core.programme_types import TargetGroup
from core.settings import CORE_DIR


@hookimpl(trylast=True)
def register_target_groups():
    return [
        TargetGroup("children", _("Children"), (0, 12)),
        TargetGroup("youth", _("Young people"), (13, 17)),
        TargetGroup("youth_16_24", _("Young people aged 16–24"), (16, 24)),
        TargetGroup("adults", _("Adults"), (18, 64)),
        TargetGroup("elderly", _("Elderly people"), (65, 120)),
        TargetGroup("families", _("Families and parents")),
        TargetGroup("volunteers", _("Volunteers")),
    ]


@hookimpl(trylast=True)
def register_models():
    return list(CORE_MODELS)


@hookimpl(trylast=True)
def register_migrations():
    return [MigrationSource("core", CORE_DIR / "migrations")]


@hookimpl(trylast=True)
def register_routes(platform):
    from core.views import routes
    return routes(platform)


@hookimpl(trylast=True)
def navigation_links(request, actor):
    """Calls, the to-do list, applications, agreements, the audit log, budgets, payments and
    exports, and the national overview, each for the roles that may see it."""
    from core.views.audit import navigation_links as audit_links
    from core.views.payments import navigation_links as money_links
    from core.views.agreements import navigation_links as lifecycle_links
    from core.views.first_run import navigation_links as setup_links
    from core.views.national import navigation_links as national_links
    return (setup_links(request) + lifecycle_links(request) + audit_links(request) + money_links(request)
            + national_links(actor))


@hookimpl(trylast=True)
def register_permissions():
    """The first run of a fresh instance (``/setup``) is the platform administrator's alone."""
    return {"platform_admin": ["instance.setup"]}


@hookimpl(trylast=True)
def extra_template_vars(request, template_name):
    """The look the administrator chose on the first-run page (``core.look``), if any."""
    if request is None:
        return {}
    from core import look
    return {"look": look.current(request.app.state.platform.settings.instance_dir)}


@hookimpl(tryfirst=True)
def todo_items(platform, actor, today):
    """The lifecycle's (applications, agreements, resource-person posts), payments waiting for
    approval and invitations waiting for a second person; first, so the core's sections head the list."""
    from core import todo
    from core.views.invitations import invitations_to_confirm
    from core.views.payments import payments_to_approve
    return (todo.applications_waiting(platform, actor, today) + todo.agreements_waiting(platform, actor, today)
            + payments_to_approve(platform, actor, today) + invitations_to_confirm(platform, actor, today))


@hookimpl(trylast=True)
def register_export_datasets(platform):
    """Payments, commitments (sign-on fees and grants), applications and agreements."""
    from core.datasets import core_datasets
    return core_datasets()


@hookimpl(trylast=True)
def register_jobs(platform):
    """The daily job that tells plugins about agreements whose last day has passed."""
    from core.jobs import core_jobs
    return core_jobs()


@hookimpl(trylast=True)
def load_demo_data(platform):
    """The declared programme types' seed data, and demo accounts, one per role, after the
    plugins made the places they work in."""
    from core import demo, seed
    seed.load(platform)
    demo.load_accounts(platform)
