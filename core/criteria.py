"""The core's vocabulary of eligibility criteria: what a programme declared in TOML can ask.

A Python plugin writes its own ``Criterion`` with its own words; a declared programme type
(``core.declared``) picks criteria from this list by key, gives their numbers (``min``,
``max``) and says whether each blocks an application or flags it for the reviewers. The words
live here, translated in the core's catalogue, so a municipality declaring a programme needs
no catalogue of its own. The list is drawn from the programmes in the source documents and
names no municipality.
"""
from __future__ import annotations

import dataclasses

from core.i18n import Message, N_
from core.programme_types import Criterion


@dataclasses.dataclass(frozen=True)
class Standard:
    """One criterion of the vocabulary: its words, its kind of answer and its numbers."""

    key: str
    text: str
    question: str | None
    answer: str = "yes_no"
    needs: tuple[str, ...] = ()       # numbers the declaration must give (``min``)
    allows: tuple[str, ...] = ()      # numbers it may give besides (``max``)

    def criterion(self, numbers: dict[str, int], blocks: bool = True) -> Criterion:
        return Criterion(self.key, Message(self.text, **numbers), dict(numbers),
                         question=Message(self.question, **numbers) if self.question else None,
                         answer=self.answer, blocks=blocks)


VOCABULARY: dict[str, Standard] = {standard.key: standard for standard in (
    Standard("voluntary_organisation",
             N_("A voluntary organisation (social, cultural or adult-education) or another local actor"),
             N_("Is the organisation a voluntary organisation (social, cultural or adult-education) or another "
                "local actor?")),
    Standard("adult_education_association",
             N_("A local adult-education-act (folkeoplysende) association in the municipality"),
             N_("Is the association a local adult-education-act association in the municipality?")),
    Standard("local_activities",
             N_("Has activities in the municipality"),
             N_("Does the organisation have activities in the municipality?")),
    Standard("open_to_target_group",
             N_("Will open its community to the programme's target group"),
             N_("Will the organisation open its community to the programme's target group?")),
    Standard("members",
             N_("At least %(min)s members"),
             N_("Number of members"), answer="integer", needs=("min",), allows=("max",)),
    Standard("members_under_25",
             N_("At least %(min)s members under 25"),
             N_("Number of members under 25"), answer="integer", needs=("min",), allows=("max",)),
    Standard("years_of_experience",
             N_("At least %(min)s years of experience with including vulnerable children and young people"),
             N_("Years of experience with including vulnerable children and young people"),
             answer="integer", needs=("min",)),
    Standard("welcome_plan",
             N_("Describes how it will welcome and keep new participants"),
             N_("How will you welcome and keep new participants?"), answer="text"),
    Standard("goals",
             N_("States concrete goals for its activities and their effect"),
             N_("Your goals for the activities and their effect"), answer="text"),
    Standard("selected_by_application",
             N_("Selected through an application process among qualified applicants"), None),
)}
