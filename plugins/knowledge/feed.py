"""Learnings and methods as federation feed kinds, so the national coordinator's instance
harvests those shared nationally.

A row is published while it is live and its visibility is ``national`` or ``public`` (and, as
for every kind, while its municipality shares the kind: ``plugins.federation.sharing``). A
learning made private again, or deleted, gets a new change number in the same transaction
(``Shareable.save``), so the feed publishes it as ``deleted`` and harvesters drop it.

What is published: the texts (Markdown; the harvester renders and sanitises them itself, it
never takes HTML from a peer), the tags, the municipality, organisation and programme by name,
and an address for a public one. Not published: the author's name (a person), the comments
(a local conversation), anything about a child (learnings are written without).

This module is imported only when the federation plugin asks for its kinds.
"""
from __future__ import annotations

import re

from peewee import JOIN

from core.i18n import lazy_gettext as _, locale_context
from core.models.changes import touch
from core.models.municipality import Municipality
from core.models.organisation import Organisation
from core.models.programme import Programme
from plugins.federation import kinds as k
from plugins.federation.kinds import INSTANCE_SCOPE, FeedKind, Invalid, Row, municipality_scope
from plugins.knowledge import vocabulary
from plugins.knowledge.models import SHARED_NATIONALLY, Learning, Method
from plugins.knowledge.rendering import MAX_LENGTH

KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
FOCUS_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,78}:[a-z0-9_]{1,39}$")


def _scan(model):
    def scan(after: int, limit: int) -> list[Row]:
        query = (model.select(model.id, model.change_number, model.deleted_at, model.municipality, model.visibility)
                 .where(model.change_number > after).order_by(model.change_number, model.id).limit(limit))
        return [Row(str(row.id), row.change_number, row.deleted_at is None and row.visibility in SHARED_NATIONALLY,
                    municipality_scope(row.municipality_id)) for row in query]
    return scan


def _ids(item_ids: list[str]) -> list[int]:
    return [int(item_id) for item_id in item_ids if item_id.isdecimal() and len(item_id) < 16]


def _joined(model, ids):
    return (model.select(model, Municipality, Organisation, Programme)
            .join_from(model, Municipality, JOIN.LEFT_OUTER)
            .join_from(model, Organisation, JOIN.LEFT_OUTER)
            .join_from(model, Programme, JOIN.LEFT_OUTER)
            .where(model.id.in_(ids)))


def _focus_area(platform_types, key: str) -> dict | None:
    if not key:
        return None
    title = vocabulary.focus_area_title(platform_types, key)
    if title is None:
        return None
    titles = {}
    for language in ("da", "en"):
        with locale_context(language):
            titles[language] = str(title)
    return {"key": key, "title": titles}


def _common(row, platform_types) -> dict:
    return {
        "municipality": {"code": row.municipality.code, "name": row.municipality.name} if row.municipality_id else None,
        "organisation": {"name": row.organisation.name, "slug": row.organisation.slug} if row.organisation_id else None,
        "programme": ({"name": row.programme.name, "slug": row.programme.slug,
                       "programme_type": row.programme.programme_type} if row.programme_id else None),
        "focus_area": _focus_area(platform_types, row.focus_area),
        "target_group": row.target_group or None,
        "visibility": row.visibility,
        "created": row.created_at.date().isoformat(),
        "updated": row.updated_at.date().isoformat(),
    }


def _platform_types():
    from core.db import current_platform
    platform = current_platform()
    return platform.programme_types if platform is not None else {}


def _url(row, path: str) -> str | None:
    """The public page's address, when the learning or method is public and the instance has one."""
    from core.db import current_platform
    platform = current_platform()
    base = (platform.settings.base_url or "").rstrip("/") if platform is not None else ""
    return f"{base}{path}" if row.visibility == "public" and base.startswith(("http://", "https://")) else None


def load_learnings(item_ids: list[str]) -> dict[str, dict]:
    ids = _ids(item_ids)
    if not ids:
        return {}
    types = _platform_types()
    return {str(row.id): {"title": row.title, "summary": row.summary, "body": row.body, "method": row.method or None,
                          "source": row.source or None, "illustrative": row.illustrative,
                          "url": _url(row, f"/learnings/{row.id}"), **_common(row, types)}
            for row in _joined(Learning, ids)}


