"""The first run of a fresh instance: its municipality, its look, its first programme, its first call.

The platform administrator of a new (non-demo) instance walks these on ``/setup``; every step
writes what the rest of the platform already reads, through the same code:

* the municipality: a row, as ``partnerskab seed`` makes it;
* the look: ``<instance>/look.toml`` and the logo (``core.look``);
* the programme: a TOML file in ``<instance>/programmes/`` read back exactly as at start-up
  (``core.declared``), then its ``[seed]`` loaded (``core.seed``): the programme and its budget;
* the call: ``core.rules.calls.create_call``.

Each step checks everything before it writes and is audit-logged under the administrator.
"""
from __future__ import annotations

import dataclasses
import datetime
from pathlib import Path
from typing import Any

from slugify import slugify

from core import declared, look, seed
from core.criteria import VOCABULARY
from core.db import database
from core.models import audit
from core.models.call import Call
from core.models.municipality import Municipality
from core.models.programme import Programme
from core.rules import money, registry
from core.rules.calls import create_call
from core.rules.errors import Collector, Problem, RuleViolation
from core.rules.identifiers import normalise_municipality_code
from core.toml_text import dumps

MAX_BUDGET_YEARS = 10


@dataclasses.dataclass(frozen=True)
class Progress:
    municipality: Municipality | None
    look: look.Look | None
    programme: Programme | None
    call: Call | None

    @property
    def done(self) -> bool:
        return bool(self.municipality and self.programme and self.call)


def progress(platform) -> Progress:
    municipality = Municipality.select().order_by(Municipality.id).first()
    programme = Programme.select().where(Programme.deleted_at.is_null()).order_by(Programme.id).first()
    call = (Call.select().where(Call.programme == programme.id).order_by(Call.id).first()
            if programme is not None else None)
    return Progress(municipality, look.current(platform.settings.instance_dir), programme, call)


def add_municipality(data: dict[str, Any], actor: str) -> Municipality:
    problems = Collector()
    code = str(data.get("code") or "").strip()
    try:
        code = normalise_municipality_code(code, "code")
    except RuleViolation as exc:
        problems.problems.extend(exc.problems)
    name = str(data.get("name") or "").strip()
    if not name:
        problems.add("name", "Enter the municipality's name")
    elif len(name) > 100:
        problems.add("name", "The name can be at most 100 characters")
    region = str(data.get("region") or "").strip()[:100]
    problems.raise_if_any()
    with database.atomic():
        if Municipality.select().where(Municipality.code == code).exists():
            raise RuleViolation.one("code", "Municipality %(value)s is already registered", value=code)
        municipality = registry.ensure_municipality(code, name, region)
        audit.record(actor, "municipality.create", municipality, scope=f"municipality:{municipality.id}",
                     after={"code": code, "name": name, "region": region})
    return municipality


def choose_look(platform, data: dict[str, Any], logo: tuple[str, bytes] | None, actor: str) -> look.Look:
    """Check the colours' contrast and the logo, then save them; the old logo stays without a new one."""
    problems = Collector()
    brand = look.check_colour(problems, "brand", str(data.get("brand") or ""))
    accent = look.check_colour(problems, "accent", str(data.get("accent") or ""))
    kind = None
    if logo is not None and logo[1]:
        kind = look.check_logo(problems, "logo", logo[0], logo[1])
    problems.raise_if_any()
    saved = look.save(platform.settings.instance_dir, brand, accent,
                      (kind, logo[1]) if kind else None, actor)
    audit.record_event(actor, "look.update", "instance", "look",
                       after={"brand": brand, "accent": accent, "logo": saved.logo if saved else ""})
    return saved


# --- the first programme: a form that is a declared programme type ------------------------------

