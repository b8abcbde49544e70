"""The JSON API: ``/api/v1/`` (one module per resource family, plus the operations plugins
register with the ``register_api_operations`` hook) and its OpenAPI document at
``/api/openapi.json``, built from the same declarations as the routes (``core.api.base``)."""
from __future__ import annotations

from starlette.routing import Route

from core.api import invitations, lifecycle, money, registry
from core.api.openapi import openapi_endpoint
from core.settings import ConfigError
from core.web.routing import declare

PREFIX = "/api/v1/"


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


def plugin_operations(platform) -> list[Route]:
    """The plugins' operations, checked: each made by ``core.api.base.operation`` (so it
    authenticates, checks its permission and answers problems as the core's do), under
    ``/api/v1/``, with a permission some role holds and a path and method of its own."""
    if platform is None:
        return []
    from core import authz
    known = platform.permissions.known_actions | {authz.PUBLIC}
    found: list[Route] = []
    for impl in reversed(platform.pm.hook.register_api_operations.get_hookimpls()):
        for route in impl.function(platform) or []:
            where = f"plugin {impl.plugin_name}: API route {getattr(route, 'path', route)!r}"
            if not isinstance(route, Route) or getattr(route, "operation", None) is None:
                raise ConfigError(f"{where} is not made with core.api.base.operation")
            if not route.path.startswith(PREFIX):
                raise ConfigError(f"{where}: plugin operations live under {PREFIX}")
            if route.permission not in known:
                raise ConfigError(f"{where} needs the permission '{route.permission}', which no role holds")
            found.append(route)
    return found


def routes(platform=None) -> list[Route]:
    """The API, its document, and the pages where a person makes and revokes their tokens."""
    from core.views import api_tokens
    api = [*plugin_operations(platform), *v1_routes()]
    taken: set[tuple[str, str]] = set()
    operation_ids: set[str] = set()
    for route in api:
        for method in route.methods - {"HEAD"}:
            if (route.path, method) in taken:
                raise ConfigError(f"the API operation {method} {route.path} is declared twice")
            taken.add((route.path, method))
        if route.operation.operation_id in operation_ids:
            raise ConfigError(f"two API operations are called '{route.operation.operation_id}' (their handlers' "
                              "names): give a plugin's handler a name of its own")
        operation_ids.add(route.operation.operation_id)
    operations = [route.operation for route in api]
    document = declare(Route("/api/openapi.json", openapi_endpoint(operations), name="api_openapi", methods=["GET"]))
    return [*api, document, *api_tokens.routes()]
