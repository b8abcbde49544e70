"""The words learnings are tagged with: visibility, focus areas, methods.

Focus areas come from the programme types (``ProgrammeType.focus_areas``, declared by each
municipality's plugin or TOML file), keyed ``<programme type>:<number>``, so a programme type
decides its own; beside them a few general themes (``general:<key>``) for learnings whose
programme type declares none. Methods are one general vocabulary, so the national coordinator
can put the same method from two instances side by side. Both lists are drawn from the source
documents (the focus areas of the experience report, the local partnerships' bridging and
involvement of young people) and name no municipality.
"""
from __future__ import annotations

import re

from core.i18n import lazy_gettext as _

VISIBILITY_LABELS = {
    "network": _("The network"),
    "municipality": _("The municipality"),
    "national": _("Nationally"),
    "public": _("Everyone (public)"),
}
VISIBILITY_HINTS = {
    "network": _("Those who run the programme and the organisations in its network"),
    "municipality": _("Everyone who works with partnerships in the municipality"),
    "national": _("Everyone with a login here, and the national coordinator's harvest"),
    "public": _("Everyone, also without a login, and the national coordinator's harvest"),
}

GENERAL = "general"
GENERAL_FOCUS_AREAS = {
    "bridging": _("Bridging into communities and associations"),
    "involvement": _("Young people as participants, co-developers and volunteers"),
    "retention": _("Keeping children and young people in the community"),
    "volunteers": _("Recruiting and supporting volunteers"),
    "parents": _("Involving parents"),
    "collaboration": _("Local collaborations about the target group"),
    "organisation": _("The association's organisation and continuity"),
}

METHODS = {
    "resource_person": _("A paid resource person in the association"),
    "action_plan": _("An action plan with goals per focus area"),
    "network_meetings": _("Network meetings and experience exchange"),
    "bridging": _("Social bridging: someone who matches and accompanies young people"),
    "sign_on_fee": _("A sign-on fee for joining the network"),
    "mixed_teams": _("Mixed teams"),
    "parent_volunteers": _("Parents as helpers and volunteers"),
    "youth_co_creation": _("Young people as co-developers and volunteers"),
    "training_ground": _("Local communities as a training ground"),
    "taster_activities": _("Free taster activities and holiday camps"),
    "handover": _("Handover between resource persons"),
    "other": _("Another method"),
}
KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def method_label(key: str) -> str:
    label = METHODS.get(key)
    return str(label) if label is not None else key


def focus_area_choices(programme_types) -> list[tuple[str, list[tuple[str, str]]]]:
    """(group label, [(key, title)]) for a form: each programme type's focus areas, then the
    general themes."""
    groups = []
    for programme_type in programme_types:
        if programme_type.focus_areas:
            groups.append((str(programme_type.name),
                           [(f"{programme_type.key}:{area.number}", str(area.title))
                            for area in programme_type.focus_areas]))
    groups.append((str(_("General themes")), [(f"{GENERAL}:{key}", str(label))
                                              for key, label in GENERAL_FOCUS_AREAS.items()]))
    return groups


def focus_area_title(programme_types, key: str):
    """The focus area's title (lazy, in the reader's language), or None for an unknown key."""
    prefix, _sep, rest = (key or "").rpartition(":")
    if not prefix:
        return None
    if prefix == GENERAL:
        return GENERAL_FOCUS_AREAS.get(rest)
    programme_type = programme_types.get(prefix)
    if programme_type is None or not rest.isdecimal():
        return None
    return next((area.title for area in programme_type.focus_areas if area.number == int(rest)), None)


def focus_area_type(key: str) -> str:
    """The programme type a focus area key belongs to ('' for a general theme)."""
    prefix = (key or "").rpartition(":")[0]
    return "" if prefix in ("", GENERAL) else prefix
