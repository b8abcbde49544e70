"""What a declaration may say: the fields of ``[programme_type]`` (a ``ProgrammeType`` with money
in kroner, texts in Danish and English, criteria from the core's vocabulary) and of ``[seed]``
(the municipality, the owner, the programme and its budget), each checked by ``Reader``."""
from __future__ import annotations

import dataclasses
import datetime
import re
from typing import Any

from core.criteria import VOCABULARY
from core.models.organisation import ORGANISATION_KINDS
from core.programme_types import ANSWER_KINDS, Criterion, FocusArea, ProgrammeType, ProgrammeTypeField
from core.rules.errors import Problem, RuleViolation
from core.rules.identifiers import normalise_municipality_code
from core.declared.reader import Reader

KEY = re.compile(r"^[a-z0-9][a-z0-9-]{1,78}[a-z0-9]$")
OWNER_KINDS = ("municipality", *ORGANISATION_KINDS)
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



# --- the programme type ---------------------------------------------------------------------

def programme_type_of(read: Reader, data: dict, plugin: str, target_groups,
                      fields: tuple[ProgrammeTypeField, ...] = ()) -> ProgrammeType | None:
    """``fields``: the keys plugins registered (``register_programme_type_fields``), allowed
    besides the core's and read into ``ProgrammeType.extra``."""
    path = ("programme_type",)
    table = read.table(data.get("programme_type"), path, TYPE_FIELDS + tuple(field.key for field in fields))
    if table is None:
        return None
    extra = {field.key: field.read(read, table[field.key], (*path, field.key)) for field in fields
             if table.get(field.key) is not None}
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
        focus_areas=focus_areas, criteria=criteria, reporting=reporting, source=source, extra=extra)


def _items(read: Reader, raw: Any, path: tuple) -> list:
    if raw is None:
        return []
    if not isinstance(raw, list):
        read.add(path, "Must be a list: one [[%(table)s]] table per item", table=".".join(map(str, path)))
        return []
    return raw


def _focus_areas(read: Reader, raw: Any, path: tuple) -> tuple[FocusArea, ...]:
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


def _reporting(read: Reader, raw: Any, path: tuple) -> tuple:
    duties = []
    for index, item in enumerate(_items(read, raw, path)):
        duty = read.texts_value(item, (*path, index), required=True)
        if duty:
            duties.append(duty)
    return tuple(duties)


CRITERION_FIELDS = ("key", "min", "max", "blocks", "text", "question", "answer")


def _criteria(read: Reader, raw: Any, path: tuple) -> tuple[Criterion, ...]:
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

def _seed_organisation(read: Reader, seed: dict, key: str) -> SeedOrganisation | None:
    table = read.table(seed.get(key), ("seed", key), ("name", "kind", "city"), required=False)
    if table is None:
        return None
    name = read.text(table, "name", ("seed", key), required=True)
    kind = read.text(table, "kind", ("seed", key), required=True, limit=40)
    if kind and kind not in ORGANISATION_KINDS:
        read.add(("seed", key, "kind"), "Unknown: %(value)s; choose from %(known)s", value=kind,
                 known=", ".join(ORGANISATION_KINDS))
    return SeedOrganisation(name, kind, read.text(table, "city", ("seed", key), limit=100))


def seed_of(read: Reader, data: dict, programme_type: ProgrammeType | None) -> Seed | None:
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
        if not (str(year_text).isdecimal() and len(str(year_text)) == 4):
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
