"""Københavns Kommune: "Sociale partnerskaber" and the 2007 integration-partnership framework.

Sociale partnerskaber (Kultur- og Fritidsforvaltningen): 25 adult-education-act associations
each receive 200,000 DKK a year, all of it for a resource person working at least 20 hours a
week; agreements run four years as a rule and can be extended; a municipal consultant
follows each association; six focus areas; an action plan for two or three years; two status
meetings a year; yearly counts of members under 25. Budget 2022: 6 million DKK, permanent.
Source: "Sociale partnerskaber – Erfaringsopsamling", Københavns Kommune, March 2023.

Integration partnerships (2007 framework, Borgerrepræsentationen 11 October 2007): larger
voluntary organisations get a grant for about two volunteer consultants who recruit and
support volunteer groups; three-year agreements evaluated against the applicant's own goals.
"""
import datetime

from core.hookspecs import hookimpl
from core.i18n import lazy_gettext as _
from core.programme_types import Criterion, FocusArea, ProgrammeType

__version__ = "1.0.0"

SOCIAL_PARTNERSHIPS = "copenhagen-social-partnerships"
INTEGRATION_2007 = "copenhagen-integration-partnerships-2007"

FOCUS_AREAS = (
    FocusArea(1, _("Internal organisation and structure of the association")),
    FocusArea(2, _("Recruiting and involving volunteers and coaches")),
    FocusArea(3, _("Local collaborations about the target group")),
    FocusArea(4, _("Retention of vulnerable children and young people")),
    FocusArea(5, _("Recruitment of vulnerable children and young people")),
    FocusArea(6, _("Involving parents"), _("added in 2020")),
)

# The municipality's "feeder chain" into association life (the report, "Idrætssociale indsatser i København"):
# introduction, bridging, economic help and retention, the social partnerships being the last link. Partners
# count per year how many children and young people entered, moved on and left at each link (the pathways
# plugin reads this; without it enabled nothing does).
FEEDER_CHAIN = {
    "pathway_period": "year",
    "pathway_steps": (
        {"key": "introduction", "name": _("Introduction to association activities"),
         "description": _("Free holiday camps (FerieCamps) and Aktive Børn i Forening")},
        {"key": "bridging", "name": _("Bridging to an association"),
         "description": _("FritidsGuiderne KBH match and accompany children to the right association")},
        {"key": "fee_support", "name": _("Economic help"), "description": _("The municipality's membership-fee support")},
        {"key": "retention", "name": _("Retention in association activities"),
         "description": _("The social partnerships with the associations")},
    ),
}

PROGRAMME_TYPES = [
    ProgrammeType(
        key=SOCIAL_PARTNERSHIPS,
        name=_("Social partnerships (Copenhagen)"),
        plugin="copenhagen",
        summary=_("Permanent partnerships that let associations in and near the vulnerable urban areas "
                  "include and keep children and young people up to 25."),
        owner_kinds=("municipality",),
        grant_per_partner_per_year_ore=200_000 * 100,
        grant_purpose=_("all of it for employing a resource person"),
        resource_person_hours_min=20,
        agreement_years=4,
        agreement_extendable=True,
        target_groups=("children", "youth"),
        age_range=(0, 25),
        focus_areas=FOCUS_AREAS,
        # The report lists these as what associations "have had to" show "to be considered": selection
        # criteria the municipality weighs across application rounds, not gates. An answer that misses one
        # is flagged for the reviewers (blocks=False); an unanswered question still stops the submission.
        criteria=(
            Criterion("min_members_under_25",
                      _("A certain size: at least 100–250 members who are children or young people"),
                      {"min_members_under_25": 100},
                      question=_("Number of members under 25"), blocks=False),
            Criterion("vulnerable_urban_areas",
                      _("Activities in or near the vulnerable urban areas of Copenhagen"),
                      question=_("Does the association have activities in or near the vulnerable urban areas?"),
                      answer="yes_no", blocks=False),
            Criterion("experience",
                      _("Good experience over several years with including vulnerable children and young people"),
                      {"min_years": 2},
                      question=_("Years of experience with including vulnerable children and young people"),
                      blocks=False),
        ),
        reporting=(
            _("An action plan for two or three years with the association's own goals per focus area, "
              "approved by the municipality as an annex to the grant agreement"),
            _("Two status meetings a year with the consultant: one with the resource person, one also with the board"),
            _("Yearly membership count of members under 25"),
            _("Surveys of the associations"),
        ),
        source="Københavns Kommune: Sociale partnerskaber – Erfaringsopsamling (marts 2023)",
        extra=FEEDER_CHAIN,
    ),
    ProgrammeType(
        key=INTEGRATION_2007,
        name=_("Integration partnerships with voluntary organisations (Copenhagen, 2007)"),
        plugin="copenhagen",
        summary=_("Larger voluntary organisations develop volunteer work for integration: parent counselling, "
                  "homework help, leisure activities, mentors for education, job and internship search."),
        owner_kinds=("municipality",),
        agreement_years=3,
        target_groups=("volunteers", "families", "youth"),
        criteria=(
            Criterion("larger_voluntary_organisation", _("A larger voluntary organisation")),
            Criterion("geographic_focus",
                      _("Works in the 5 vulnerable housing areas, on Amager (the Urban area) and in the "
                        "Sundholmsvej neighbourhoods South and North"),
                      question=_("Does the organisation work in these areas?"), answer="yes_no"),
            Criterion("concrete_goals",
                      _("States concrete goals for activities and effect, including how many volunteers it will "
                        "recruit and retain over the three-year agreement"),
                      question=_("Your goals for activities and effect, and how many volunteers you will recruit and retain"),
                      answer="text"),
        ),
        reporting=(
            _("Evaluation against the goals stated in the application"),
        ),
        source="Københavns Kommune, Borgerrepræsentationen 11. okt. 2007 (BR 371/07), bilag 1",
    ),
]