# form field -> the dotted path of the declaration it fills (problems map back the same way)
FORM_PATHS = (
    ("name_da", "programme_type.name.da"), ("name_en", "programme_type.name.en"),
    ("name_da", "programme_type.key"),
    ("summary_da", "programme_type.summary.da"), ("summary_en", "programme_type.summary.en"),
    ("grant_kroner", "programme_type.grant_per_partner_per_year_kroner"),
    ("fee_cap_kroner", "programme_type.sign_on_fee_cap_kroner"),
    ("fee_new_members_only", "programme_type.sign_on_fee_new_members_only"),
    ("hours_min", "programme_type.resource_person_hours_min"),
    ("hours_max", "programme_type.resource_person_hours_max"),
    ("agreement_years", "programme_type.agreement_years"),
    ("agreement_extendable", "programme_type.agreement_extendable"),
    ("age_from", "programme_type.age_range"),
    ("target_groups", "programme_type.target_groups"),
    ("focus_areas", "programme_type.focus_areas"),
    ("reporting", "programme_type.reporting"),
    ("criteria", "programme_type.criteria"),
    ("owner_name", "seed.owner"), ("owner", "seed"),
    ("programme_name", "seed.programme.name"), ("programme_name", "seed.programme.slug"),
    ("start", "seed.programme.start"), ("end", "seed.programme.end"),
    ("description", "seed.programme.description"),
    ("budget_kroner", "seed.budget"),
)
TEXT_FIELDS = ("name_da", "name_en", "summary_da", "summary_en", "owner", "owner_name", "grant_kroner",
               "fee_cap_kroner", "hours_min", "hours_max", "agreement_years", "age_from", "age_to",
               "focus_areas", "reporting", "programme_name", "start", "end", "description", "budget_kroner",
               "fee_new_members_only", "agreement_extendable",
               *(f"min_{key}" for key in VOCABULARY), *(f"flag_{key}" for key in VOCABULARY))
LIST_FIELDS = ("target_groups", "criteria")


def _number(text: str) -> Any:
    """A whole number as typed, or the text itself (the declaration's check then names it)."""
    text = (text or "").strip()
    if not text:
        return None
    compact = text.replace(" ", "").replace("\u00a0", "").replace(".", "")
    return int(compact) if compact.isdecimal() and len(compact) < 13 else text


def _kroner(text: str) -> Any:
    text = (text or "").strip()
    if not text:
        return None
    try:
        ore = money.parse_amount(text)
    except RuleViolation:
        return text
    return ore // 100 if ore % 100 == 0 else text


def _date(text: str) -> Any:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return text


def _texts(lines: str, key: str | None = None) -> list[dict]:
    """One item a line, written 'Dansk | English'."""
    items = []
    for line in (lines or "").splitlines():
        if line.strip():
            danish, _, english = line.partition("|")
            texts = {"da": danish.strip(), "en": english.strip()}
            items.append({key: texts} if key else texts)
    return items


def declaration_data(values: dict[str, Any], municipality: Municipality) -> dict:
    """The form as the TOML a deployment would write (``[programme_type]`` and ``[seed]``)."""
    name_da = (values.get("name_da") or "").strip()
    key = slugify(name_da)[:80].strip("-")
    programme_type: dict[str, Any] = {"key": key, "name": {"da": name_da, "en": (values.get("name_en") or "").strip()}}
    if (values.get("summary_da") or "").strip() or (values.get("summary_en") or "").strip():
        programme_type["summary"] = {"da": values["summary_da"].strip(), "en": values["summary_en"].strip()}
    owned_by_centre = values.get("owner") == "volunteer_centre"
    programme_type["owner_kinds"] = ["volunteer_centre"] if owned_by_centre else ["municipality"]
    for field, name, parse in (("grant_kroner", "grant_per_partner_per_year_kroner", _kroner),
                               ("fee_cap_kroner", "sign_on_fee_cap_kroner", _kroner),
                               ("hours_min", "resource_person_hours_min", _number),
                               ("hours_max", "resource_person_hours_max", _number),
                               ("agreement_years", "agreement_years", _number)):
        parsed = parse(values.get(field) or "")
        if parsed is not None:
            programme_type[name] = parsed
    for field, name in (("fee_new_members_only", "sign_on_fee_new_members_only"),
                        ("agreement_extendable", "agreement_extendable")):
        if values.get(field) == "yes":
            programme_type[name] = True
    ages = [_number(values.get("age_from") or ""), _number(values.get("age_to") or "")]
    if any(age is not None for age in ages):
        programme_type["age_range"] = ages
    if values.get("target_groups"):
        programme_type["target_groups"] = list(values["target_groups"])
    focus_areas = _texts(values.get("focus_areas") or "", "title")
    if focus_areas:
        programme_type["focus_areas"] = focus_areas
    criteria = []
    for criterion_key in VOCABULARY:
        if criterion_key in (values.get("criteria") or ()):
            item: dict[str, Any] = {"key": criterion_key}
            minimum = _number(values.get(f"min_{criterion_key}") or "")
            if minimum is not None:
                item["min"] = minimum
            if values.get(f"flag_{criterion_key}") == "yes":
                item["blocks"] = False
            criteria.append(item)
    if criteria:
        programme_type["criteria"] = criteria
    reporting = _texts(values.get("reporting") or "")
    if reporting:
        programme_type["reporting"] = reporting
    start, end = _date(values.get("start") or ""), _date(values.get("end") or "")
    programme: dict[str, Any] = {"slug": key, "name": (values.get("programme_name") or "").strip()}
    for name, value in (("start", start), ("end", end)):
        if value is not None:
            programme[name] = value
    if (values.get("description") or "").strip():
        programme["description"] = values["description"].strip()
    data_seed: dict[str, Any] = {"municipality": {"code": municipality.code, "name": municipality.name,
                                                  "region": municipality.region}}
    if owned_by_centre:
        data_seed["owner"] = {"name": (values.get("owner_name") or "").strip(), "kind": "volunteer_centre"}
    data_seed["programme"] = programme
    budget = _kroner(values.get("budget_kroner") or "")
    if budget is not None and isinstance(start, datetime.date):
        last = min(end.year if isinstance(end, datetime.date) else start.year, start.year + MAX_BUDGET_YEARS - 1)
        data_seed["budget"] = {str(year): budget for year in range(start.year, last + 1)}
    elif budget is not None:
        data_seed["budget"] = {"year": budget}  # no start to count years from: the start's problem says so
    return {"programme_type": programme_type, "seed": data_seed}


