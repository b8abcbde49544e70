"""What ``partnerskab check-config`` asks of every enabled plugin, in words for the operator.

A plugin that loads can still be broken where nobody looks until a visitor does: a missing
Danish catalogue (the pages fall back to English), a programme type naming a target group or
an owner nobody registered, a template that does not compile. Each finding names the plugin
and the place.
"""
from __future__ import annotations

from pathlib import Path

import jinja2
from babel.messages.pofile import read_po

from core.models.organisation import ORGANISATION_KINDS
from core.plugins import plugin_infos
from core.programme_types import ProgrammeType
from core.settings import ROOT

OWNER_KINDS = ("municipality", *ORGANISATION_KINDS)


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def programme_type_problems(programme_type: ProgrammeType, target_groups) -> list[str]:
    """What in a registered programme type refers to nothing the platform knows."""
    found = []
    if not str(programme_type.name).strip():
        found.append("it has no name")
    unknown = [group for group in programme_type.target_groups if group not in target_groups]
    if unknown:
        found.append(f"unknown target group(s) {', '.join(unknown)}; known: {', '.join(target_groups)}")
    owners = [kind for kind in programme_type.owner_kinds if kind not in OWNER_KINDS]
    if owners or not programme_type.owner_kinds:
        found.append(f"owner kinds must be among {', '.join(OWNER_KINDS)}, not {list(programme_type.owner_kinds)}")
    keys = [criterion.key for criterion in programme_type.criteria]
    twice = sorted({key for key in keys if keys.count(key) > 1})
    if twice:
        found.append(f"criteria listed twice: {', '.join(twice)}")
    return found


def plugin_problems(platform, environment: jinja2.Environment | None = None) -> list[str]:
    """Every enabled plugin: its Danish catalogue, its programme types and its templates."""
    problems = []
    for info in plugin_infos(platform.pm):
        if info.name == "core":
            continue
        catalogue = info.directory / "locale" / "da" / "LC_MESSAGES" / "messages.po"
        if not catalogue.exists():
            problems.append(f"plugin {info.name}: no Danish catalogue at {_shown(catalogue)}")
        else:
            try:
                with open(catalogue, "rb") as fh:
                    read_po(fh, locale="da")
            except Exception as exc:  # a catalogue babel cannot read: its message, whatever its kind
                problems.append(f"plugin {info.name}: the Danish catalogue {_shown(catalogue)} cannot be read: {exc}")
        register = getattr(info.module, "register_programme_types", None)
        for programme_type in (register() if register else None) or []:
            for problem in programme_type_problems(programme_type, platform.target_groups):
                problems.append(f"plugin {info.name}: programme type {programme_type.key}: {problem}")
        templates = info.directory / "templates"
        if environment is not None and templates.is_dir():
            for path in sorted(templates.rglob("*.html")):
                name = f"{info.directory.name}:{path.relative_to(templates).as_posix()}"
                try:
                    environment.get_template(name)
                except jinja2.TemplateSyntaxError as exc:
                    problems.append(f"plugin {info.name}: template {_shown(path)}, line {exc.lineno}: {exc.message}")
                except jinja2.TemplateError as exc:
                    problems.append(f"plugin {info.name}: template {_shown(path)}: {exc}")
    return problems