def load_methods(item_ids: list[str]) -> dict[str, dict]:
    ids = _ids(item_ids)
    if not ids:
        return {}
    types = _platform_types()
    return {str(row.id): {"title": row.title, "method_key": row.method_key, "what": row.what,
                          "for_whom": row.for_whom, "steps": row.steps, "what_it_takes": row.what_it_takes,
                          "evidence": row.evidence, "learning": row.learning_id,
                          "url": _url(row, f"/methods/{row.id}"), **_common(row, types)}
            for row in _joined(Method, ids)}


def _key(data: dict, name: str, pattern=KEY) -> str | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not pattern.match(value):
        raise Invalid(f"{name}: expected a key")
    return value


def _reference(data: dict, name: str, fields: tuple[str, ...]) -> dict | None:
    value = k.mapping(data, name, required=False)
    if value is None:
        return None
    return {field: k.text(value, field, 200) for field in fields}


def _focus_area_checked(data: dict) -> dict | None:
    value = k.mapping(data, "focus_area", required=False)
    if value is None:
        return None
    titles = k.mapping(value, "title")
    return {"key": _key(value, "key", FOCUS_KEY) or _missing("focus_area.key"),
            "title": {"da": k.text(titles, "da", 200), "en": k.text(titles, "en", 200)}}


def _missing(name: str):
    raise Invalid(f"{name}: missing")


def _url_checked(data: dict) -> str | None:
    url = k.optional_text(data, "url", 300)
    if url is not None and not url.startswith(("http://", "https://")):
        raise Invalid("url: expected an http(s) address")
    return url


def _common_checked(data: dict) -> dict:
    return {"municipality": k.municipality(data, required=False),
            "organisation": _reference(data, "organisation", ("name", "slug")),
            "programme": _reference(data, "programme", ("name", "slug", "programme_type")),
            "focus_area": _focus_area_checked(data), "target_group": _key(data, "target_group"),
            "visibility": k.choice(data, "visibility", SHARED_NATIONALLY),
            "created": k.day(data, "created"), "updated": k.day(data, "updated"), "url": _url_checked(data)}


def validate_learning(data: dict) -> dict:
    illustrative = data.get("illustrative", False)
    if not isinstance(illustrative, bool):
        raise Invalid("illustrative: expected true or false")
    return {"title": k.text(data, "title", 200), "summary": k.text(data, "summary", 500),
            "body": k.text(data, "body", MAX_LENGTH, required=False), "method": _key(data, "method"),
            "source": k.optional_text(data, "source", 500), "illustrative": illustrative, **_common_checked(data)}


def validate_method(data: dict) -> dict:
    return {"title": k.text(data, "title", 200), "method_key": _key(data, "method_key") or _missing("method_key"),
            **{field: k.text(data, field, 10_000, required=False)
               for field in ("what", "for_whom", "steps", "what_it_takes", "evidence")},
            "learning": k.integer(data, "learning", minimum=1), **_common_checked(data)}


def _facets(method_field: str):
    def facets(data: dict) -> dict:
        municipality = data["municipality"] or {"code": "", "name": ""}
        return {"municipality_code": municipality["code"], "municipality_name": municipality["name"],
                "programme_type": (data["programme"] or {}).get("programme_type", ""),
                "category": data.get(method_field) or "", "year": int(data["created"][:4])}
    return facets


def _touch(model):
    def touch_scope(scope: str) -> int:
        if scope == INSTANCE_SCOPE:
            return touch(model, model.municipality.is_null())
        prefix, _sep, value = scope.partition(":")
        if prefix != "municipality" or not value.isdecimal():
            raise ValueError(f"not a share scope: {scope!r}")
        return touch(model, model.municipality == int(value))
    return touch_scope


def kinds() -> list[FeedKind]:
    return [
        FeedKind("learnings", _("Learnings"),
                 _("Learnings shared nationally or publicly: their texts, tags, municipality, organisation and "
                   "programme; never the author's name or the comments."),
                 _scan(Learning), load_learnings, validate_learning, _facets("method"), _touch(Learning),
                 instance_scope=True),
        FeedKind("methods", _("Methods"),
                 _("Methods of the library shared nationally or publicly: what each is, for whom, the steps, "
                   "what it takes and the evidence."),
                 _scan(Method), load_methods, validate_method, _facets("method_key"), _touch(Method),
                 instance_scope=True),
    ]
