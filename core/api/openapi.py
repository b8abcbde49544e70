"""The OpenAPI 3.1 document, built from the operations' declarations (``core.api.base.operation``),
so the document and the routes cannot drift apart: a route is its own documentation."""
from __future__ import annotations

from starlette.responses import JSONResponse

from core.api.base import PROBLEM_MEDIA_TYPE

PROBLEM = {
    "type": "object", "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
        "detail": {"type": "string"}, "instance": {"type": "string"}, "request_id": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    },
}
DESCRIPTIONS = {200: "OK", 201: "Created", 400: "Invalid request (problem details, `errors` per field)",
                401: "No valid token", 403: "Not permitted", 404: "Not found, or not yours to see",
                405: "Method not allowed", 409: "Conflict with the current state", 413: "Body too large",
422: "Refused by the rules (`errors` per field)"}


def _problem_ref() -> dict:
    return {"content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}}


def build(operations, *, title: str, version: str = "1.0.0") -> dict:
    paths: dict[str, dict] = {}
    for op in operations:
        entry: dict = {"operationId": op.operation_id, "summary": op.summary, "tags": [op.tag],
                       "parameters": [{"name": p.name, "in": p.location, "required": p.location == "path" or p.required,
                                       "description": p.description, "schema": p.schema()} for p in op.params],
                       "responses": {}}
        if op.permission != "public":
            entry["security"] = [{"bearerAuth": []}]
            entry["description"] = f"Needs the permission `{op.permission}`; results are limited to your scope."
        else:
            entry["security"] = [{}, {"bearerAuth": []}]
        if op.body is not None:
            entry["requestBody"] = {"required": True, "content": {"application/json": {"schema": op.body}}}
        success = {op.status, *(s for s in op.extra_statuses if s < 300)}
        for status in sorted(success):
            entry["responses"][str(status)] = {"description": DESCRIPTIONS.get(status, "OK"),
                                               "content": {"application/json": {"schema": op.response or {}}}}
        errors = {400, 404, *(s for s in op.extra_statuses if s >= 400)}
        if op.body is not None:
            errors |= {413}
        if op.permission != "public":
            errors |= {401, 403}
        else:
            errors |= {401}  # a token that is sent must be valid
        for status in sorted(errors):
            entry["responses"][str(status)] = {"description": DESCRIPTIONS[status], **_problem_ref()}
        paths.setdefault(op.path, {})[op.method.lower()] = entry
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version,
                 "description": "The Partnerskab JSON API. Authenticate with a personal access token "
                                "(made on /me/tokens or with `partnerskab create-token EMAIL`): "
                                "`Authorization: Bearer psk_…`. The token carries its account's permissions; "
                                "lists are limited to what the account may see. Errors are RFC 9457 problem "
                                "details. Lists are paged: follow `next`."},
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer",
                                               "description": "A personal access token (psk_…)"}},
            "schemas": {"Problem": PROBLEM},
        },
    }


def openapi_endpoint(operations):
    cache: dict = {}

    async def openapi_json(request):
        if "doc" not in cache:
            settings = request.app.state.platform.settings
            cache["doc"] = build(operations, title=f"{settings.site_name} API")
        return JSONResponse(cache["doc"])
    return openapi_json
