"""Copenhagen's yearly survey of the partnership associations for the demo (loaded when the
``surveys`` plugin is enabled).

The questions are the report's ("Sociale partnerskaber – Erfaringsopsamling", 2023): how the
collaboration with the municipal contact person works (96 % "always" or "mostly good", spring
2021), success per focus area (most with local collaborations and recruiting the target group,
least with recruiting volunteers), the biggest challenges (involving parents, retention; less
so reaching the children, collaborations and funding; navigating the seven administrations),
what the associations get out of it, and whether they got more vulnerable children and young
people (76 % yes, 12 % no). The individual answers are ILLUSTRATIVE — made up so the shares
reproduce the report's percentages with all 25 associations answering — and the surveys say so
in their introductions. 2022 repeats the questions with the same keys (figures illustrative; one
new choice, facility times, which 2021 did not offer) so the years can be compared.
"""
from __future__ import annotations

import datetime

from core.demo import ACTOR

SERIES = "foreningsundersoegelse"
TITLE = "Spørgeskemaundersøgelse blandt partnerskabsforeningerne {year}"
INTRODUCTION = ("Kultur- og Fritidsforvaltningen spørger hvert forår partnerskabsforeningerne om samarbejdet og "
                "indsatserne. Undersøgelsen er anonym. (Demodata: de enkelte svar er illustrative og opdigtede, så "
                "andelene gengiver erfaringsopsamlingens procenter; {note})")
NOTES = {2021: "96 % svarer 'altid godt' eller 'for det meste godt', 76 % har fået flere udsatte børn og unge, "
               "12 % ikke.)",
         2022: "2022-tallene findes ikke i kilden og er helt illustrative.)"}
FOCUS_ROWS = [("io1", "Foreningens interne organisering og struktur"),
              ("io2", "Rekruttering og inddragelse af frivillige/trænere"),
              ("io3", "Lokale samarbejder om målgruppen"),
              ("io4", "Fastholdelse af udsatte børn og unge"),
              ("io5", "Rekruttering af udsatte børn og unge"),
              ("io6", "Forældreinddragelse")]
SUCCESS = [("stor", "Stor succes"), ("nogen", "Nogen succes"), ("lille", "Lille eller ingen succes")]
CHALLENGES = [("foraeldre", "Forældreinvolvering"), ("fastholdelse", "Fastholdelse af udsatte børn og unge"),
              ("frivillige", "Rekruttering af frivillige"),
              ("forvaltninger", "At navigere i kommunens syv forvaltninger"),
              ("naa_ud", "At nå ud til de udsatte børn og unge"), ("samarbejder", "At etablere samarbejdsrelationer"),
              ("finansiering", "At finde finansiering")]


def questions(year: int) -> list[dict]:
    challenges = CHALLENGES + ([("facilitetstider", "Mangel på facilitetstider")] if year >= 2022 else [])
    return [
        {"key": "samarbejde_konsulent", "kind": "single", "required": "on",
         "text": "Hvordan fungerer samarbejdet med jeres kontaktperson i kommunen?",
         "options": "altid_godt = Altid godt\nmest_godt = For det meste godt\nnogle_gange = Nogle gange godt\n"
                    "sjaeldent = Sjældent godt\nved_ikke = Ved ikke"},
        {"key": "flere_udsatte", "kind": "yes_no", "required": "on", "focus_area": "5",
         "text": "Har foreningen fået flere udsatte børn og unge under det sociale partnerskab?"},
        {"key": "succes_indsatsomraader", "kind": "matrix",
         "text": "Hvor meget succes har I haft med indsatserne inden for hvert indsatsområde?",
         "rows": "\n".join(f"{k} = {v}" for k, v in FOCUS_ROWS), "options": "\n".join(f"{k} = {v}" for k, v in SUCCESS)},
        {"key": "stoerste_udfordringer", "kind": "multiple",
         "text": "Hvad er jeres største udfordringer i partnerskabet?", "help": "Sæt gerne flere krydser.",
         "options": "\n".join(f"{k} = {v}" for k, v in challenges)},
        {"key": "udbytte", "kind": "multiple", "text": "Hvad får foreningen ud af partnerskabet?",
         "help": "Sæt gerne flere krydser.",
         "options": "maalrettet = At arbejde målrettet med indsatser for udsatte børn og unge\n"
                    "lokale_aktoerer = Ressourcer til samarbejde med lokale aktører\n"
                    "adgang = Bedre adgang til kommunen\n"
                    "anerkendelse = Anerkendelse og status over for puljer og fonde"},
        {"key": "tilfredshed", "kind": "scale", "scale_min": "1", "scale_max": "5", "scale_low": "Meget utilfreds",
         "scale_high": "Meget tilfreds", "text": "Hvor tilfredse er I samlet set med det sociale partnerskab?"},
        {"key": "timer_ressourceperson", "kind": "number",
         "text": "Hvor mange timer om ugen arbejder jeres ressourceperson?"},
        {"key": "kommentar", "kind": "text", "text": "Har I andre kommentarer til partnerskabet?"},
    ]


