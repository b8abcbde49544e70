"""Programme types: the rules a programme follows, registered by plugins.

The core defines the shape (grant per partner, resource-person hours, agreement length, fee
cap, focus areas, eligibility criteria, reporting duties) and enforces the money rules; each
municipality's plugin fills it with its own programme's numbers and words. Texts are
translatable (lazy ``gettext`` against the plugin's own catalogue).
"""
from __future__ import annotations

import dataclasses
import datetime
from typing import Any, Callable, Iterable, Mapping


@dataclasses.dataclass(frozen=True)
class FocusArea:
    number: int
    title: Any
    description: Any = ""


ANSWER_KINDS = ("integer", "yes_no", "text")


@dataclasses.dataclass(frozen=True)
class Criterion:
    """An eligibility criterion. ``parameters`` carry its numbers (e.g. a minimum of members)
    so the application workflow can check it; ``text`` says it to people.

    ``question`` is what an application asks about it (None: people assess it, nothing is
    asked); ``answer`` is the kind of answer: ``integer`` (checked against the parameters named
    ``min_*`` and ``max_*``), ``yes_no`` (must be yes) or ``text`` (must be given). ``check``
    runs when an application is submitted.

    ``blocks`` says what an answer that misses the criterion does: True (a gate) refuses the
    submission; False (a selection criterion the programme weighs) lets it through and flags
    the criterion for the reviewers. A question left unanswered is refused either way."""

    key: str
    text: Any
    parameters: dict = dataclasses.field(default_factory=dict)
    question: Any = None
    answer: str = "integer"
    blocks: bool = True

    def __post_init__(self):
        if self.answer not in ANSWER_KINDS:
            raise ValueError(f"criterion {self.key}: the answer kind is one of {', '.join(ANSWER_KINDS)}")

    def answered(self, value: Any) -> bool:
        return bool("" if value is None else str(value).strip())

    def check(self, value: Any):
        """None when the answer meets the criterion, else a ``core.i18n.Message`` saying why."""
        from core.i18n import Message
        if self.question is None:
            return None
        text = "" if value is None else str(value).strip()
        if self.answer == "integer":
            try:
                number = int(text)
            except ValueError:
                if not text:
                    return Message("Answer the question: %(question)s", question=self.question)
                return Message("%(question)s: '%(value)s' is not a whole number", question=self.question,
                               value=text[:40])
            for name, limit in sorted(self.parameters.items()):
                if name.startswith("min") and number < limit:
                    return Message("%(criterion)s – you answered %(value)s, and the programme asks for at "
                                   "least %(limit)s", criterion=self.text, value=number, limit=limit)
                if name.startswith("max") and number > limit:
                    return Message("%(criterion)s – you answered %(value)s, and the programme allows at "
                                   "most %(limit)s", criterion=self.text, value=number, limit=limit)
            return None
        if self.answer == "yes_no":
            if text == "yes":
                return None
            if not text:
                return Message("Answer the question: %(question)s", question=self.question)
            return Message("%(criterion)s – the programme requires this", criterion=self.text)
        if not text:
            return Message("Answer the question: %(question)s", question=self.question)
        return None


@dataclasses.dataclass(frozen=True)
class ProgrammeType:
    key: str
    name: Any
    plugin: str
    summary: Any = ""
    owner_kinds: tuple[str, ...] = ("municipality",)
    grant_per_partner_per_year_ore: int | None = None
    grant_purpose: Any = ""
    resource_person_hours_min: int | None = None
    resource_person_hours_max: int | None = None
    agreement_years: int | None = None
    fixed_period: tuple[datetime.date, datetime.date] | None = None
    agreement_extendable: bool = False
    sign_on_fee_cap_ore: int | None = None
    sign_on_fees_per_organisation: int = 1
    # only organisations new to the owner's network get a sign-on fee (not one that was in
    # another of its programmes' networks before it joined this one)
    sign_on_fee_new_members_only: bool = False
    target_groups: tuple[str, ...] = ()
    age_range: tuple[int, int] | None = None
    focus_areas: tuple[FocusArea, ...] = ()
    criteria: tuple[Criterion, ...] = ()
    reporting: tuple[Any, ...] = ()
    source: str = ""
    # What plugins read beyond the core's fields (a capability's settings per programme type, e.g. the
    # steps of a pathway), by key: a Python plugin sets it here, a declared TOML file writes the key
    # in [programme_type] when a plugin registered it (``ProgrammeTypeField``). The core reads none of it.
    extra: Mapping[str, Any] = dataclasses.field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self):
        if self.sign_on_fee_cap_ore is not None and self.sign_on_fee_cap_ore <= 0:
            raise ValueError(f"{self.key}: the sign-on fee cap must be positive")
        if self.sign_on_fees_per_organisation < 1:
            raise ValueError(f"{self.key}: at least one sign-on fee per organisation")
        lo, hi = self.resource_person_hours_min, self.resource_person_hours_max
        if lo is not None and hi is not None and lo > hi:
            raise ValueError(f"{self.key}: resource-person hours minimum above maximum")

    @property
    def allows_sign_on_fees(self) -> bool:
        return self.sign_on_fee_cap_ore is not None

    def agreement_end(self, start: datetime.date) -> datetime.date | None:
        """The default end of an agreement that starts on ``start``."""
        if self.fixed_period:
            return self.fixed_period[1]
        if self.agreement_years:
            try:
                return start.replace(year=start.year + self.agreement_years) - datetime.timedelta(days=1)
            except ValueError:  # 29 February
                return start.replace(year=start.year + self.agreement_years, day=28)
        return None


@dataclasses.dataclass(frozen=True)
class ProgrammeTypeField:
    """A key a plugin reads from programme types beyond the core's fields
    (``register_programme_type_fields``). A declared TOML file may then write ``key`` in its
    ``[programme_type]`` table; ``read(reader, raw, path)`` checks the raw TOML value and
    returns what lands in ``ProgrammeType.extra[key]`` — reporting each problem with
    ``reader.add(path, msgid, **params)`` (``core.declared.reader.Reader``), so a mistake names
    the file, the line and the field like the core's own fields. Without the key the type's
    ``extra`` has no entry for it."""

    key: str
    read: Callable[[Any, Any, tuple], Any]
    description: str = ""


class ProgrammeTypeRegistry:
    """The programme types of the enabled plugins, by key; a duplicate key is an error."""

    def __init__(self, types: Iterable[ProgrammeType] = ()):
        self._types: dict[str, ProgrammeType] = {}
        for programme_type in types:
            self.add(programme_type)

    def add(self, programme_type: ProgrammeType) -> None:
        if programme_type.key in self._types:
            raise ValueError(f"programme type '{programme_type.key}' is registered twice")
        self._types[programme_type.key] = programme_type

    def discard(self, key: str) -> None:
        """Forget a type (a declaration whose seed failed on the first-run page)."""
        self._types.pop(key, None)

    def get(self, key: str) -> ProgrammeType | None:
        return self._types.get(key)

    def __getitem__(self, key: str) -> ProgrammeType:
        return self._types[key]

    def __contains__(self, key: str) -> bool:
        return key in self._types

    def __iter__(self):
        return iter(self._types.values())

    def __len__(self) -> int:
        return len(self._types)


@dataclasses.dataclass(frozen=True)
class TargetGroup:
    key: str
    label: Any
    age_range: tuple[int, int] | None = None
