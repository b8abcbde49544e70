"""Frivilligcenter Slagelse: "Fællesskabsalliancen", a local partnership for vulnerable young
people aged 16–24 (bridging, and involving the young as participants, co-developers and
volunteers).

One of two local partnerships (with Hillerød) funded by Socialstyrelsen with a four-year
grant of 9.6 million DKK for both; each mobilises more than 30 voluntary organisations and
other local actors, and each local association can receive a sign-on fee of up to 30,000 DKK
for joining. Frivilligcentre & Selvhjælp Danmark (FriSe) and Socialstyrelsen are the national
coordinators. Source: press release "Partnerskaber viser vej til fællesskaber i Slagelse og
Hillerød".
"""
import datetime

from core.hookspecs import hookimpl
from core.i18n import lazy_gettext as _
from core.programme_types import Criterion, ProgrammeType

__version__ = "1.0.0"

TYPE_KEY = "slagelse-faellesskabsalliancen"

PROGRAMME_TYPE = ProgrammeType(
    key=TYPE_KEY,
    name=_("Fællesskabsalliancen – local partnership for young people (Slagelse)"),
    plugin="slagelse",
    summary=_("A four-year local partnership that activates, mobilises and supports associations in "
              "including young people in vulnerable positions as participants, co-developers and volunteers."),
    owner_kinds=("volunteer_centre",),
    agreement_years=4,
    sign_on_fee_cap_ore=30_000 * 100,
    sign_on_fees_per_organisation=1,
    target_groups=("youth_16_24",),
    age_range=(16, 24),
    criteria=(
        Criterion("voluntary_organisation",
                  _("A voluntary organisation (social, cultural or adult-education) or another local actor "
                    "joining the local partnership")),
        Criterion("include_young_people",
                  _("Will open its community to young people aged 16–24 in vulnerable positions")),
    ),
    reporting=(
        _("Shares knowledge and learning with the national coordinators, FriSe and Socialstyrelsen"),
    ),
    source="Pressemeddelelse: Partnerskaber viser vej til fællesskaber i Slagelse og Hillerød",
)


@hookimpl
def register_programme_types():
    return [PROGRAMME_TYPE]


@hookimpl
def load_demo_data(platform):
    from core.demo import Demo
    demo = Demo(platform)
    demo.municipality("0330", "Slagelse Kommune", "Region Sjælland")
    centre = demo.organisation("Frivilligcenter Slagelse", "volunteer_centre", "0330", city="Slagelse",
                               target_groups=["youth_16_24", "volunteers"])
    funder = demo.organisation("Socialstyrelsen", "national_body",
                               description="Den nationale sociale styrelse; bevilgede 9,6 mio. kr. over fire år "
                                           "til de lokale partnerskaber i Slagelse og Hillerød.")
    frise = demo.organisation("Frivilligcentre & Selvhjælp Danmark (FriSe)", "national_body",
                              description="National koordinator for de lokale partnerskaber sammen med Socialstyrelsen.")
    # The press release gives 9.6 million DKK over four years for Slagelse and Hillerød together
    # and no dates: the demo assumes 2023–2026 and an even split, 1.2 million DKK a year each.
    programme = demo.programme(
        "slagelse-faellesskabsalliancen", "Fællesskabsalliancen", TYPE_KEY, "0330",
        start=datetime.date(2023, 1, 1), end=datetime.date(2026, 12, 31), owner=centre, funder=funder,
        description="Frivilligcenter Slagelses lokale partnerskab med fokus på brobygning og inddragelse af "
                    "sårbare unge mellem 16 og 24 år.")
    for year in (2023, 2024, 2025, 2026):
        demo.budget(programme, year, 1_200_000)
    demo.member(programme, centre, "coordinator", datetime.date(2023, 1, 1))
    demo.member(programme, frise, "coordinator", datetime.date(2023, 1, 1))
    demo.member(programme, funder, "coordinator", datetime.date(2023, 1, 1))