def _spread(counts: list[tuple[str, int]]) -> list[str]:
    """``[(answer, how many)]`` as one answer per association, in order (25 in all)."""
    return [key for key, n in counts for _ in range(n)]


def answers(year: int) -> list[dict]:
    """The 25 associations' illustrative answers: the shares reproduce the report's figures."""
    if year == 2021:
        consultant = _spread([("altid_godt", 16), ("mest_godt", 8), ("nogle_gange", 1)])    # 96 % always/mostly
        more = _spread([("yes", 19), ("no", 3), ("dont_know", 3)])                          # 76 % yes, 12 % no
        ticked = {"foraeldre": 17, "fastholdelse": 15, "frivillige": 14, "forvaltninger": 9, "naa_ud": 4,
                  "samarbejder": 3, "finansiering": 3}
        gains = {"maalrettet": 22, "lokale_aktoerer": 19, "adgang": 17, "anerkendelse": 11}
        satisfied = _spread([("5", 11), ("4", 10), ("3", 3), ("2", 1)])
    else:
        consultant = _spread([("altid_godt", 15), ("mest_godt", 9), ("sjaeldent", 1)])
        more = _spread([("yes", 20), ("no", 2), ("dont_know", 3)])
        ticked = {"foraeldre": 16, "fastholdelse": 14, "frivillige": 15, "forvaltninger": 8, "naa_ud": 3,
                  "samarbejder": 3, "finansiering": 4, "facilitetstider": 10}
        gains = {"maalrettet": 23, "lokale_aktoerer": 18, "adgang": 18, "anerkendelse": 12}
        satisfied = _spread([("5", 12), ("4", 10), ("3", 3)])
    # success per focus area: most with local collaborations (io3) and recruiting the target group (io5),
    # least with recruiting volunteers (io2)
    success = {"io1": [("stor", 9), ("nogen", 12), ("lille", 4)], "io2": [("stor", 3), ("nogen", 9), ("lille", 13)],
               "io3": [("stor", 17), ("nogen", 7), ("lille", 1)], "io4": [("stor", 8), ("nogen", 12), ("lille", 5)],
               "io5": [("stor", 16), ("nogen", 8), ("lille", 1)], "io6": [("stor", 5), ("nogen", 11), ("lille", 9)]}
    success_by_row = {row: _spread(counts) for row, counts in success.items()}
    comments = {0: "Vi har bedre forudsætninger for at arbejde strategisk med langsigtede mål.",
                3: "Vores kontaktperson står altid til rådighed, og er altid klar til en snak.",
                7: "Fastholdelsen er en udfordring: de udsatte børn og unge zapper ofte mellem tilbud."}
    found = []
    for n in range(25):
        found.append({
            "samarbejde_konsulent": consultant[n], "flere_udsatte": more[n],
            "succes_indsatsomraader": {row: success_by_row[row][(n * 7 + i) % 25] for i, row in enumerate(success)},
            "stoerste_udfordringer": [key for key, count in ticked.items() if (n * 3 + len(key)) % 25 < count],
            "udbytte": [key for key, count in gains.items() if (n * 7 + len(key)) % 25 < count],
            "tilfredshed": int(satisfied[n]), "timer_ressourceperson": 20 + (n * 7) % 18,
            **({"kommentar": comments[n]} if n in comments and year == 2021 else {}),
        })
    return found


def load(platform, programme) -> None:
    from core.models.membership import Membership
    from plugins.surveys import questions as q, rules
    from plugins.surveys.models import Survey, SurveyInvitation, SurveyQuestion

    for year, opened, closes in ((2021, datetime.date(2021, 4, 6), datetime.date(2021, 5, 14)),
                                 (2022, datetime.date(2022, 4, 5), datetime.date(2022, 5, 13))):
        if Survey.select().where(Survey.programme == programme.id, Survey.series == SERIES, Survey.year == year).exists():
            continue
        if not Membership.select().where(Membership.programme == programme.id, Membership.role == "partner").exists():
            return
        survey = rules.create_survey(programme, {
            "series": SERIES, "year": str(year), "title": TITLE.format(year=year), "anonymous": "on",
            "introduction": INTRODUCTION.format(note=NOTES[year]), "closes_on": closes.isoformat()},
            ACTOR, today=opened)
        for question in questions(year):
            rules.save_question(platform, survey, question, ACTOR)
        rules.open_survey(platform, Survey.get_by_id(survey.id), ACTOR, platform.settings.base_url, today=opened)
        survey = Survey.get_by_id(survey.id)
        asked = list(SurveyQuestion.select().where(SurveyQuestion.survey == survey.id))
        invitations = list(SurveyInvitation.select().where(SurveyInvitation.survey == survey.id)
                           .order_by(SurveyInvitation.id))
        for invitation, given in zip(invitations, answers(year)):
            rules.submit_response(survey, invitation, q.JsonForm(asked, given), ACTOR,
                                  today=opened + datetime.timedelta(days=10))
        rules.close_survey(survey, ACTOR, today=closes)
