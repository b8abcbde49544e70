"""Roskilde's network life (used only when the network_life plugin is enabled): the partnership
associations meet with the municipality and local actors — schools, SFO, fritidshjem,
Boligselskabet Sjælland's housing-social effort and DIF Get2sport — to exchange experience.
The source names the network, not how often it met: the programme holds network and theme
meetings and joint events, and no meeting is required per association. No action plans.

The demo's meetings 2021–2023 (dates, places, minutes, who was present) are ILLUSTRATIVE, and
say so.
"""
from __future__ import annotations

import datetime

from plugins.roskilde import ASSOCIATIONS, TYPE_KEY

ADMIN = "roskilde-admin@partnerskab.test"
PEOPLE = (ADMIN, "rbbc-ressourceperson@partnerskab.test", "rbbc-bestyrelse@partnerskab.test")
ILLUSTRATIVE_DA = "(Illustrativt demodata.)"
LOCAL_ACTORS = ("Skoler i Roskilde Kommune", "SFO’er i Roskilde Kommune", "Fritidshjem i Roskilde Kommune",
                "Boligselskabet Sjælland", "DIF Get2sport", "Roskilde Kommune, Kultur og Idræt")
MEETINGS = (
    # (month, day, kind, title, place, local actors present (indexes into LOCAL_ACTORS))
    (3, 10, "network", "Netværksmøde: foreninger, skoler og SFO", "Roskilde Rådhus, mødesal 1", (0, 1, 5)),
    (6, 9, "theme", "Temamøde: den gode modtagelse af nye børn", "Sønderlundskvarterets Idrætsforening, klubhuset",
     (1, 2, 3, 5)),
    (10, 27, "network", "Netværksmøde: erfaringer fra sæsonstarten", "Boligselskabet Sjællands beboerhus",
     (0, 3, 4, 5)),
)


def settings():
    from plugins.network_life.config import ProgrammeSettings
    return [ProgrammeSettings(TYPE_KEY, meeting_kinds=("network", "theme", "training", "joint_event"),
                              action_plans=False, demo=load_demo)]


def load_demo(helper) -> None:
    programme = helper.programme("roskilde-sociale-partnerskabsforeninger")
    if programme is None:
        return
    associations = [helper.organisation(name) for name in ASSOCIATIONS]
    actors = [helper.organisation(name) for name in LOCAL_ACTORS]
    for year in (2021, 2022, 2023):
        for number, (month, day, kind, title, place, present_actors) in enumerate(MEETINGS):
            start = datetime.datetime(year, month, day, 16, 30)
            meeting = helper.meeting(
                programme, f"roskilde-{year}-{month:02d}-{kind}", kind, f"{title} ({year})", start, minutes=120,
                place=place, organiser=ADMIN, invite=PEOPLE,
                agenda=f"Runde: hvordan går det med at byde nye børn og unge velkommen? Lokale samarbejder. "
                       f"{ILLUSTRATIVE_DA}")
            if start.date() >= helper.today:
                continue
            present = [a for i, a in enumerate(associations) if (i + number + year) % 5 != 0]
            present += [actors[i] for i in present_actors]
            helper.held(meeting, summary=f"Foreningerne delte erfaringer med skoler, SFO og boligsociale "
                                         f"medarbejdere. {ILLUSTRATIVE_DA}",
                        decisions="Foreningerne inviterer skolernes klasser til prøvetræning i næste kvartal.",
                        follow_ups=[("Saml foreningernes prøvetræninger i én oversigt til skolerne", "Kultur og Idræt",
                                     start.date() + datetime.timedelta(days=21))],
                        present=present, came=PEOPLE[:2] if number % 2 else PEOPLE)
    get2sport = helper.organisation("DIF Get2sport")
    event = helper.meeting(programme, "roskilde-2022-08-joint_event", "joint_event",
                           "Fælles idrætsdag med DIF Get2sport (2022)", datetime.datetime(2022, 8, 27, 10, 0),
                           minutes=300, place="Roskilde Idrætspark", organiser=ADMIN, invite=PEOPLE,
                           agenda=f"Foreningerne viser deres idrætter for børn fra boligområderne. {ILLUSTRATIVE_DA}")
    helper.held(event, summary=f"Syv foreninger og DIF Get2sport stod for aktiviteterne. {ILLUSTRATIVE_DA}",
                present=[*associations, get2sport, actors[3]], came=PEOPLE)
