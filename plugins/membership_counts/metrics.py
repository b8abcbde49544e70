"""The metrics a yearly count can be of: members under 25 first, volunteers and coaches beside
it. A count row names its metric by key, so a new metric is one line here — and switching it
on for a programme type is a row in ``membership_count_setting`` — never a change of schema.

The words are the capability's own (what is counted), never a municipality's; which programme
types count which metrics is each deployment's choice (``settings``)."""
from __future__ import annotations

import dataclasses
from typing import Any

from core.i18n import lazy_gettext as _


@dataclasses.dataclass(frozen=True)
class Metric:
    key: str
    label: Any          # what the number is, in the reader's language
    question: Any       # how the form asks for it


METRICS: dict[str, Metric] = {metric.key: metric for metric in (
    Metric("members_under_25", _("Members under 25"),
           _("How many members under 25 did the association have at the end of the year?")),
    Metric("volunteers", _("Volunteers"),
           _("How many volunteers did the association have at the end of the year?")),
    Metric("coaches", _("Coaches and leaders"),
           _("How many coaches and leaders did the association have at the end of the year?")),
)}
MAX_VALUE = 1_000_000  # a count above this is a typing mistake, not an association
CHANGE_NEEDING_NOTE = 30  # per cent: a change beyond ±30 % from the year before needs a note


def label(key: str) -> str:
    metric = METRICS.get(key)
    return str(metric.label) if metric else key
