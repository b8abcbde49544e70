"""The national model of a local partnership, and the settings one municipality gives it.

Socialstyrelsen funds local partnerships for vulnerable young people aged 16–24 with a
four-year grant (9.6 million DKK for Slagelse and Hillerød together); a volunteer centre
runs each, mobilises more than 30 voluntary organisations and local actors, and may pay each
local association a sign-on fee of up to 30,000 DKK. Frivilligcentre & Selvhjælp Danmark
(FriSe) and Socialstyrelsen coordinate nationally. Source: the press release "Partnerskaber
viser vej til fællesskaber i Slagelse og Hillerød".

What differs between two partnerships is data: the municipality, the centre, the programme's
words, the demo's people and network. Each municipality's plugin keeps that in its own
``partnership.toml`` and makes a ``LocalPartnership`` of it with its programme type's name and
summary (translatable, so they stay in Python); the rules and the demo's shape live here once.
"""
from __future__ import annotations

import dataclasses
import functools
import tomllib
from pathlib import Path
from typing import Any

from core.hookspecs import hookimpl
from core.i18n import lazy_gettext as _
from core.programme_types import Criterion, ProgrammeType

SIGN_ON_FEE_CAP_KRONER = 30_000
AGREEMENT_YEARS = 4
SOURCE = "Pressemeddelelse: Partnerskaber viser vej til fællesskaber i Slagelse og Hillerød"
# The volunteer centre runs the partnership and pays the sign-on fees: its coordinator records them (and the
# programme's budget and grants) within the centre's own programme (the role's scope), besides requesting and
# approving payments, which a second person still approves.
PERMISSIONS = {"volunteer_centre_coordinator": ["money.record"]}


# The pathway the press release describes: young people in vulnerable positions becoming "participants,
# co-developers and volunteers" in local communities, after the first, big step of "breaking the self-isolation
# and getting out of the door". Partners count, per half-year, how many entered, moved on and left at each step
# (the pathways plugin reads this data; without it enabled nothing uses it).
PATHWAY = {
    "pathway_period": "half_year",
    "pathway_steps": (
        {"key": "first_contact", "name": _("First contact"),
         "description": _("Out of the door: a first meeting with a local community")},
        {"key": "participant", "name": _("Participant"), "description": _("Takes part in an association's activities")},
        {"key": "co_developer", "name": _("Co-developer"),
         "description": _("Helps shape activities together with the association")},
        {"key": "volunteer", "name": _("Volunteer"), "description": _("Volunteers in the association")},
    ),
}


def criteria() -> tuple[Criterion, ...]:
    return (
        Criterion("voluntary_organisation",
                  _("A voluntary organisation (social, cultural or adult-education) or another local actor "
                    "joining the local partnership"),
                  question=_("Is the organisation a voluntary organisation or another local actor that joins "
                             "the local partnership?"), answer="yes_no"),
        Criterion("include_young_people",
                  _("Will open its community to young people aged 16–24 in vulnerable positions"),
                  question=_("Will the organisation open its community to young people aged 16–24 in "
                             "vulnerable positions?"), answer="yes_no"),
    )


@dataclasses.dataclass(frozen=True)
class LocalPartnership:
    """One municipality's local partnership: its settings (``partnership.toml``) and type words."""

    plugin: str
    name: Any
    summary: Any
    settings: dict

    @classmethod
    def configure(cls, module_name: str, name, summary) -> "LocalPartnership":
        """The partnership of the plugin ``module_name``, read from ``partnership.toml`` beside it."""
        import importlib
        module = importlib.import_module(module_name)
        path = Path(module.__file__).with_name("partnership.toml")
        with open(path, "rb") as fh:
            settings = tomllib.load(fh)
        return cls(plugin=module_name.rsplit(".", 1)[-1], name=name, summary=summary, settings=settings)

    @property
    def type_key(self) -> str:
        return self.settings["type_key"]

    @functools.cached_property
    def programme_type(self) -> ProgrammeType:
        return ProgrammeType(
            key=self.type_key,
            name=self.name,
            plugin=self.plugin,
            summary=self.summary,
            owner_kinds=("volunteer_centre",),
            agreement_years=AGREEMENT_YEARS,
            sign_on_fee_cap_ore=SIGN_ON_FEE_CAP_KRONER * 100,
            sign_on_fees_per_organisation=1,
            target_groups=("youth_16_24",),
            age_range=(16, 24),
            criteria=criteria(),
            reporting=(
                _("Shares knowledge and learning with the national coordinators, FriSe and Socialstyrelsen"),
            ),
            source=SOURCE,
            extra=PATHWAY,
        )

    def pathway_demo_reports(self) -> list[dict]:
        """The demo's pathway counts (``[pathway_demo]`` of ``partnership.toml``): illustrative."""
        demo = self.settings.get("pathway_demo") or {}
        return [{"programme": self.settings["programme"]["slug"], "note": demo.get("note", ""), **report}
                for report in demo.get("reports", ())]

    def load_demo(self, platform, today=None):
        from plugins.local_partnership import demo
        return demo.load(self, platform, today=today)

    def hookimpls(self):
        """The hook implementations a partnership's plugin exposes: its programme type, its demo data,
        and its demo's pathway counts (a hook of the pathways plugin, there only when it is enabled)."""

        @hookimpl
        def register_programme_types():
            return [self.programme_type]

        @hookimpl
        def load_demo_data(platform):
            self.load_demo(platform)

        @hookimpl(optionalhook=True)
        def pathway_demo_reports(platform):
            return self.pathway_demo_reports()

        return register_programme_types, load_demo_data, pathway_demo_reports
