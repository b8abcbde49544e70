"""Roskilde Kommune: "Sociale partnerskabsforeninger" (social partnership associations).

Seven adult-education-act associations each employ a resource person 10–12 hours a week,
January 2021 – December 2023, from a pool of 750,000 DKK a year (the municipality's housing
policy), to welcome and keep children and young people who are new to association life. A
network links them with the municipality, schools, SFO and fritidshjem; Boligselskabet
Sjælland's housing-social effort and DIF Get2sport are close partners.
Source: roskilde.dk, "Sociale partnerskabsforeninger".
"""
import datetime

from core.hookspecs import hookimpl
from core.i18n import lazy_gettext as _
from core.programme_types import Criterion, ProgrammeType

__version__ = "1.0.0"

TYPE_KEY = "roskilde-social-partnership-associations"

PROGRAMME_TYPE = ProgrammeType(
    key=TYPE_KEY,
    name=_("Social partnership associations (Roskilde)"),
    plugin="roskilde",
    summary=_("Associations employ a resource person to welcome and keep children and young people "
              "who are new to association life."),
    owner_kinds=("municipality",),
    resource_person_hours_min=10,
    resource_person_hours_max=12,
    fixed_period=(datetime.date(2021, 1, 1), datetime.date(2023, 12, 31)),
    target_groups=("children", "youth"),
    criteria=(
        Criterion("adult_education_association", _("A local adult-education-act (folkeoplysende) association in Roskilde Municipality"),
                  question=_("Is the association a local adult-education-act association in Roskilde Municipality?"),
                  answer="yes_no"),
        Criterion("new_to_association_life", _("Works to include and keep children and young people who are new to association life or socially vulnerable"),
                  question=_("How will you welcome and keep children and young people who are new to association life?"),
                  answer="text"),
        Criterion("application", _("Selected through an application process among qualified applicants")),
    ),
    reporting=(
        _("Takes part in the network with the other associations, the municipality and local actors"),
        _("Shares good experience with the other associations in the municipality"),
    ),
    source="Roskilde Kommune: Sociale partnerskabsforeninger",
)

ASSOCIATIONS = (
    "AIR Roskilde Brydeklub",
    "KFUM’s Boldklub Roskilde",
    "Roskilde Basketball Club (RBBC)",
    "Roskilde Boldklub af 1906",
    "Roskilde Håndbold",
    "Sønderlundskvarterets Idrætsforening",
    "Turning Tables Danmark – Roskilde afdelingen",
)
POOL_KRONER = 750_000  # a year, 2021–2023
# ILLUSTRATIVE: the pool split evenly over the seven, rounded down to whole thousands (107,000 DKK each)
GRANT_KRONER = POOL_KRONER // len(ASSOCIATIONS) // 1000 * 1000
GRANT_PURPOSE = ("Ressourceperson 10–12 timer om ugen. Illustrativ fordeling: kilden oplyser puljen på 750.000 kr. "
                 "om året, ikke den enkelte forenings andel.")


@hookimpl
def register_programme_types():
    return [PROGRAMME_TYPE]


@hookimpl
def load_demo_data(platform):
    from core.demo import Demo
    demo = Demo(platform)
    demo.municipality("0265", "Roskilde Kommune", "Region Sjælland")
    funder = demo.organisation("Roskilde Kommune, Kultur og Idræt", "municipal_unit", "0265",
                               description="Kommunens afdeling for kultur og idræt; udmelder puljen fra boligpolitikken.")
    programme = demo.programme(
        "roskilde-sociale-partnerskabsforeninger", "Sociale partnerskabsforeninger", TYPE_KEY, "0265",
        start=datetime.date(2021, 1, 1), end=datetime.date(2023, 12, 31), funder=funder, status="ended",
        description="Partnerskabsaftaler med 7 lokale folkeoplysende foreninger, der skal styrke indsatsen "
                    "omkring ikke foreningsvante børn og unge i kommunen.")
    for year in (2021, 2022, 2023):
        demo.budget(programme, year, POOL_KRONER)
    for name in ASSOCIATIONS:
        association = demo.organisation(name, "association", "0265", city="Roskilde",
                                        target_groups=["children", "youth"])
        demo.member(programme, association, "partner", datetime.date(2021, 1, 1))
    # close collaboration partners in the project (the source: "tætte samarbejdspartnere"), not partnership
    # associations: local actors in the network, with no agreement and no grant
    for name, kind, municipality, description in (
            ("Boligselskabet Sjælland", "housing_association", "0265",
             "Boligselskabet Sjællands boligsociale indsats: tæt samarbejdspartner om aktiviteter i boligområderne."),
            ("DIF Get2sport", "national_body", None, "")):
        partner = demo.organisation(name, kind, municipality, description=description)
        demo.member(programme, partner, "local_actor", datetime.date(2021, 1, 1))
    for name in ("Skoler i Roskilde Kommune", "SFO’er i Roskilde Kommune", "Fritidshjem i Roskilde Kommune"):
        local_actor = demo.organisation(name, "school_institution", "0265", target_groups=["children", "youth"])
        demo.member(programme, local_actor, "local_actor", datetime.date(2021, 1, 1))
    # demo accounts of a partnership association: its resource person and a board member
    # (password: core.demo.DEMO_PASSWORD)
    club = "roskilde-basketball-club-rbbc"
    demo.account("rbbc-ressourceperson@partnerskab.test", "Ali Hassan", "resource_person", organisation=club)
    demo.account("rbbc-bestyrelse@partnerskab.test", "Karen Nielsen", "board_member", organisation=club)
    # grants: the source gives the pool (750,000 DKK a year), not each association's share. ILLUSTRATIVE split,
    # labelled so in each grant's purpose: the pool evenly over the seven, rounded down to whole thousands.
    # The municipality's administrator requests the payments, the platform's approves: 2021 and 2022 paid,
    # 2023 paid, approved and waiting for three of them.
    demo.account("roskilde-admin@partnerskab.test", "Sofie Holm", "municipality_admin", municipality="0265")
    for year in (2021, 2022, 2023):
        for name in ASSOCIATIONS:
            demo.grant(programme, demo.organisation(name, "association", "0265"), year, GRANT_KRONER,
                       purpose=GRANT_PURPOSE)
    from core.demo import payments as demo_payments
    for year in (2021, 2022):
        demo_payments.paid_in_full(demo, programme.slug, year, "roskilde-admin@partnerskab.test",
                                   "admin@partnerskab.test")
    demo_payments.yearly_grants(demo, programme.slug, 2023, "roskilde-admin@partnerskab.test",
                                "admin@partnerskab.test")
    # the lifecycle: the 2020 application round, the agreements 2021–2023, RBBC's handover
    from plugins.roskilde import lifecycle_demo
    lifecycle_demo.load(platform, programme, ASSOCIATIONS)


@hookimpl(optionalhook=True)
def network_life_programme_types(platform):
    """Roskilde's network meetings with local actors."""
    from plugins.roskilde import network_life
    return network_life.settings()
