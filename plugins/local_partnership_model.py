"""The national model that Slagelse's and Hillerød's local partnerships share.

Socialstyrelsen funds local partnerships for vulnerable young people aged 16–24 with a
four-year grant (9.6 million DKK for Slagelse and Hillerød together); a volunteer centre
runs each, mobilises more than 30 voluntary organisations and local actors, and may pay each
local association a sign-on fee of up to 30,000 DKK. Frivilligcentre & Selvhjælp Danmark
(FriSe) and Socialstyrelsen coordinate nationally. Not a plugin itself (no folder): the two
plugins build their programme type and demo data from it.
"""
import datetime

from core.i18n import lazy_gettext as _
from core.programme_types import Criterion, ProgrammeType

SIGN_ON_FEE_CAP_KRONER = 30_000
SOURCE = "Pressemeddelelse: Partnerskaber viser vej til fællesskaber i Slagelse og Hillerød"
# The press release gives 9.6 million DKK over four years for both partnerships and no dates:
# the demo assumes 2023–2026 and an even split, 1.2 million DKK a year each.
DEMO_YEARS = (2023, 2024, 2025, 2026)
DEMO_BUDGET_PER_YEAR_KRONER = 1_200_000
# The volunteer centre runs the partnership and pays the sign-on fees: its coordinator records them (and the
# programme's budget and grants) within the centre's own programme (the role's scope), besides requesting and
# approving payments, which a second person still approves.
PERMISSIONS = {"volunteer_centre_coordinator": ["money.record"]}


def programme_type(key: str, plugin: str, name, summary) -> ProgrammeType:
    return ProgrammeType(
        key=key,
        name=name,
        plugin=plugin,
        summary=summary,
        owner_kinds=("volunteer_centre",),
        agreement_years=4,
        sign_on_fee_cap_ore=SIGN_ON_FEE_CAP_KRONER * 100,
        sign_on_fees_per_organisation=1,
        target_groups=("youth_16_24",),
        age_range=(16, 24),
        criteria=(
            Criterion("voluntary_organisation",
                      _("A voluntary organisation (social, cultural or adult-education) or another local actor "
                        "joining the local partnership"),
                      question=_("Is the organisation a voluntary organisation or another local actor that joins "
                                 "the local partnership?"), answer="yes_no"),
            Criterion("include_young_people",
                      _("Will open its community to young people aged 16–24 in vulnerable positions"),
                      question=_("Will the organisation open its community to young people aged 16–24 in "
                                 "vulnerable positions?"), answer="yes_no"),
        ),
        reporting=(
            _("Shares knowledge and learning with the national coordinators, FriSe and Socialstyrelsen"),
        ),
        source=SOURCE,
    )


def load_demo(demo, *, municipality: tuple[str, str, str], centre_name: str, city: str, slug: str,
              name: str, type_key: str, description: str) -> None:
    """The partnership as the press release describes it: the centre owns and coordinates it,
    Socialstyrelsen funds it, FriSe and Socialstyrelsen coordinate nationally."""
    code = municipality[0]
    demo.municipality(*municipality)
    centre = demo.organisation(centre_name, "volunteer_centre", code, city=city,
                               target_groups=["youth_16_24", "volunteers"])
    funder = demo.organisation("Socialstyrelsen", "national_body",
                               description="Den nationale sociale styrelse; bevilgede 9,6 mio. kr. over fire år "
                                           "til de lokale partnerskaber i Slagelse og Hillerød.")
    frise = demo.organisation("Frivilligcentre & Selvhjælp Danmark (FriSe)", "national_body",
                              description="National koordinator for de lokale partnerskaber sammen med Socialstyrelsen.")
    start = datetime.date(DEMO_YEARS[0], 1, 1)
    programme = demo.programme(slug, name, type_key, code, start=start,
                               end=datetime.date(DEMO_YEARS[-1], 12, 31), owner=centre, funder=funder,
                               description=description)
    for year in DEMO_YEARS:
        demo.budget(programme, year, DEMO_BUDGET_PER_YEAR_KRONER)
    for organisation in (centre, frise, funder):
        demo.member(programme, organisation, "coordinator", start)
