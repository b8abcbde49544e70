"""Copenhagen's network life (used only when the network_life plugin is enabled): the social
partnerships hold every kind of meeting the report names; each association has two status
meetings a year with its consultant — one with the resource person, one also with the board —
and the consultants arrange three to four network meetings a year; action plans run two or
three years under the six focus areas. Source: "Sociale partnerskaber – Erfaringsopsamling"
(March 2023).

The report says two status meetings a year, not when: the demo ASSUMES the one with the
resource person is due by 30 June and the one with the board by 31 December.

The demo's year of network life is ILLUSTRATIVE: the plans' goals, indicators and numbers, the
statuses, the meetings' dates, places and minutes are made up to show how the platform is used
(the report gives no such figures); every such text says so.
"""
from __future__ import annotations

import datetime

from core.i18n import lazy_gettext as _
from plugins.copenhagen import CONSULTANTS, CONSULTANT_OF, SOCIAL_PARTNERSHIPS

ADMIN = "kbh-admin@partnerskab.test"
ASSOCIATION_ACCOUNT = ("kbh-b1908@partnerskab.test", "Sara Holm", "B1908")
ILLUSTRATIVE_DA = "(Illustrativt demodata.)"

# Goals per focus area for the demo's plans: (title, description, indicator (what, unit, direction, baseline, step))
GOALS = {
    1: ("Flere frivillige tager del i bestyrelsesarbejdet", "Opgaver fordeles, så arbejdet ikke hviler på få personer.",
        ("Bestyrelsesmedlemmer med en fast opgave", "personer", "increase", 3, 1)),
    2: ("Flere unge hjælpetrænere", "Unge over 15 år uddannes som hjælpetrænere i samarbejde med ressourcepersonen.",
        ("Hjælpetrænere under 25 år", "personer", "increase", 4, 2)),
    3: ("Faste samarbejder med skoler og klubber i området", "Aftaler om overgange fra skole og klub til foreningen.",
        ("Aktive samarbejdsaftaler", "aftaler", "increase", 1, 1)),
    4: ("Flere bliver i foreningen efter første sæson", "Opfølgning på nye medlemmer, der er ved at falde fra.",
        ("Andel af nye medlemmer, der fortsætter efter et år", "procent", "increase", 55, 5)),
    5: ("Nye børn og unge fra de udsatte byområder", "Prøvetræninger og synlighed i boligområderne.",
        ("Nye medlemmer fra de udsatte byområder", "medlemmer", "increase", 40, 5)),
    6: ("Forældre tager del i foreningens liv", "Forældremøder og opgaver, forældre kan tage, også uden erfaring.",
        ("Forældre, der hjælper ved mindst ét arrangement om året", "personer", "increase", 10, 5)),
}
PROGRESS_CYCLE = ("on_track", "on_track", "at_risk", "achieved", "on_track", "off_track", "not_started", "on_track")
NOTES = {"on_track": "Går som planlagt.", "at_risk": "Færre frivillige end ventet i efteråret.",
         "off_track": "Samarbejdet med skolen er sat på pause.", "achieved": "Målet for året er nået.",
         "not_started": "Sættes i gang efter sommerferien."}
# version states of some associations' plans (the others: one approved version)
PLAN_STATES = {"Amager SK": ("approved", "submitted"), "Fremad Amager": ("approved", "feedback"),
               "Siam Athlete Nation": ("submitted",), "BK Skjold": ("superseded", "approved")}
NO_PLAN = {"Ajax København"}
# associations whose status meeting with the resource person has not been held this year (overdue after 30 June)
NO_SPRING_MEETING = {"Valby IF-Gymnastik", "BK Vestia", "Street Society"}
PLACES = ("Kulturhuset Islands Brygge", "Valby Kulturhus", "Nørrebrohallen", "Bellahøj Svømmestadion, mødelokalet")


