"""Copenhagen's programme lifecycle in the demo: an agreement for each of the 25 associations,
each followed by one of the three consultants (``CONSULTANT_OF``). The mid-2020 intake is a call
whose five accepted applications became agreements (the annex's 'mid-2020' associations); the
partners of 2012, 2018 and January 2020 have agreements recorded without an application. As the
report says, agreements run four years and are extended: each is renewed term by term up to
today (one, Street Society, is extended only until shortly ahead, so it ends soon). An open call
has applications waiting. The applicants that are not in the annex are fictional
('Eksempelforening …'): the report names no rejected or pending applicants. Resource persons'
names are fictional too; IF Stadion's post is empty for the demo's to-do list.
"""
import datetime

from slugify import slugify

from core.demo import Demo
from core.demo.lifecycle import LifecycleDemo
from core.models import Organisation
from core.todo import ENDING_SOON_DAYS
from plugins.copenhagen import ASSOCIATIONS_BY_START, CONSULTANT_OF

CONSULTANT = "kbh-konsulent@partnerskab.test"
ADMIN = "kbh-admin@partnerskab.test"
RENEWED = "Forlænget efter statusmøderne: god udvikling (demodata)."
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
    renew_until = today + datetime.timedelta(days=ENDING_SOON_DAYS)
    for name in ("Ajax København", "Amager SK", "Boldklubben Hellas", "Siam Athlete Nation", "Valby IF-Gymnastik"):
        application = life.application(
            intake, _organisation(name), "accepted", answers={**good, "1": "Fastholdelse og rekruttering."},
            submitted_on=datetime.date(2020, 4, 20),
            reviews=((CONSULTANT_OF[name], 4, "Stærk forankring i lokalområdet."),),
            decided_on=datetime.date(2020, 6, 1), decider=ADMIN,
            reason="Opfylder kriterierne og har en klar plan for fastholdelse.",
            start_date=datetime.date(2020, 7, 1), consultant=CONSULTANT_OF[name])
        agreement = life.agreement_of(application)
        if agreement is not None:
            life.renew(agreement, renew_until, RENEWED)
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

    # The partners of 2012, 2018 and January 2020: agreements recorded without an application, renewed
    # term by term; one ends soon (extended until a new round), one has no resource person right now.
    for joined in (datetime.date(2012, 1, 1), datetime.date(2018, 1, 1), datetime.date(2020, 1, 1)):
        for name in ASSOCIATIONS_BY_START[joined]:
            ending = name == "Street Society"
            agreement = life.agreement(
                programme, _organisation(name), joined, consultant=CONSULTANT_OF[name],
                renew_until=None if ending else renew_until,
                extend_to=today + datetime.timedelta(days=60) if ending else None,
                extension_reason="Forlænget til næste ansøgningsrunde (demodata)." if ending else RENEWED)
            if name != "IF Stadion":
                life.resource_persons(agreement, ((f"Ressourceperson i {name}", "", 22, joined, ""),))

    # An open call with applications waiting for review and decision.
    open_call = life.call(programme, f"Optag af nye partnerskabsforeninger {today.year + 1}",
                          today - datetime.timedelta(days=21),
                          today + datetime.timedelta(days=30),
                          description="Ny ansøgningsrunde: foreninger med mindst 100 medlemmer under 25 år.",
                          questions=("Hvilke indsatsområder vil foreningen arbejde med først?",))
    recent = today - datetime.timedelta(days=7)
    life.application(open_call, fictional("Eksempelforening Sydhavn"), "submitted",
                     answers={**good, "1": "Forældreinddragelse."}, submitted_on=recent)
    life.application(open_call, fictional("Eksempelforening Bispebjerg"), "under_review",
                     answers={**good, "1": "Lokalt samarbejde."}, submitted_on=recent,
                     reviews=((CONSULTANT, 4, "Godt lokalt netværk."),))
    # a smaller association: 50 members under 25 misses a selection criterion, which the reviewers see flagged
    life.application(open_call, fictional("Eksempelforening Tingbjerg"), "submitted",
                     answers={**good, "min_members_under_25": "50", "1": "Rekruttering af udsatte børn og unge."},
                     submitted_on=recent)
    life.application(open_call, fictional("Eksempelforening Amagerbro"), "draft",
                     answers={"min_members_under_25": "140"})
    life.application(open_call, fictional("Eksempelforening Valby Bakke"), "withdrawn",
                     answers={**good, "1": "Intern organisering."}, submitted_on=recent)


def _application(call, name):
    from core.models.application import Application
    return Application.get(Application.call == call.id, Application.organisation == _organisation(name).id)