# Annex 1 of the experience report: the associations by the year they joined.
ASSOCIATIONS_BY_START = {
    datetime.date(2012, 1, 1): ("Brønshøj Boldklub", "Fremad Valby", "Nørrebro Taekwondo Klub",
                                "Nørrebro United", "SheZone"),
    datetime.date(2018, 1, 1): ("Amager Judo Skole", "BK Skjold", "BK Union", "BK Vestia",
                                "Copenhagen Floorball Club", "Global Kidz", "Hovedstadens Basketball Fællesskab",
                                "Hovedstadens Svømmeklub", "Rollespilsfabrikken", "Stevnsgade Basketball"),
    datetime.date(2020, 1, 1): ("B1908", "DUI København", "Fremad Amager", "IF Stadion", "Street Society"),
    datetime.date(2020, 7, 1): ("Ajax København", "Amager SK", "Boldklubben Hellas", "Siam Athlete Nation",
                                "Valby IF-Gymnastik"),
}
CITY_WIDE = {"Hovedstadens Svømmeklub", "Hovedstadens Basketball Fællesskab", "Rollespilsfabrikken"}


@hookimpl
def register_programme_types():
    return PROGRAMME_TYPES


# The demo's three consultants (the report: three consultants share the 25 associations, one each; it does not
# say how): ASSUMED split by the annex's areas. Fictional names; password core.demo.DEMO_PASSWORD.
CONSULTANTS = {
    "kbh-konsulent@partnerskab.test": ("Jonas Lund", (
        "Amager Judo Skole", "Amager SK", "B1908", "Fremad Amager", "Ajax København", "Boldklubben Hellas",
        "Fremad Valby", "BK Vestia", "Valby IF-Gymnastik")),
    "kbh-konsulent-2@partnerskab.test": ("Amira Haddad", (
        "Brønshøj Boldklub", "IF Stadion", "DUI København", "Nørrebro United", "Nørrebro Taekwondo Klub",
        "SheZone", "Global Kidz", "Stevnsgade Basketball")),
    "kbh-konsulent-3@partnerskab.test": ("Thomas Bech", (
        "BK Skjold", "Copenhagen Floorball Club", "BK Union", "Street Society", "Siam Athlete Nation",
        "Hovedstadens Svømmeklub", "Hovedstadens Basketball Fællesskab", "Rollespilsfabrikken")),
}
CONSULTANT_OF = {name: email for email, (_name, names) in CONSULTANTS.items() for name in names}
PERMANENT_FROM = 2022
BUDGET_KRONER = 6_000_000
GRANT_KRONER = 200_000


@hookimpl
def load_demo_data(platform):
    load_demo(platform)


