"""What a feed kind is, and the registry of the kinds the enabled plugins bring.

A kind is published by every instance as one RPDE feed (``/federation/v1/feeds/<key>``) and
harvested by the national instance into ``HarvestedItem`` rows. It says:

* ``scan(after, limit)``: the rows changed after a change number, as ``Row`` (item id, change
  number, whether it is live, the share scope it belongs to), ordered by change number and
  item id. Every item has its own change number, taken inside the write transaction that
  changed it (``core.models.changes``), so change numbers follow commit order.
* ``load(ids)``: the published data of live rows, by item id: public fields only, nothing
  about a person beyond what the public pages show, nothing about a child.
* ``touch(scope)``: give the rows of a share scope new change numbers (sharing was switched on
  or off, so harvesters must see them again, as updates or as deletions).
* ``validate(data)``: on the harvesting side, the item's data checked and cleaned, or
  ``ValueError``: a page is applied only when every item on it passes.
* ``facets(data)``: the columns dashboards group by (municipality, programme type, category,
  year, value, suppressed).

Other plugins register kinds through the ``register_feed_kinds`` hook
(``plugins.federation.hookspecs``).
"""
from __future__ import annotations

import dataclasses
import datetime
import re
import weakref
from typing import Any, Callable

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
INSTANCE_SCOPE = "instance"


def municipality_scope(municipality_id: int | None) -> str:
    return f"municipality:{municipality_id}" if municipality_id is not None else INSTANCE_SCOPE


@dataclasses.dataclass(frozen=True)
class Row:
    """A row as a feed page sees it before its data is loaded."""

    item_id: str
    modified: int
    live: bool
    scope: str


@dataclasses.dataclass(frozen=True)
class FeedKind:
    key: str
    label: Any
    description: Any
    scan: Callable[[int, int], list[Row]]
    load: Callable[[list[str]], dict[str, dict]]
    validate: Callable[[dict], dict]
    facets: Callable[[dict], dict]
    touch: Callable[[str], int]
    prepare: Callable[[], None] | None = None
    instance_scope: bool = False  # some rows belong to no municipality (the 'instance' scope)
    version: int = 1

    def __post_init__(self):
        if not KEY_PATTERN.match(self.key):
            raise ValueError(f"feed kind key '{self.key}' must be lower-case letters, digits and _ (2–40)")


_registries: "weakref.WeakKeyDictionary[Any, dict[str, FeedKind]]" = weakref.WeakKeyDictionary()


def kinds_for(platform) -> dict[str, FeedKind]:
    """The kinds of the enabled plugins, by key, in plugin order (cached per plugin manager)."""
    pm = platform.pm
    found = _registries.get(pm)
    if found is not None:
        return found
    from plugins.federation import hookspecs
    caller = getattr(pm.hook, "register_feed_kinds", None)
    if caller is None or caller.spec is None:
        pm.add_hookspecs(hookspecs)
    found = {}
    for result in reversed(pm.hook.register_feed_kinds(platform=platform)):
        for kind in result or []:
            if kind.key in found:
                raise ValueError(f"two plugins register the feed kind '{kind.key}'")
            found[kind.key] = kind
    _registries[pm] = found
    return found


# --- checking harvested data -------------------------------------------------------------------

class Invalid(ValueError):
    """Harvested data that does not have the shape its kind promises."""


def text(data: dict, key: str, limit: int, *, required: bool = True, default: str = "") -> str:
    value = data.get(key, None if required else default)
    if value is None and not required:
        return default
    if not isinstance(value, str):
        raise Invalid(f"{key}: expected text")
    if len(value) > limit:
        raise Invalid(f"{key}: longer than {limit} characters")
    if required and not value.strip():
        raise Invalid(f"{key}: empty")
    return value


def optional_text(data: dict, key: str, limit: int) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    return text(data, key, limit)


def integer(data: dict, key: str, *, minimum: int = 0, maximum: int = 2**53 - 1, required: bool = True) -> int | None:
    value = data.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not minimum <= value <= maximum:
        raise Invalid(f"{key}: expected a whole number from {minimum} to {maximum}")
    return value


def day(data: dict, key: str, *, required: bool = True) -> str | None:
    value = data.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise Invalid(f"{key}: expected a date")
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        raise Invalid(f"{key}: '{value[:20]}' is not a date") from None
    return value


def choice(data: dict, key: str, choices: tuple[str, ...]) -> str:
    value = data.get(key)
    if value not in choices:
        raise Invalid(f"{key}: expected one of {', '.join(choices)}")
    return value


def mapping(data: dict, key: str, *, required: bool = True) -> dict | None:
    value = data.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, dict):
        raise Invalid(f"{key}: expected an object")
    return value


def municipality(data: dict, key: str = "municipality", *, required: bool = True) -> dict | None:
    value = mapping(data, key, required=required)
    if value is None:
        return None
    code = text(value, "code", 4)
    if not re.fullmatch(r"\d{4}", code):
        raise Invalid(f"{key}.code: expected four digits")
    return {"code": code, "name": text(value, "name", 100)}
