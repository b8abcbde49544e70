"""Shorthands for the JSON schemas the operations declare, and for writing values into JSON.

The declarations (request bodies, responses) are plain JSON Schema (2020-12, as OpenAPI 3.1
uses); these helpers keep them short and alike across the core's and the plugins' operations.
"""
from __future__ import annotations


def obj(properties: dict, required: list[str] | None = None) -> dict:
    return {"type": "object", "properties": properties, "required": required or list(properties)}


def nullable(schema: dict) -> dict:
    kind = schema.get("type")
    return {**schema, "type": [kind, "null"]}


INT = {"type": "integer"}
STR = {"type": "string"}
DATE = {"type": "string", "format": "date"}
DATETIME = {"type": "string"}
BOOL = {"type": "boolean"}


def list_of(item: dict) -> dict:
    return obj({"items": {"type": "array", "items": item}, "next": {"type": ["string", "null"]}})


def iso(value) -> str | None:
    return value.isoformat() if value is not None else None