def settings():
    from plugins.network_life.config import MEETING_KINDS, ProgrammeSettings, Requirement
    return [ProgrammeSettings(
        SOCIAL_PARTNERSHIPS, meeting_kinds=MEETING_KINDS,
        required=(Requirement(("status_resource_person",), 1, _("Status meeting with the resource person"),
                              due=((6, 30),)),
                  Requirement(("status_board",), 1, _("Status meeting with the board"), due=((12, 31),))),
        network_meetings_per_year=(3, 4), plan_years=(2, 3), demo=load_demo)]


def _goals(index: int, years: range) -> list[tuple]:
    areas = sorted({index % 6 + 1, (index + 3) % 6 + 1, 4})
    goals = []
    for area in areas:
        title, description, (what, unit, direction, baseline, step) = GOALS[area]
        targets = {year: baseline + step * (n + 1) for n, year in enumerate(years)}
        goals.append((area, title, f"{description} {ILLUSTRATIVE_DA}", [(what, unit, direction, baseline, targets)]))
    return goals


def load_demo(helper) -> None:
    from core.demo import Demo
    programme = helper.programme("kobenhavn-sociale-partnerskaber")
    if programme is None:
        return
    today, year = helper.today, helper.today.year
    email, name, club = ASSOCIATION_ACCOUNT
    if helper.organisation(club) is not None:
        Demo(helper.platform).account(email, name, "resource_person", organisation=helper.organisation(club))
    agreements = helper.agreements(programme)
    years = range(year - 1, year + 2)
    everyone = [*CONSULTANTS, ADMIN, email]
    for index, agreement in enumerate(agreements):
        association = agreement.organisation
        consultant = CONSULTANT_OF.get(association.name, next(iter(CONSULTANTS)))
        plan = None
        if association.name not in NO_PLAN:
            plan = helper.plan(agreement, years[0], years[-1], _goals(index, years),
                               states=PLAN_STATES.get(association.name, ("approved",)),
                               summary=f"Foreningens handleplan for {years[0]}–{years[-1]}. {ILLUSTRATIVE_DA}",
                               feedback="Gode mål. Gør indikatoren for fastholdelse mere konkret, og sæt et mål for "
                                        "hvert år." if association.name in PLAN_STATES else "",
                               approver=f"account:{ADMIN}")
        areas = sorted({index % 6 + 1, (index + 3) % 6 + 1, 4})
        dates = [("status_resource_person", year - 1, datetime.date(year - 1, 4, 5 + index % 20)),
                 ("status_board", year - 1, datetime.date(year - 1, 10, 5 + index % 20))]
        if association.name not in NO_SPRING_MEETING:
            dates.append(("status_resource_person", year, datetime.date(year, 3 + index % 3, 5 + index % 20)))
        board_day = datetime.date(year, 9 + index % 3, 5 + index % 20) if index % 2 == 0 \
            else datetime.date(year, 12, 8 + index % 10)
        dates.append(("status_board", year, board_day))
        for kind, meeting_year, day in dates:
            label = "Statusmøde med ressourcepersonen" if kind == "status_resource_person" \
                else "Statusmøde med ressourceperson og bestyrelse"
            meeting = helper.meeting(
                programme, f"kbh-{association.slug}-{kind}-{meeting_year}", kind, f"{label} – {association.name}",
                datetime.datetime.combine(day, datetime.time(16, 30)), minutes=90, place=f"{association.name}, klubhuset",
                organisation=association, organiser=consultant,
                agenda=f"Status på handleplanens indsatsområder. Næste skridt. {ILLUSTRATIVE_DA}",
                invite=[email] if association.name == club else [])
            if day >= today:
                continue
            helper.held(meeting, summary=f"Vi gennemgik handleplanens indsatsområder. {ILLUSTRATIVE_DA}",
                        decisions="Ressourcepersonen følger op på fastholdelse af nye medlemmer.",
                        follow_ups=[("Send oversigt over nye medlemmer til konsulenten", "Ressourcepersonen",
                                     day + datetime.timedelta(days=30))],
                        present=[association], came=[email] if association.name == club else [])
            if plan is not None:
                approved = [v for v in plan.versions if v.state == "approved"]
                if approved:
                    for n, area in enumerate(areas):
                        progress = PROGRESS_CYCLE[(index + n + day.month) % len(PROGRESS_CYCLE)]
                        helper.status(plan, area, meeting_year, progress, f"{NOTES[progress]} {ILLUSTRATIVE_DA}",
                                      meeting=meeting)
    _network(helper, programme, agreements, everyone)