def form_field(problem_field: str, criteria_keys: list[str]) -> str:
    """The form field a declaration's problem belongs to (``programme_type.criteria.2.min`` ->
    ``min_members`` when the third chosen criterion is ``members``)."""
    parts = problem_field.split(".")
    if parts[:2] == ["programme_type", "criteria"] and len(parts) >= 4 and parts[2].isdecimal():
        index = int(parts[2])
        if index < len(criteria_keys) and parts[3] == "min":
            return f"min_{criteria_keys[index]}"
        return "criteria"
    if problem_field == "programme_type.age_range":
        return "age_from"
    best = ""
    field_name = "name_da"
    for form_name, path in FORM_PATHS:
        if (problem_field == path or problem_field.startswith(path + ".")) and len(path) > len(best):
            best, field_name = path, form_name
    return field_name


def declare_programme(platform, values: dict[str, Any], actor: str) -> Programme:
    """Write the form as a declared programme type, read it back as start-up would, register it
    and load its seed: the programme and its budget. Nothing stays on a problem."""
    municipality = Municipality.select().order_by(Municipality.id).first()
    if municipality is None:
        raise RuleViolation.one("name_da", "Add the municipality first")
    data = declaration_data(values, municipality)
    key = data["programme_type"]["key"]
    criteria_keys = [item["key"] for item in data["programme_type"].get("criteria", [])]
    folder = Path(platform.settings.instance_dir) / declared.INSTANCE_FOLDER
    path = folder / f"{key}.toml"

    def mapped(problems: list[Problem]) -> RuleViolation:
        return RuleViolation([Problem(form_field(p.field, criteria_keys), p.message) for p in problems])

    try:
        declared.parse(data, source=declared.shown(path), target_groups=platform.target_groups,
                       fields=platform.programme_type_fields)
    except RuleViolation as exc:
        raise mapped(exc.problems) from None
    if key in platform.programme_types or path.exists():
        raise RuleViolation.one("name_da", "A programme type with this name is already declared: choose another name")
    if Programme.select().where(Programme.slug == key).exists():
        raise RuleViolation.one("programme_name", "A programme with the address %(value)s exists already",
                                value=key)
    folder.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(dumps(data, header=f"Declared on the first-run page on {datetime.date.today().isoformat()} "
                                          "(the audit log says by whom).\n"
                                          "Read at start-up like every declared programme type "
                                          "(docs/plugins.md)."), encoding="utf-8")
    try:
        partial.replace(path)
        declaration = declared.read(path, platform.target_groups,  # exactly what start-up will read
                                    platform.programme_type_fields)
        platform.declare(declaration)
        try:
            with database.atomic():
                programme = seed.load_one(platform, declaration)
                audit.record(actor, "programme_type.declare", programme, scope=f"programme:{programme.id}",
                             after={"programme_type": key, "file": declaration.source})
        except Exception:
            platform.undeclare(declaration)
            raise
    except RuleViolation as exc:
        path.unlink(missing_ok=True)
        raise mapped(exc.problems) from None
    except Exception:
        path.unlink(missing_ok=True)
        raise
    return programme


def open_call(platform, programme: Programme, data: dict[str, Any], actor: str) -> Call:
    return create_call(platform, programme=programme, data=data, actor=actor)
