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
def navigation_links(request):
    """The audit log, budgets, payments and exports, for those who may see them."""
    from core.views.audit import navigation_links as audit_links
    from core.views.payments import navigation_links as money_links
    from core.views.agreements import navigation_links as lifecycle_links
    from core.views.first_run import navigation_links as setup_links
    return setup_links(request) + lifecycle_links(request) + audit_links(request) + money_links(request)


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


@hookimpl(trylast=True)
def load_demo_data(platform):
    """The declared programme types' seed data, and demo accounts, one per role, after the
    plugins made the places they work in."""
    from core import demo, seed
    seed.load(platform)
    demo.load_accounts(platform)
