"""The JSON API: ``/api/v1/`` (one module per resource family) and its OpenAPI document at
``/api/openapi.json``, built from the same declarations as the routes (``core.api.base``)."""
from __future__ import annotations

from starlette.routing import Route

from core.api import invitations, lifecycle, money, registry
from core.api.openapi import openapi_endpoint
from core.web.routing import declare


def v1_routes() -> list[Route]:
    return [*registry.routes(), *lifecycle.routes(), *money.routes(), *invitations.routes()]


def allowed_methods(routes, path: str) -> str:
    """The ``Allow`` header of an API address: the methods its routes declare (the documented
    ones, with HEAD beside GET) and OPTIONS. Starlette's own 405 names only the first route's
    methods of an address that has two (GET and POST on /api/v1/payments)."""
    allowed = {"OPTIONS"}
    for route in routes:
        if isinstance(route, Route) and route.methods and route.path_regex.match(path):
            allowed |= set(route.methods)
    return ", ".join(sorted(allowed))


def routes(platform=None) -> list[Route]:
    """The API, its document, and the pages where a person makes and revokes their tokens."""
    from core.views import api_tokens
    api = v1_routes()
    operations = [route.operation for route in api]
    document = declare(Route("/api/openapi.json", openapi_endpoint(operations), name="api_openapi", methods=["GET"]))
    return [*api, document, *api_tokens.routes()]