def load_demo(platform, today: datetime.date | None = None):
    """The demo as of ``today`` (a test may pass another day): budgets and grants up to its year,
    agreements renewed past it, an open call around it."""
    from core.demo import Demo
    today = today or datetime.date.today()
    demo = Demo(platform)
    demo.municipality("0101", "Københavns Kommune", "Region Hovedstaden")
    administration = demo.organisation(
        "Københavns Kommune, Kultur- og Fritidsforvaltningen", "municipal_unit", "0101",
        description="Idrætsudvikling. Stiller en konsulent til rådighed for hver partnerskabsforening.")
    programme = demo.programme(
        "kobenhavn-sociale-partnerskaber", "Sociale partnerskaber", SOCIAL_PARTNERSHIPS, "0101",
        start=datetime.date(2012, 1, 1), funder=administration,
        description="Faste, stabile og kontinuerlige foreningstilbud for børn og unge op til 25 år i de "
                    "udsatte byområder i København. (Demodata: budgettet på 6 mio. kr. er kildens tal for 2022; "
                    "de følgende år er antaget at være det samme, da midlerne er varige fra 2022.)")
    # 6 million DKK in 2022, permanent from 2022: the report gives no later figure, so the demo ASSUMES the
    # same budget every year from 2022 to the current one, and 200,000 DKK to each of the 25 every year.
    years = range(PERMANENT_FROM, today.year + 1)
    for year in years:
        demo.budget(programme, year, BUDGET_KRONER)
    for joined, names in ASSOCIATIONS_BY_START.items():
        for name in names:
            description = "Bydækkende forening." if name in CITY_WIDE else ""
            association = demo.organisation(name, "association", "0101", city="København",
                                            description=description, target_groups=["children", "youth"])
            demo.member(programme, association, "partner", joined)
            for year in years:
                demo.grant(programme, association, year, GRANT_KRONER, purpose="Ressourceperson")
    get2sport = demo.organisation("DIF Get2sport", "national_body")
    demo.member(programme, get2sport, "local_actor", datetime.date(2018, 1, 1))
    # demo accounts of the municipality's administrator and the three consultants (password: core.demo.DEMO_PASSWORD)
    demo.account("kbh-admin@partnerskab.test", "Mette Kristensen", "municipality_admin", municipality="0101")
    for email, (name, _associations) in CONSULTANTS.items():
        demo.account(email, name, "consultant", municipality="0101")
    # demo payments: past years' grants paid; this year's instalments paid, approved and waiting (the
    # consultant requests, the administrator approves)
    from core.demo import payments as demo_payments
    for year in years[:-1]:
        demo_payments.paid_in_full(demo, "kobenhavn-sociale-partnerskaber", year, "kbh-konsulent@partnerskab.test",
                                   "kbh-admin@partnerskab.test")
    demo_payments.yearly_grants(demo, "kobenhavn-sociale-partnerskaber", years[-1], "kbh-konsulent@partnerskab.test",
                                "kbh-admin@partnerskab.test")
    # the lifecycle: calls, applications in every state, an agreement for each of the 25, resource persons,
    # handover notes; and the 2007 framework as one illustrative programme
    from plugins.copenhagen import integration_demo, lifecycle_demo
    lifecycle_demo.load(platform, programme, today)
    integration_demo.load(platform)
    # the demo account of a resource person in the fictional association with a draft in the open call, so a
    # newcomer can take an application from draft to an approved yearly grant in the browser
    demo.account("kbh-forening@partnerskab.test", "Yasmin Rahimi", "resource_person",
                 organisation="eksempelforening-amagerbro")
    # network life, when those capabilities are enabled: the yearly counts of members under 25
    # and the yearly survey of the associations (illustrative figures to the report's; see each module)
    if platform.pm.has_plugin("membership_counts"):
        from plugins.copenhagen import counts_demo
        counts_demo.load(platform, SOCIAL_PARTNERSHIPS)
    if platform.pm.has_plugin("surveys"):
        from plugins.copenhagen import survey_demo
        survey_demo.load(platform, programme)


@hookimpl(optionalhook=True)
def network_life_programme_types(platform):
    """The social partnerships' network life (meetings, required status meetings, action plans)."""
    from plugins.copenhagen import network_life
    return network_life.settings()
