"""A programme's pathway — its steps in order and the length of its periods — read from its
programme type's data, never written in this plugin.

A Python plugin puts it in its type's ``extra``::

    extra={"pathway_steps": ({"key": "introduction", "name": _("Introduction"),
                              "description": _("FerieCamps, Aktive Børn i Forening")}, ...),
           "pathway_period": "half_year"}

A declared TOML type writes the same keys in ``[programme_type]`` (this plugin registers them
with ``register_programme_type_fields``, so they are checked at start-up with file, line and
field)::

    pathway_period = "year"
    [[programme_type.pathway_steps]]
    key = "first_contact"
    name.da = "Første kontakt"
    name.en = "First contact"

The words of the steps stay with the municipality (its plugin's catalogue or its TOML file).
"""
from __future__ import annotations

import dataclasses
import re
from typing import Any

STEPS_KEY = "pathway_steps"
PERIOD_KEY = "pathway_period"
PERIOD_KINDS = ("half_year", "year")
DEFAULT_PERIOD = "half_year"
STEP_KEY = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
MIN_STEPS, MAX_STEPS = 2, 12
MEASURES = ("entered", "moved_on", "left")


@dataclasses.dataclass(frozen=True)
class Step:
    key: str
    name: Any
    description: Any = ""


@dataclasses.dataclass(frozen=True)
class Pathway:
    """The steps of a programme type's pathway, in order, and whether counts are kept per
    half-year or per year."""

    programme_type: str
    steps: tuple[Step, ...]
    period_kind: str = DEFAULT_PERIOD

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(step.key for step in self.steps)

    def is_last(self, key: str) -> bool:
        return key == self.steps[-1].key

    def names(self) -> dict[str, str]:
        """Each step's name in the reader's language."""
        return {step.key: str(step.name) for step in self.steps}


class PathwayConfigError(ValueError):
    """A Python plugin's pathway data that does not have the promised shape."""


def pathway_of(programme_type) -> Pathway | None:
    """The pathway a programme type declares, or None when it declares none."""
    if programme_type is None:
        return None
    extra = getattr(programme_type, "extra", None) or {}
    raw = extra.get(STEPS_KEY)
    if not raw:
        return None
    steps = []
    for item in raw:
        if isinstance(item, Step):
            steps.append(item)
        elif isinstance(item, dict) and "key" in item and "name" in item:
            steps.append(Step(item["key"], item["name"], item.get("description") or ""))
        else:
            raise PathwayConfigError(f"{programme_type.key}: a pathway step needs a key and a name, not {item!r}")
    keys = [step.key for step in steps]
    if not MIN_STEPS <= len(steps) <= MAX_STEPS or len(set(keys)) != len(keys) \
            or not all(STEP_KEY.match(key) for key in keys):
        raise PathwayConfigError(f"{programme_type.key}: a pathway has {MIN_STEPS}–{MAX_STEPS} steps with unique keys "
                                 f"of lower-case letters, digits and _, not {keys}")
    period = extra.get(PERIOD_KEY) or DEFAULT_PERIOD
    if period not in PERIOD_KINDS:
        raise PathwayConfigError(f"{programme_type.key}: pathway_period is one of {', '.join(PERIOD_KINDS)}")
    return Pathway(programme_type.key, tuple(steps), period)


def pathways(platform) -> dict[str, Pathway]:
    """Every programme type's pathway, by type key (types without one left out)."""
    found = {}
    for programme_type in platform.programme_types:
        pathway = pathway_of(programme_type)
        if pathway is not None:
            found[programme_type.key] = pathway
    return found


# --- the keys in declared TOML files (``core.declared``'s reader reports the problems) ------------

def read_steps(reader, raw, path: tuple) -> tuple[dict, ...]:
    if not isinstance(raw, list):
        reader.add(path, "Must be a list: one [[%(table)s]] table per item", table=".".join(map(str, path)))
        return ()
    steps, seen = [], set()
    for index, item in enumerate(raw):
        where = (*path, index)
        table = reader.table(item, where, ("key", "name", "description"))
        if table is None:
            continue
        key = reader.text(table, "key", where, required=True, limit=40)
        if key and not STEP_KEY.match(key):
            reader.add((*where, "key"), "Use 2–40 lower-case letters, digits and underscores, beginning with a "
                                        "letter, not %(value)s", value=key)
        elif key in seen:
            reader.add((*where, "key"), "The step %(value)s is listed twice", value=key)
        seen.add(key)
        name = reader.texts(table, "name", where, required=True, limit=80)
        description = reader.texts(table, "description", where, limit=300)
        steps.append({"key": key, "name": name, "description": description or ""})
    if not MIN_STEPS <= len(raw) <= MAX_STEPS:
        reader.add(path, "A pathway has from %(min)s to %(max)s steps", min=str(MIN_STEPS), max=str(MAX_STEPS))
    return tuple(steps)


def read_period(reader, raw, path: tuple) -> str | None:
    if raw not in PERIOD_KINDS:
        reader.add(path, "Unknown: %(value)s; choose from %(known)s", value=str(raw)[:40], known=", ".join(PERIOD_KINDS))
        return None
    return raw
