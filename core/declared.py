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

Python plugins stay for rules that need code; docs/programme-types-toml.md is the guide.
"""
from __future__ import annotations

import dataclasses
import datetime
import glob
import re
import tomllib
from pathlib import Path
from typing import Any

from core import i18n
from core.criteria import VOCABULARY
from core.i18n import Localised, Message
from core.models.organisation import ORGANISATION_KINDS
from core.programme_types import ANSWER_KINDS, Criterion, FocusArea, ProgrammeType, ProgrammeTypeRegistry
from core.rules.errors import Collector, Problem, RuleViolation
from core.rules.identifiers import normalise_municipality_code
from core.settings import CONFIG_DIR, ROOT, ConfigError, Settings
from core.toml_text import line_of

LANGUAGES = ("da", "en")
KEY = re.compile(r"^[a-z0-9][a-z0-9-]{1,78}[a-z0-9]$")
OWNER_KINDS = ("municipality", *ORGANISATION_KINDS)
INSTANCE_FOLDER = "programmes"

TYPE_FIELDS = ("key", "name", "summary", "owner_kinds", "grant_per_partner_per_year_kroner", "grant_purpose",
               "resource_person_hours_min", "resource_person_hours_max", "agreement_years", "agreement_extendable",
               "fixed_period", "sign_on_fee_cap_kroner", "sign_on_fees_per_organisation",
               "sign_on_fee_new_members_only", "target_groups", "age_range", "focus_areas", "criteria",
               "reporting", "source")
SEED_FIELDS = ("municipality", "owner", "funder", "programme", "budget")


@dataclasses.dataclass(frozen=True)
class SeedOrganisation:
    name: str
    kind: str
    city: str = ""


@dataclasses.dataclass(frozen=True)
class Seed:
    """What a deployment of the programme starts with: the municipality, the programme and its budget."""

    municipality_code: str
    municipality_name: str
    region: str
    programme_slug: str
    programme_name: str
    start: datetime.date
    end: datetime.date | None
    description: str = ""
    owner: SeedOrganisation | None = None
    funder: SeedOrganisation | None = None
    budgets: tuple[tuple[int, int], ...] = ()  # (year, kroner)


@dataclasses.dataclass(frozen=True)
class Declaration:
    source: str   # the file, as the operator wrote it
    programme_type: ProgrammeType
    seed: Seed | None
    data: dict = dataclasses.field(default_factory=dict, compare=False, repr=False)


class _Reader:
    """Reads one table field by field, collecting every problem under its dotted path."""

    def __init__(self, problems: Collector):
        self.problems = problems

    def add(self, path: tuple, msgid: str, **params) -> None:
        self.problems.add(".".join(map(str, path)), msgid, **params)

    def table(self, data: Any, path: tuple, known: tuple[str, ...], required: bool = True) -> dict | None:
        if data is None:
            if required:
                self.add(path, "This table is required: [%(table)s]", table=".".join(map(str, path)))
            return None
        if not isinstance(data, dict):
            self.add(path, "Must be a table of fields")
            return None
        for name in data:
            if name not in known:
                self.add((*path, name), "Unknown field %(name)s; the known fields are %(known)s",
                         name=name, known=", ".join(known))
        return data

    def text(self, data: dict, key: str, path: tuple, required: bool = False, limit: int = 200) -> str:
        raw = data.get(key)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if required:
                self.add((*path, key), "This field is required")
            return ""
        if not isinstance(raw, str):
            self.add((*path, key), "Must be a text, not %(value)s", value=_shown(raw))
            return ""
        if len(raw.strip()) > limit:
            self.add((*path, key), "Can be at most %(max)s characters", max=str(limit))
        return raw.strip()[:limit]

    def texts(self, data: dict, key: str, path: tuple, required: bool = False, limit: int = 500) -> Localised | None:
        """A text in Danish and English side by side: ``key.da`` and ``key.en``."""
        return self.texts_value(data.get(key), (*path, key), required, limit)

    def texts_value(self, raw: Any, path: tuple, required: bool = False, limit: int = 500) -> Localised | None:
        if raw is None:
            if required:
                for language in LANGUAGES:
                    self.add((*path, language), "This field is required")
            return None
        if not isinstance(raw, dict):
            self.add(path, "Write the text in Danish and in English: %(name)s.da and %(name)s.en",
                     name=str(path[-1]))
            return None
        for language in raw:
            if language not in LANGUAGES:
                self.add((*path, language), "Unknown language %(value)s; write da and en", value=str(language))
        return Localised({language: self.text(raw, language, path, required=True, limit=limit)
                          for language in LANGUAGES})

    def integer(self, data: dict, key: str, path: tuple, low: int, high: int, required: bool = False) -> int | None:
        raw = data.get(key)
        if raw is None:
            if required:
                self.add((*path, key), "This field is required")
            return None
        return self.integer_value(raw, (*path, key), low, high)

    def integer_value(self, raw: Any, path: tuple, low: int, high: int) -> int | None:
        if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
            self.add(path, "Must be a whole number from %(min)s to %(max)s, not %(value)s",
                     min=str(low), max=str(high), value=_shown(raw))
            return None
        return raw

    def boolean(self, data: dict, key: str, path: tuple) -> bool:
        raw = data.get(key, False)
        if not isinstance(raw, bool):
            self.add((*path, key), "Must be true or false, not %(value)s", value=_shown(raw))
            return False
        return raw

    def date(self, data: dict, key: str, path: tuple, required: bool = False) -> datetime.date | None:
        raw = data.get(key)
        if raw is None:
            if required:
                self.add((*path, key), "This field is required")
            return None
        if isinstance(raw, str):
            try:
                raw = datetime.date.fromisoformat(raw.strip())
            except ValueError:
                pass
        if not isinstance(raw, datetime.date) or isinstance(raw, datetime.datetime):
            self.add((*path, key), "Must be a date (YYYY-MM-DD), not %(value)s", value=_shown(raw))
            return None
        return raw

    def choices(self, data: dict, key: str, path: tuple, known, default: tuple = ()) -> tuple[str, ...]:
        raw = data.get(key)
        if raw is None:
            return default
        if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
            self.add((*path, key), "Must be a list of texts, e.g. [\"%(example)s\"]", example=next(iter(known), ""))
            return default
        unknown = [item for item in raw if item not in known]
        if unknown:
            self.add((*path, key), "Unknown: %(value)s; choose from %(known)s", value=", ".join(unknown),
                     known=", ".join(known))
        return tuple(dict.fromkeys(item for item in raw if item in known))

    def pair(self, data: dict, key: str, path: tuple, kind: str) -> tuple | None:
        raw = data.get(key)
        if raw is None:
            return None
        items = None
        if isinstance(raw, list) and len(raw) == 2:
            if kind == "date":
                items = [item if isinstance(item, datetime.date) and not isinstance(item, datetime.datetime)
                         else None for item in raw]
            else:
                items = [item if isinstance(item, int) and not isinstance(item, bool) and 0 <= item <= 120
                         else None for item in raw]
        if items is None or None in items:
            self.add((*path, key), "Must be a list of two %(kind)s: [first, last]",
                     kind={"date": "dates (YYYY-MM-DD)", "age": "ages from 0 to 120"}[kind])
            return None
        if items[0] > items[1]:
            self.add((*path, key), "The first is after the last")
            return None
        return tuple(items)


def _shown(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f'"{value}"'
    return text[:60]


# --- the programme type ---------------------------------------------------------------------

def _programme_type(read: _Reader, data: dict, plugin: str, target_groups) -> ProgrammeType | None:
    path = ("programme_type",)
    table = read.table(data.get("programme_type"), path, TYPE_FIELDS)
    if table is None:
        return None
    key = read.text(table, "key", path, required=True, limit=80)
    if key and not KEY.match(key):
        read.add((*path, "key"), "Use 3–80 lower-case letters, digits and hyphens (e.g. youth-communities), "
                 "not %(value)s", value=key)
    name = read.texts(table, "name", path, required=True, limit=200)
    summary = read.texts(table, "summary", path, limit=1000)
    owner_kinds = read.choices(table, "owner_kinds", path, OWNER_KINDS, default=("municipality",))
    if "owner_kinds" in table and not owner_kinds:
        read.add((*path, "owner_kinds"), "Name at least one kind of owner")
    grant = read.integer(table, "grant_per_partner_per_year_kroner", path, 1, 100_000_000)
    purpose = read.texts(table, "grant_purpose", path, limit=500)
    hours_min = read.integer(table, "resource_person_hours_min", path, 1, 60)
    hours_max = read.integer(table, "resource_person_hours_max", path, 1, 60)
    if hours_min is not None and hours_max is not None and hours_min > hours_max:
        read.add((*path, "resource_person_hours_max"), "The maximum is below the minimum (%(min)s)",
                 min=str(hours_min))
    years = read.integer(table, "agreement_years", path, 1, 20)
    extendable = read.boolean(table, "agreement_extendable", path)
    fixed = read.pair(table, "fixed_period", path, "date")
    cap = read.integer(table, "sign_on_fee_cap_kroner", path, 1, 10_000_000)
    per_organisation = read.integer(table, "sign_on_fees_per_organisation", path, 1, 100)
    new_only = read.boolean(table, "sign_on_fee_new_members_only", path)
    if cap is None:
        for field in ("sign_on_fees_per_organisation", "sign_on_fee_new_members_only"):
            if table.get(field) not in (None, False):
                read.add((*path, field), "Only with a sign-on fee: give sign_on_fee_cap_kroner too")
    groups = read.choices(table, "target_groups", path, tuple(target_groups))
    ages = read.pair(table, "age_range", path, "age")
    focus_areas = _focus_areas(read, table.get("focus_areas"), (*path, "focus_areas"))
    criteria = _criteria(read, table.get("criteria"), (*path, "criteria"))
    reporting = _reporting(read, table.get("reporting"), (*path, "reporting"))
    source = read.text(table, "source", path, limit=500)
    if read.problems.problems:
        return None
    return ProgrammeType(
        key=key, name=name, plugin=plugin, summary=summary or "", owner_kinds=owner_kinds,
        grant_per_partner_per_year_ore=grant * 100 if grant else None, grant_purpose=purpose or "",
        resource_person_hours_min=hours_min, resource_person_hours_max=hours_max, agreement_years=years,
        fixed_period=fixed, agreement_extendable=extendable,
        sign_on_fee_cap_ore=cap * 100 if cap else None, sign_on_fees_per_organisation=per_organisation or 1,
        sign_on_fee_new_members_only=new_only, target_groups=groups, age_range=ages,
        focus_areas=focus_areas, criteria=criteria, reporting=reporting, source=source)


def _items(read: _Reader, raw: Any, path: tuple) -> list:
    if raw is None:
        return []
    if not isinstance(raw, list):
        read.add(path, "Must be a list: one [[%(table)s]] table per item", table=".".join(map(str, path)))
        return []
    return raw


def _focus_areas(read: _Reader, raw: Any, path: tuple) -> tuple[FocusArea, ...]:
    areas = []
    for index, item in enumerate(_items(read, raw, path)):
        table = read.table(item, (*path, index), ("number", "title", "description"))
        if table is None:
            continue
        number = read.integer(table, "number", (*path, index), 1, 99) or index + 1
        title = read.texts(table, "title", (*path, index), required=True)
        description = read.texts(table, "description", (*path, index))
        areas.append(FocusArea(number, title, description or ""))
    return tuple(areas)


def _reporting(read: _Reader, raw: Any, path: tuple) -> tuple:
    duties = []
    for index, item in enumerate(_items(read, raw, path)):
        duty = read.texts_value(item, (*path, index), required=True)
        if duty:
            duties.append(duty)
    return tuple(duties)


CRITERION_FIELDS = ("key", "min", "max", "blocks", "text", "question", "answer")


def _criteria(read: _Reader, raw: Any, path: tuple) -> tuple[Criterion, ...]:
    criteria = []
    seen: set[str] = set()
    for index, item in enumerate(_items(read, raw, path)):
        where = (*path, index)
        table = read.table(item, where, CRITERION_FIELDS)
        if table is None:
            continue
        key = read.text(table, "key", where, required=True, limit=60)
        if key in seen:
            read.add((*where, "key"), "The criterion %(value)s is listed twice", value=key)
        seen.add(key)
        blocks = read.boolean({"blocks": table.get("blocks", True)}, "blocks", where)
        numbers = {name: value for name in ("min", "max")
                   if (value := read.integer(table, name, where, 0, 1_000_000)) is not None}
        standard = VOCABULARY.get(key)
        if standard is not None:
            for name in standard.needs:
                if name not in table:
                    read.add((*where, name), "The criterion %(key)s needs %(name)s", key=key, name=name)
            for name in ("min", "max"):
                if name in table and name not in standard.needs + standard.allows:
                    read.add((*where, name), "The criterion %(key)s takes no %(name)s", key=key, name=name)
            for name in ("text", "question", "answer"):
                if name in table:
                    read.add((*where, name), "The core's criterion %(key)s has its own words: leave out %(name)s",
                             key=key, name=name)
            if "min" in numbers and "max" in numbers and numbers["min"] > numbers["max"]:
                read.add((*where, "max"), "The maximum is below the minimum (%(min)s)", min=str(numbers["min"]))
            criteria.append(standard.criterion(numbers, blocks))
            continue
        # a criterion of the programme's own, in its own words
        if key and not re.match(r"^[a-z0-9_]{2,60}$", key):
            read.add((*where, "key"), "Use lower-case letters, digits and underscores, not %(value)s", value=key)
        if "text" not in table and key:
            read.add((*where, "key"), "Unknown criterion %(value)s: choose one of %(known)s, or write its own "
                     "text.da and text.en", value=key, known=", ".join(VOCABULARY))
            continue
        text = read.texts(table, "text", where, required=True)
        question = read.texts(table, "question", where)
        answer = read.text(table, "answer", where, limit=20) or ("yes_no" if question else "text")
        if answer not in ANSWER_KINDS:
            read.add((*where, "answer"), "Unknown: %(value)s; choose from %(known)s", value=answer,
                     known=", ".join(ANSWER_KINDS))
        elif text is not None:
            criteria.append(Criterion(key, text, numbers, question=question, answer=answer, blocks=blocks))
    return tuple(criteria)


# --- the seed -------------------------------------------------------------------------------

def _seed_organisation(read: _Reader, seed: dict, key: str) -> SeedOrganisation | None:
    table = read.table(seed.get(key), ("seed", key), ("name", "kind", "city"), required=False)
    if table is None:
        return None
    name = read.text(table, "name", ("seed", key), required=True)
    kind = read.text(table, "kind", ("seed", key), required=True, limit=40)
    if kind and kind not in ORGANISATION_KINDS:
        read.add(("seed", key, "kind"), "Unknown: %(value)s; choose from %(known)s", value=kind,
                 known=", ".join(ORGANISATION_KINDS))
    return SeedOrganisation(name, kind, read.text(table, "city", ("seed", key), limit=100))


def _seed(read: _Reader, data: dict, programme_type: ProgrammeType | None) -> Seed | None:
    seed = read.table(data.get("seed"), ("seed",), SEED_FIELDS, required=False)
    if seed is None:
        return None
    municipality = read.table(seed.get("municipality"), ("seed", "municipality"), ("code", "name", "region")) or {}
    code = read.text(municipality, "code", ("seed", "municipality"), required=True, limit=10)
    try:
        code = normalise_municipality_code(code) if code else ""
    except RuleViolation as exc:
        for problem in exc.problems:
            read.problems.problems.append(Problem("seed.municipality.code", problem.message))
    municipality_name = read.text(municipality, "name", ("seed", "municipality"), required=True, limit=100)
    region = read.text(municipality, "region", ("seed", "municipality"), limit=100)
    owner = _seed_organisation(read, seed, "owner")
    funder = _seed_organisation(read, seed, "funder")
    if programme_type is not None:
        owner_kind = owner.kind if owner else "municipality"
        if owner_kind not in programme_type.owner_kinds:
            read.add(("seed", "owner") if owner else ("seed",),
                     "A programme of this type is owned by: %(kinds)s", kinds=", ".join(programme_type.owner_kinds))
    path = ("seed", "programme")
    programme = read.table(seed.get("programme"), path, ("slug", "name", "start", "end", "description")) or {}
    slug = read.text(programme, "slug", path, required=True, limit=180)
    if slug and not KEY.match(slug):
        read.add((*path, "slug"), "Use 3–80 lower-case letters, digits and hyphens (e.g. youth-communities), "
                 "not %(value)s", value=slug)
    name = read.text(programme, "name", path, required=True)
    start = read.date(programme, "start", path, required=True)
    end = read.date(programme, "end", path)
    if start and end and end < start:
        read.add((*path, "end"), "The end is before the start")
    budgets = []
    budget = seed.get("budget")
    if budget is not None and not isinstance(budget, dict):
        read.add(("seed", "budget"), "Must be a table of years and kroner, e.g. 2025 = 1_000_000")
        budget = None
    for year_text, kroner in (budget or {}).items():
        where = ("seed", "budget", year_text)
        if not (str(year_text).isdigit() and len(str(year_text)) == 4):
            read.add(where, "A year (e.g. 2025), not %(value)s", value=str(year_text))
            continue
        year = int(year_text)
        amount = read.integer_value(kroner, where, 0, 10_000_000_000)
        if start and (year < start.year or (end and year > end.year)):
            read.add(where, "%(year)s is outside the programme's period", year=str(year))
        if amount is not None:
            budgets.append((year, amount))
    if read.problems.problems:
        return None
    return Seed(code, municipality_name, region, slug, name, start, end,
                read.text(programme, "description", path, limit=5000), owner, funder, tuple(sorted(budgets)))


# --- reading files --------------------------------------------------------------------------

def parse(data: dict, *, source: str, target_groups) -> Declaration:
    """A declaration from TOML data (or the first-run form's equivalent); RuleViolation lists
    every problem, each under the dotted path of its field."""
    problems = Collector()
    read = _Reader(problems)
    for name in data:
        if name not in ("programme_type", "seed"):
            read.add((name,), "Unknown table %(name)s; a file declares [programme_type] and may add [seed]",
                     name=name)
    programme_type = _programme_type(read, data, f"declared:{Path(source).name}", target_groups)
    seed = _seed(read, data, programme_type)
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


def read(path: Path, target_groups) -> Declaration:
    """One file, or a ConfigError naming the file, the line and the field of every problem."""
    name = shown(path)
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{name}: not valid TOML: {exc}") from None
    try:
        return parse(data, source=name, target_groups=target_groups)
    except RuleViolation as exc:
        raise ConfigError("\n".join(located(name, text, problem) for problem in exc.problems)) from None


def located(name: str, text: str, problem: Problem) -> str:
    """``file, line N: field: message`` in English, for the operator."""
    path = tuple(problem.field.split("."))
    line = line_of(text, path)
    with i18n.locale_context("en"):
        message = str(problem.message)
    return f"{name}, line {line}: {problem.field}: {message}" if line else f"{name}: {problem.field}: {message}"


def load(settings: Settings, registry: ProgrammeTypeRegistry, target_groups) -> list[Declaration]:
    """Read every declared file and add its type to ``registry``; every problem of every file
    at once, or none."""
    declarations, problems = [], []
    for path in files(settings):
        try:
            declaration = read(path, target_groups)
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
