"""Copenhagen's yearly counts of members under 25 for the demo (loaded when the
``membership_counts`` plugin is enabled).

The report gives one figure: about 18,340 members under 25 in the 25 associations at the end
of 2022, with no individual data. The split per association and the years 2021 and 2023 are
ILLUSTRATIVE — made up to that order of magnitude, and every such count says so in its note.
The demo shows what the pages must handle: a count missing for 2021 (a gap, not 0), a rise of
more than 30 % with its note, and two associations that have not reported 2023 yet (an
incomplete total). Counts up to 2022 are checked by the consultant; 2023's wait for a check.
"""
from __future__ import annotations

import datetime

from core.demo import ACTOR

METRIC = "members_under_25"
ILLUSTRATIVE = "Demotal: illustrativt (rapporten giver kun summen, ca. 18.340 ved udgangen af 2022)."
# the end of 2022 (adds up to the report's 18,340); 2021 and 2023 follow from these
END_OF_2022 = {
    "Brønshøj Boldklub": 1420, "Fremad Valby": 1050, "Nørrebro Taekwondo Klub": 310, "Nørrebro United": 880,
    "SheZone": 260, "Amager Judo Skole": 420, "BK Skjold": 1610, "BK Union": 540, "BK Vestia": 690,
    "Copenhagen Floorball Club": 330, "Global Kidz": 240, "Hovedstadens Basketball Fællesskab": 560,
    "Hovedstadens Svømmeklub": 1980, "Rollespilsfabrikken": 710, "Stevnsgade Basketball": 380, "B1908": 1270,
    "DUI København": 450, "Fremad Amager": 1150, "IF Stadion": 620, "Street Society": 290, "Ajax København": 740,
    "Amager SK": 360, "Boldklubben Hellas": 830, "Siam Athlete Nation": 200, "Valby IF-Gymnastik": 1050,
}
NOT_REPORTED = {2021: {"Street Society"}, 2023: {"Siam Athlete Nation", "Rollespilsfabrikken"}}
GROWTH = {"Global Kidz": (165, "Demotal: illustrativt. Nyt pigehold og samarbejde med skolen i Bispebjerg.")}


def _value(name: str, base: int, year: int) -> int:
    """A deterministic illustrative count: 2021 a little below 2022, 2023 a little above."""
    step = (sum(map(ord, name)) % 9) - 3   # -3 .. +5, per association
    if year == 2021:
        return GROWTH[name][0] if name in GROWTH else round(base * (0.94 - step / 100))
    if year == 2023:
        return round(base * (1.03 + step / 100))
    return base


def load(platform, programme_type: str) -> None:
    from slugify import slugify

    from core.models.organisation import Organisation
    from plugins.membership_counts import rules
    from plugins.membership_counts.models import CountSetting, MemberCount

    organisations = {o.slug: o for o in Organisation.select().where(
        Organisation.slug.in_([slugify(name)[:180] for name in END_OF_2022]))}
    if not organisations:
        return
    existing = {(row.organisation_id, row.year) for row in MemberCount.select(MemberCount.organisation, MemberCount.year)
                .where(MemberCount.metric == METRIC, MemberCount.organisation.in_([o.id for o in organisations.values()]))}
    first_load = not existing
    if first_load and not CountSetting.select().where(CountSetting.programme_type == programme_type).exists():
        rules.set_metrics({programme_type: {METRIC}}, ACTOR)
    if METRIC not in rules.settings_by_type().get(programme_type, []):
        return  # switched off by the municipality: the demo leaves it so
    today = datetime.date.today()
    for year in (2021, 2022, 2023):
        for name, base in END_OF_2022.items():
            organisation = organisations.get(slugify(name)[:180])
            if organisation is None or name in NOT_REPORTED.get(year, ()) or (organisation.id, year) in existing:
                continue
            note = GROWTH[name][1] if name in GROWTH and year == 2022 else ILLUSTRATIVE
            row, _outcome = rules.record_count(organisation, {"metric": METRIC, "year": str(year),
                                                              "value": str(_value(name, base, year)), "note": note},
                                               ACTOR, today)
            if year < 2023:
                rules.check_counts([row], ACTOR, datetime.date(year + 1, 3, 1))
