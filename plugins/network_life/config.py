"""What a programme's network life looks like, per programme type: the meeting kinds it holds,
the meetings each association must have every year, how many network meetings it plans, and
whether its associations write action plans under the type's focus areas.

The vocabulary (meeting kinds, ways of meeting, plan states, status values, indicator
directions) is this plugin's; the numbers and choices are the municipality's, given by its
plugin through the ``network_life_programme_types`` hook (``hookspecs``). Nothing here names a
municipality.
"""
from __future__ import annotations

import dataclasses
import datetime
from typing import Any, Callable

from core.i18n import lazy_gettext as _

# --- the vocabulary ---------------------------------------------------------------------------

MEETING_KINDS = ("status_resource_person", "status_board", "network", "theme", "training", "study_trip",
                 "joint_event")
# kinds held with one association (its agreement's status), the others with a network
STATUS_KINDS = ("status_resource_person", "status_board")
MODES = ("in_person", "online", "hybrid")
RESPONSES = ("yes", "no", "maybe")
VERSION_STATES = ("draft", "submitted", "feedback", "approved", "superseded")
EDITABLE_STATES = ("draft", "feedback")
OPEN_STATES = ("draft", "submitted", "feedback")
PROGRESS = ("not_started", "on_track", "at_risk", "off_track", "achieved", "dropped")
DIRECTIONS = ("increase", "decrease", "keep")


def kind_label(kind: str) -> Any:
    return {
        "status_resource_person": _("Status meeting with the resource person"),
        "status_board": _("Status meeting with the board"),
        "network": _("Network meeting"), "theme": _("Theme meeting"), "training": _("Training"),
        "study_trip": _("Study trip"), "joint_event": _("Joint event"),
    }.get(kind, kind)


def mode_label(mode: str) -> Any:
    return {"in_person": _("In person"), "online": _("Online"), "hybrid": _("Hybrid")}.get(mode, mode)


def response_label(response: str) -> Any:
    return {"yes": _("Coming"), "no": _("Not coming"), "maybe": _("Maybe"), "none": _("No answer yet")}.get(
        response, response)


def state_label(state: str) -> Any:
    return {"draft": _("Draft"), "submitted": _("Submitted"), "feedback": _("Feedback given"),
            "approved": _("Approved"), "superseded": _("Superseded")}.get(state, state)


def progress_label(progress: str | None) -> Any:
    if not progress:
        return _("No status yet")
    return {"not_started": _("Not started"), "on_track": _("On track"), "at_risk": _("At risk"),
            "off_track": _("Off track"), "achieved": _("Achieved"), "dropped": _("Dropped")}.get(progress, progress)


def direction_label(direction: str) -> Any:
    return {"increase": _("Increase"), "decrease": _("Decrease"), "keep": _("Keep at least")}.get(
        direction, direction)


# --- a programme type's settings ----------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Requirement:
    """Meetings of ``kinds`` each association with a running agreement must have every year:
    ``per_year`` of them, the n-th due by ``due[n-1]`` (month, day); without ``due`` they are
    spread evenly over the year (one a year: by 31 December; two: by 30 June and 31 December)."""

    kinds: tuple[str, ...]
    per_year: int
    label: Any
    due: tuple[tuple[int, int], ...] = ()

    def __post_init__(self):
        unknown = [kind for kind in self.kinds if kind not in STATUS_KINDS]
        if unknown or not self.kinds:
            raise ValueError(f"a requirement counts meetings with one association: {', '.join(STATUS_KINDS)}")
        if not 1 <= self.per_year <= 12:
            raise ValueError("a requirement asks for 1 to 12 meetings a year")
        if self.due and len(self.due) != self.per_year:
            raise ValueError("a requirement gives one due date per meeting")

    def due_dates(self, year: int) -> list[datetime.date]:
        if self.due:
            return [datetime.date(year, month, day) for month, day in self.due]
        dates = []
        for number in range(1, self.per_year + 1):
            month = -(-12 * number // self.per_year)  # the end of the month that closes the n-th share
            following = datetime.date(year + (month == 12), month % 12 + 1, 1)
            dates.append(following - datetime.timedelta(days=1))
        return dates


@dataclasses.dataclass(frozen=True)
class ProgrammeSettings:
    """One programme type's network life (see the module's docstring). ``demo(helper, today)`` fills
    the demo deployment with the programme's illustrative network life (``plugins.network_life.demo``)."""

    programme_type: str
    meeting_kinds: tuple[str, ...] = MEETING_KINDS
    required: tuple[Requirement, ...] = ()
    network_meetings_per_year: tuple[int, int] | None = None
    action_plans: bool = True
    plan_years: tuple[int, int] = (2, 3)
    demo: Callable | None = None

    def __post_init__(self):
        unknown = [kind for kind in self.meeting_kinds if kind not in MEETING_KINDS]
        if unknown:
            raise ValueError(f"{self.programme_type}: unknown meeting kinds {', '.join(unknown)}")
        for requirement in self.required:
            missing = [kind for kind in requirement.kinds if kind not in self.meeting_kinds]
            if missing:
                raise ValueError(f"{self.programme_type}: a requirement counts kinds the programme does not hold")
        low, high = self.plan_years
        if not 1 <= low <= high <= 6:
            raise ValueError(f"{self.programme_type}: an action plan runs 1 to 6 years")


DEFAULT = ProgrammeSettings(programme_type="")


class Settings:
    """Every configured programme type's settings, read once per platform."""

    def __init__(self, platform):
        self.platform = platform
        self.by_type: dict[str, ProgrammeSettings] = {}
        pm = platform.pm
        if getattr(pm.hook, "network_life_programme_types", None) is None:
            from plugins.network_life import hookspecs
            pm.add_hookspecs(hookspecs)
        for result in pm.hook.network_life_programme_types(platform=platform):
            for settings in result or []:
                if settings.programme_type in self.by_type:
                    raise ValueError(f"network life: the programme type {settings.programme_type} is configured twice")
                self.by_type[settings.programme_type] = settings

    def for_type(self, key: str) -> ProgrammeSettings:
        return self.by_type.get(key) or dataclasses.replace(DEFAULT, programme_type=key)

    def focus_areas(self, key: str) -> tuple:
        """The focus areas of a programme type (its ``FocusArea`` list), empty for an unknown one."""
        programme_type = self.platform.programme_types.get(key)
        return tuple(programme_type.focus_areas) if programme_type is not None else ()

    def plans_for(self, key: str) -> bool:
        """Whether associations of this programme type write action plans: configured so, and the type
        has focus areas to put goals under."""
        return self.for_type(key).action_plans and bool(self.focus_areas(key))

    def plan_types(self) -> list[str]:
        return [t.key for t in self.platform.programme_types if self.plans_for(t.key)]

    def required_types(self) -> list[str]:
        return [key for key, settings in self.by_type.items() if settings.required]


def settings_of(platform) -> Settings:
    """The platform's settings, made the first time they are asked for."""
    found = getattr(platform, "_network_life_settings", None)
    if found is None:
        found = Settings(platform)
        platform._network_life_settings = found
    return found