def _network(helper, programme, agreements, everyone) -> None:
    today, year = helper.today, helper.today.year
    partners = [agreement.organisation for agreement in agreements]
    get2sport = helper.organisation("DIF Get2sport")
    plans = [
        (year - 1, 2, 8, "network", "Netværksmøde: årets første", PLACES[0]),
        (year - 1, 5, 10, "network", "Netværksmøde: frivillige og trænere", PLACES[1]),
        (year - 1, 6, 6, "study_trip", "Studietur: foreningssamarbejder i boligområder", "Aarhus (fælles bus fra Valby)"),
        (year - 1, 9, 13, "network", "Netværksmøde: fastholdelse", PLACES[2]),
        (year - 1, 11, 22, "network", "Netværksmøde: året der gik", PLACES[0]),
        (year, 1, 24, "theme", "Temamøde: foreningens økonomi", PLACES[3]),
        (year, 2, 7, "network", "Netværksmøde: årets første", PLACES[1]),
        (year, 4, 20, "theme", "Temamøde: forældreinddragelse", ""),
        (year, 5, 9, "network", "Netværksmøde: rekruttering i boligområderne", PLACES[2]),
        (year, 8, 24, "joint_event", "Fælles idrætsdag med DIF get2sport", "Fælledparken"),
        (year, 9, 12, "network", "Netværksmøde: handleplaner og status", PLACES[0]),
        (year, 10, 3, "training", "Uddannelse: frivilligkoordinering for ressourcepersoner", PLACES[3]),
        (year, 12, 4, "network", "Netværksmøde: året der gik", PLACES[1]),
    ]
    for number, (meeting_year, month, day_of_month, kind, title, place) in enumerate(plans):
        day = datetime.date(meeting_year, month, day_of_month)
        online = kind == "theme" and not place
        cancelled = (meeting_year, month) == (year, 1)
        meeting = helper.meeting(
            programme, f"kbh-network-{meeting_year}-{month:02d}-{kind}", kind, title,
            datetime.datetime.combine(day, datetime.time(17, 0)), minutes=120 if kind == "network" else 150,
            mode="online" if online else "in_person", place=place,
            online_url="https://videomoede.example.org/kbh-tema" if online else "",
            organiser=list(CONSULTANTS)[number % len(CONSULTANTS)], capacity=40 if kind == "training" else None,
            agenda=f"Velkomst. Erfaringsudveksling. Næste skridt. {ILLUSTRATIVE_DA}", invite=everyone,
            cancelled=cancelled)
        if cancelled:
            continue
        if day >= today:
            helper.answers(meeting, {email: "yes" for email in everyone[:3]})
            continue
        present = [p for i, p in enumerate(partners) if (i + number) % 4 != 0]
        if kind in ("joint_event", "study_trip") and get2sport is not None:
            present.append(get2sport)
        helper.held(meeting, summary=f"{len(present)} organisationer deltog. Erfaringer blev delt om årets "
                                     f"indsatser. {ILLUSTRATIVE_DA}",
                    decisions="Næste møde planlægges af konsulenterne.",
                    follow_ups=[("Del oplæggets slides med netværket", "Konsulenterne", day + datetime.timedelta(days=7))],
                    present=present, came=everyone[:3] + everyone[4:])
