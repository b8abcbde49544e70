"""Frivilligcenter Hillerød: "TUFF – Trivsel, Unge, Fællesskaber og Foreningsliv", a local
partnership for vulnerable young people aged 16–24: a systematic model for social bridging,
with the town's communities and associations as a training ground for the young.

One of two local partnerships (with Slagelse) funded by Socialstyrelsen with a four-year
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

TYPE_KEY = "hillerod-tuff"

PROGRAMME_TYPE = ProgrammeType(
    key=TYPE_KEY,
    name=_("TUFF – local partnership for young people (Hillerød)"),
    plugin="hillerod",
    summary=_("A four-year local partnership that builds a systematic model for social bridging, where "
              "local communities and associations are a training ground for young people in vulnerable positions."),
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
    demo.municipality("0219", "Hillerød Kommune", "Region Hovedstaden")
    centre = demo.organisation("Frivilligcenter Hillerød", "volunteer_centre", "0219", city="Hillerød",
                               target_groups=["youth_16_24", "volunteers"])
    funder = demo.organisation("Socialstyrelsen", "national_body")
    frise = demo.organisation("Frivilligcentre & Selvhjælp Danmark (FriSe)", "national_body")
    # Dates and the even split of the joint 9.6 million DKK are assumptions (see the Slagelse plugin).
    programme = demo.programme(
        "hillerod-tuff", "TUFF – Trivsel, Unge, Fællesskaber og Foreningsliv", TYPE_KEY, "0219",
        start=datetime.date(2023, 1, 1), end=datetime.date(2026, 12, 31), owner=centre, funder=funder,
        description="Sammen om unges trivsel i Hillerød: en helhedsorienteret og systematisk tilgang til social "
                    "brobygning for sårbare og udsatte unge mellem 16 og 24 år.")
    for year in (2023, 2024, 2025, 2026):
        demo.budget(programme, year, 1_200_000)
    demo.member(programme, centre, "coordinator", datetime.date(2023, 1, 1))
    demo.member(programme, frise, "coordinator", datetime.date(2023, 1, 1))
    demo.member(programme, funder, "coordinator", datetime.date(2023, 1, 1))
