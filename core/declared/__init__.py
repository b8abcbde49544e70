"""Programme types declared in TOML: a programme that is only data needs no Python.

A deployment lists TOML files in its configuration (``programme_types = ["programmes/*.toml"]``,
relative to the configuration file, globs allowed); the first-run page writes its own into
the instance folder (``<instance_dir>/programmes/``), which is always read. Each file declares
one programme type in ``[programme_type]`` — the numbers of ``core.programme_types.ProgrammeType``
with money in whole kroner, texts in Danish and English side by side (``name.da``, ``name.en``)
and criteria from the core's vocabulary (``core.criteria``) — and may carry its seed data in
``[seed]``: the municipality, the organisation that owns the programme, the programme and its
budget per year, which ``partnerskab seed`` (and ``partnerskab demo``) load idempotently
(``core.seed``).

Everything is checked at start-up. A mistake stops the platform with every problem found, each
naming the file, the line and the field. The same checks answer the first-run form, field by
field, in the reader's language: a problem is a ``core.rules.errors.Problem`` whose field is
the dotted path of the value (``programme_type.criteria.1.min``).

Python plugins stay for rules that need code; docs/plugins.md is the guide.
"""
from __future__ import annotations

import glob
import tomllib
from pathlib import Path

from core import i18n
from core.declared.reader import Reader
from core.declared.schema import Declaration, Seed, SeedOrganisation, programme_type_of, seed_of
from core.i18n import Message
from core.programme_types import ProgrammeTypeRegistry
from core.rules.errors import Collector, Problem, RuleViolation
from core.settings import CONFIG_DIR, ROOT, ConfigError, Settings
from core.toml_text import line_of

INSTANCE_FOLDER = "programmes"

# --- reading files --------------------------------------------------------------------------

def parse(data: dict, *, source: str, target_groups, fields: tuple = ()) -> Declaration:
    """A declaration from TOML data (or the first-run form's equivalent); RuleViolation lists
    every problem, each under the dotted path of its field. ``fields`` are the keys plugins read
    from programme types (``core.programme_types.ProgrammeTypeField``)."""
    problems = Collector()
    read = Reader(problems)
    for name in data:
        if name not in ("programme_type", "seed"):
            read.add((name,), "Unknown table %(name)s; a file declares [programme_type] and may add [seed]",
                     name=name)
    programme_type = programme_type_of(read, data, f"declared:{Path(source).name}", target_groups, tuple(fields))
    seed = seed_of(read, data, programme_type)
    problems.raise_if_any()
    return Declaration(source, programme_type, seed, data)


def files(settings: Settings) -> list[Path]:
    """The configured files (relative to the configuration file), then the instance's own."""
    base = settings.source.parent if settings.source else CONFIG_DIR
    found: list[Path] = []
    for pattern in settings.programme_types:
        full = Path(pattern) if Path(pattern).is_absolute() else base / pattern
        if glob.has_magic(str(full)):
            found += sorted(Path(match) for match in glob.glob(str(full)))
        elif not full.exists():
            raise ConfigError(f"programme_types: the file {pattern} does not exist (looked for {full})")
        else:
            found.append(full)
    found += sorted((Path(settings.instance_dir) / INSTANCE_FOLDER).glob("*.toml"))
    return list(dict.fromkeys(path.resolve() for path in found))


def shown(path: Path) -> str:
    """A file as the operator knows it: relative to the project when it lies inside."""
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def read(path: Path, target_groups, fields: tuple = ()) -> Declaration:
    """One file, or a ConfigError naming the file, the line and the field of every problem."""
    name = shown(path)
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{name}: not valid TOML: {exc}") from None
    try:
        return parse(data, source=name, target_groups=target_groups, fields=fields)
    except RuleViolation as exc:
        raise ConfigError("\n".join(located(name, text, problem) for problem in exc.problems)) from None


def located(name: str, text: str, problem: Problem) -> str:
    """``file, line N: field: message`` in English, for the operator."""
    path = tuple(problem.field.split("."))
    line = line_of(text, path)
    with i18n.locale_context("en"):
        message = str(problem.message)
    return f"{name}, line {line}: {problem.field}: {message}" if line else f"{name}: {problem.field}: {message}"


def load(settings: Settings, registry: ProgrammeTypeRegistry, target_groups, fields: tuple = ()) -> list[Declaration]:
    """Read every declared file and add its type to ``registry``; every problem of every file
    at once, or none."""
    declarations, problems = [], []
    for path in files(settings):
        try:
            declaration = read(path, target_groups, fields)
        except ConfigError as exc:
            problems.append(str(exc))
            continue
        try:
            registry.add(declaration.programme_type)
        except ValueError:
            text = path.read_text(encoding="utf-8")
            problems.append(located(declaration.source, text, Problem(
                "programme_type.key", Message("The programme type %(value)s is declared twice: a plugin or another "
                                              "file has the same key", value=declaration.programme_type.key))))
            continue
        declarations.append(declaration)
    if problems:
        raise ConfigError("declared programme types:\n" + "\n".join(problems))
    return declarations


__all__ = ["INSTANCE_FOLDER", "Declaration", "Seed", "SeedOrganisation", "files", "load", "located", "parse", "read",
           "shown"]
