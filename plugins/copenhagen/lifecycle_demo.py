"""Copenhagen's programme lifecycle in the demo: the mid-2020 intake as a call whose five
accepted applications became agreements (the annex's 'mid-2020' associations), the January
2020 partners' agreements recorded without an application, and an open call with applications
waiting. The applicants that are not in the annex are fictional ('Eksempelforening …'): the
report names no rejected or pending applicants. Resource persons' names are fictional too.
"""
import datetime

from slugify import slugify

from core.demo import Demo
from core.lifecycle_demo import LifecycleDemo
from core.models import Organisation

CONSULTANT = "kbh-konsulent@partnerskab.test"
ADMIN = "kbh-admin@partnerskab.test"
YES = "yes"


def _organisation(name):
    return Organisation.get(Organisation.slug == slugify(name)[:180])


def load(platform, programme, today=None):
    today = today or datetime.date.today()
    demo, life = Demo(platform), LifecycleDemo(platform)

    def fictional(name):
        return demo.organisation(name, "association", "0101", city="København",
                                 description="Fiktiv eksempelforening i demodata.")

    good = {"min_members_under_25": "180", "vulnerable_urban_areas": YES, "experience": "6"}
    # The mid-2020 intake: applications in spring 2020, agreements from 1 July 2020.
    intake = life.call(programme, "Optag af nye partnerskabsforeninger 2020", datetime.date(2020, 2, 1),
                       datetime.date(2020, 4, 30),
                       description="Ansøgningsrunde for foreninger i og omkring de udsatte byområder.",
                       questions=("Hvilke indsatsområder vil foreningen arbejde med først?",))
    for name in ("Ajax København", "Amager SK", "Boldklubben Hellas", "Siam Athlete Nation", "Valby IF-Gymnastik"):
        application = life.application(
            intake, _organisation(name), "accepted", answers={**good, "1": "Fastholdelse og rekruttering."},
            submitted_on=datetime.date(2020, 4, 20),
            reviews=((CONSULTANT, 4, "Stærk forankring i lokalområdet."),),
            decided_on=datetime.date(2020, 6, 1), decider=ADMIN,
            reason="Opfylder kriterierne og har en klar plan for fastholdelse.",
            start_date=datetime.date(2020, 7, 1), consultant=CONSULTANT)
        agreement = life.agreement_of(application)
        if agreement is not None and not agreement.extensions.exists():
            from core.rules import agreements
            agreements.extend_agreement(platform, agreement, new_end=datetime.date(2028, 6, 30),
                                        reason="Forlænget efter statusmøde: god udvikling.", actor="demo-data")
    life.application(intake, fictional("Eksempelforening Nordvest"), "rejected",
                     answers={**good, "min_members_under_25": "120", "experience": "2",
                              "1": "Rekruttering af frivillige."},
                     submitted_on=datetime.date(2020, 4, 28),
                     reviews=((CONSULTANT, 2, "For lidt erfaring med målgruppen endnu."),),
                     decided_on=datetime.date(2020, 6, 1), decider=ADMIN,
                     reason="Andre ansøgere havde mere erfaring med udsatte børn og unge.")
    ajax = life.agreement_of(_application(intake, "Ajax København"))
    life.resource_persons(ajax, (
        ("Sara Holm", "sara.holm@ajax.example", 25, datetime.date(2020, 7, 1), ""),
        ("Omar Nasser", "omar.nasser@ajax.example", 20, datetime.date(2024, 3, 1),
         "Holdene på Amager Fælled kører mandag og onsdag; kontakt til skolen via SFO-lederen. "
         "Handleplanen for 2024–2026 ligger som bilag til aftalen; næste statusmøde er i september."),
    ))
    for name, person in (("Amager SK", "Lene Dahl"), ("Boldklubben Hellas", "Mikkel Juhl"),
                         ("Siam Athlete Nation", "Nok Sørensen"), ("Valby IF-Gymnastik", "Camilla Berg")):
        agreement = life.agreement_of(_application(intake, name))
        life.resource_persons(agreement, ((person, "", 20, datetime.date(2020, 7, 1), ""),))

    # The January 2020 partners: agreements recorded without an application, extended; one ends soon,
    # one has no resource person right now.
    for name in ("B1908", "DUI København", "Fremad Amager", "IF Stadion", "Street Society"):
        ending = name == "Street Society"
        agreement = life.agreement(
            programme, _organisation(name), datetime.date(2020, 1, 1), consultant=CONSULTANT,
            extend_to=today + datetime.timedelta(days=60) if ending else datetime.date(2027, 12, 31),
            extension_reason="Forlænget til ny ansøgningsrunde." if ending else "Forlænget efter statusmøde.")
        if name != "IF Stadion":
            life.resource_persons(agreement, ((f"Ressourceperson i {name}", "", 22, datetime.date(2020, 1, 1), ""),))

    # An open call with applications waiting for review and decision.
    open_call = life.call(programme, "Optag af nye partnerskabsforeninger 2027", today - datetime.timedelta(days=21),
                          today + datetime.timedelta(days=30),
                          description="Ny ansøgningsrunde: foreninger med mindst 100 medlemmer under 25 år.",
                          questions=("Hvilke indsatsområder vil foreningen arbejde med først?",))
    recent = today - datetime.timedelta(days=7)
    life.application(open_call, fictional("Eksempelforening Sydhavn"), "submitted",
                     answers={**good, "1": "Forældreinddragelse."}, submitted_on=recent)
    life.application(open_call, fictional("Eksempelforening Bispebjerg"), "under_review",
                     answers={**good, "1": "Lokalt samarbejde."}, submitted_on=recent,
                     reviews=((CONSULTANT, 4, "Godt lokalt netværk."),))
    life.application(open_call, fictional("Eksempelforening Amagerbro"), "draft",
                     answers={"min_members_under_25": "140"})
    life.application(open_call, fictional("Eksempelforening Valby Bakke"), "withdrawn",
                     answers={**good, "1": "Intern organisering."}, submitted_on=recent)


def _application(call, name):
    from core.models.application import Application
    return Application.get(Application.call == call.id, Application.organisation == _organisation(name).id)
