"""The core's pages, one module per page family; each view parses, calls a rule or a query,
and renders."""
from __future__ import annotations

from core.views import audit, auth, health, home, language, municipalities, organisations, programmes
from core.views import manage_home, manage_money, manage_network, manage_organisations, manage_programmes
from core.views import invitations, outbox, password_reset
from core.views import account, two_factor
from core.views import agreements, applications, calls
from core.views import budgets, exports, national, payments
from core.views import first_run


def routes(platform):
    from core.api import routes as api_routes  # the JSON API (/api/v1/, /api/openapi.json)
    return [
        *home.routes(),
        *organisations.routes(),
        *programmes.routes(),
        *municipalities.routes(),
        *language.routes(),
        *health.routes(),
        *auth.routes(),
        *two_factor.routes(),
        *account.routes(),
        *password_reset.routes(),
        *invitations.routes(),
        *outbox.routes(),
        *manage_home.routes(),
        *manage_organisations.routes(),
        *manage_programmes.routes(),
        *manage_network.routes(),
        *manage_money.routes(),
        *audit.routes(),
        *calls.routes(),
        *applications.routes(),
        *agreements.routes(),
        *payments.routes(),
        *budgets.routes(),
        *exports.routes(),
        *first_run.routes(),
        *national.routes(),
        *api_routes(platform),
    ]
