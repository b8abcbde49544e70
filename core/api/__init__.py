"""The JSON API: ``/api/v1/`` (one module per resource family) and its OpenAPI document at
``/api/openapi.json``, built from the same declarations as the routes (``core.api.base``)."""
from __future__ import annotations

from starlette.routing import Route

from core.api import lifecycle, money, registry
from core.api.openapi import openapi_endpoint
from core.web.routing import declare


def v1_routes() -> list[Route]:
    return [*registry.routes(), *lifecycle.routes(), *money.routes()]


def routes(platform=None) -> list[Route]:
    """The API, its document, and the pages where a person makes and revokes their tokens."""
    from core.views import api_tokens
    api = v1_routes()
    operations = [route.operation for route in api]
    document = declare(Route("/api/openapi.json", openapi_endpoint(operations), name="api_openapi", methods=["GET"]))
    return [*api, document, *api_tokens.routes()]
