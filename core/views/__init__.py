"""The core's pages, one module per page family; each view parses, calls a rule or a query,
and renders."""
from __future__ import annotations

from core.views import auth, health, home, language, municipalities, organisations, programmes


def routes(platform):
    return [
        *home.routes(),
        *organisations.routes(),
        *programmes.routes(),
        *municipalities.routes(),
        *language.routes(),
        *health.routes(),
        *auth.routes(),
    ]
