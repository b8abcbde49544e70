"""The words and tokens an offer is found by, written once when the offer is saved.

``search_text`` is the offer's searchable text folded by ``core.folding.fold`` — the function
that folds what people type — so 'Håndbold', 'Haandbold' and 'Handbold' meet on both backends
without a SQL copy of the folding. ``facets`` are tokens for the filters ('m12' a municipality,
'd3' a district, 'gelderly' a target group, 'w6' Saturday, 'free', 'online', 'public' ...), so a
filtered search is one intersection of posting lists in the full-text index instead of a walk
over every offer in the country.

What is not a token is checked on the row: the age (a range) and whether an offer was checked
in the last 12 months (it depends on today).
"""
from __future__ import annotations

import datetime
from typing import Iterable

from core.folding import fold

PUBLIC = "public"       # published and not ended: the public may find it (if checked within a year)
DRAFT = "draft"         # not published


def municipality(municipality_id: int) -> str:
    return f"m{municipality_id}"


def district(district_id: int) -> str:
    return f"d{district_id}"


def organisation(organisation_id: int) -> str:
    return f"o{organisation_id}"


def kind(value: str) -> str:
    return "k" + value.replace("_", "")


def category(value: str) -> str:
    return "c" + value.replace("_", "")


def target_group(key: str) -> str:
    return "g" + key.replace("_", "")


def weekday(number: int) -> str:
    return f"w{number}"


def status(value: str) -> str:
    return "s" + value


FREE = "free"
ONLINE = "online"       # online, or both in person and online
IN_PERSON = "inperson"  # in person, or both
WHEELCHAIR = "wheelchair"


def weekdays_of(sessions: Iterable) -> list[int]:
    """The weekdays (1 Monday … 7 Sunday) an offer meets on: weekly sessions and dated ones."""
    days = set()
    for session in sessions:
        weekday_number = getattr(session, "weekday", None) if not isinstance(session, dict) else session.get("weekday")
        on_date = getattr(session, "on_date", None) if not isinstance(session, dict) else session.get("on_date")
        if weekday_number:
            days.add(int(weekday_number))
        elif isinstance(on_date, datetime.date):
            days.add(on_date.isoweekday())
    return sorted(days)


def facets_for(values: dict, groups: Iterable[str], days: Iterable[int], partner_ids: Iterable[int] = ()) -> str:
    """The facet tokens of an offer with these values (the fields of ``Offer``)."""
    tokens = [kind(values["kind"]), category(values["category"]), status(values["status"]),
              organisation(values["organisation_id"])]
    tokens.extend(organisation(partner) for partner in partner_ids)
    tokens.append(PUBLIC if values["published"] and values["status"] != "ended" else "")
    tokens.append(DRAFT if not values["published"] else "pub")
    if values.get("municipality_id"):
        tokens.append(municipality(values["municipality_id"]))
    if values.get("district_id"):
        tokens.append(district(values["district_id"]))
    if values["cost_ore"] == 0:
        tokens.append(FREE)
    tokens.append(ONLINE if values["mode"] in ("online", "both") else "")
    tokens.append(IN_PERSON if values["mode"] in ("in_person", "both") else "")
    if values.get("wheelchair"):
        tokens.append(WHEELCHAIR)
    tokens.extend(target_group(group) for group in sorted(set(groups)))
    tokens.extend(weekday(day) for day in sorted(set(days)))
    return " ".join(token for token in tokens if token)


def search_text_for(values: dict, organisation_name: str, district_name: str = "",
                    partner_names: Iterable[str] = ()) -> str:
    """The folded words an offer is found by: its own, its organisation's and its place's."""
    parts = [values.get("title", ""), organisation_name, *partner_names, values.get("description", ""),
             values.get("city", ""), district_name, values.get("eligibility", "")]
    return fold(" ".join(part for part in parts if part))[:20_000]
