"""Demo pathway counts: what the enabled plugins hand over through ``pathway_demo_reports``
(TUFF's and Fællesskabsalliancen's, in their ``partnership.toml``: illustrative, labelled so),
recorded through the same rules as the form and checked as they say. A report that exists
already is left alone, so loading the demo again changes nothing."""
from __future__ import annotations

import datetime
import types

from core import authz
from core.models.organisation import Organisation
from core.models.programme import Programme
from plugins.pathways import hookspecs, rules
from plugins.pathways.models import PathwayReport
from plugins.pathways.periods import Period
from plugins.pathways.steps import pathway_of

ACTOR = "demo-data"


def _hook(platform):
    pm = platform.pm
    caller = getattr(pm.hook, "pathway_demo_reports", None)
    if caller is None or caller.spec is None:
        pm.add_hookspecs(hookspecs)
    return pm.hook.pathway_demo_reports


def load(platform, today: datetime.date | None = None) -> int:
    """Record the demo reports; returns how many were new."""
    # the demo data acts instance-wide, and says so in the audit log (``label``)
    actor = authz.Actor(platform.permissions, account=types.SimpleNamespace(id=0, email=ACTOR),
                        grants=(authz.Grant("platform_admin"),))
    today = today or datetime.date.today()
    made = 0
    for result in _hook(platform)(platform=platform):
        for spec in result or []:
            programme = Programme.get_or_none(Programme.slug == spec["programme"], Programme.deleted_at.is_null())
            organisation = Organisation.get_or_none(Organisation.name == spec["organisation"])
            pathway = pathway_of(platform.programme_types.get(programme.programme_type)) if programme else None
            if programme is None or organisation is None or pathway is None:
                raise ValueError(f"pathway demo: no programme {spec['programme']} with a pathway, or no organisation "
                                 f"{spec['organisation']}")
            year = programme.start_date.year + int(spec["programme_year"]) - 1
            period = Period(year, int(spec.get("half", 0)) if pathway.period_kind == "half_year" else 0)
            if PathwayReport.select().where(PathwayReport.programme == programme.id,
                                            PathwayReport.organisation == organisation.id,
                                            PathwayReport.period == period.key).exists():
                continue
            raw = {}
            for step in pathway.steps:
                entered, moved_on, left = spec["counts"].get(step.key, (0, 0, 0))
                raw.update({rules.field_name(step.key, "entered"): entered, rules.field_name(step.key, "left"): left})
                if not pathway.is_last(step.key):
                    raw[rules.field_name(step.key, "moved_on")] = moved_on
            report = rules.record(platform, programme=programme, organisation_id=organisation.id,
                                  period_key=period.key, raw_counts=raw, actor=actor, today=today, label=ACTOR)
            if spec.get("checked"):
                rules.check(platform, report, actor, label=ACTOR)
            made += 1
    return made
