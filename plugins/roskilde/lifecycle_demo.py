"""Roskilde's round in the demo: the application process of autumn 2020 that chose the seven
associations (agreements 2021–2023, ended with the programme), with RBBC's change of resource
person and its handover note. The two applicants that were not chosen are fictional
('Eksempelforening …'): the source names no other applicants. Resource persons' names other
than the demo account's are fictional.
"""
import datetime

from slugify import slugify

from core.demo import Demo
from core.demo.lifecycle import LifecycleDemo
from core.models import Organisation

ADMIN = "roskilde-admin@partnerskab.test"
APPLICANT = "rbbc-bestyrelse@partnerskab.test"


def load(platform, programme, associations):
    demo, life = Demo(platform), LifecycleDemo(platform)
    call = life.call(programme, "Sociale partnerskabsforeninger 2021–2023", datetime.date(2020, 9, 1),
                     datetime.date(2020, 10, 31),
                     description="Puljen fra boligpolitikken: 750.000 kr. om året til ressourcepersoner i 10–12 timer "
                                 "om ugen i lokale folkeoplysende foreninger.")
    answers = {"adult_education_association": "yes",
               "new_to_association_life": "Åbne træninger og en ressourceperson, der tager imod nye børn og forældre."}
    for name in associations:
        organisation = Organisation.get(Organisation.slug == slugify(name)[:180])
        rbbc = organisation.slug == "roskilde-basketball-club-rbbc"
        application = life.application(
            call, organisation, "accepted", answers=answers, submitted_on=datetime.date(2020, 10, 20),
            applicant=APPLICANT if rbbc else None, decided_on=datetime.date(2020, 12, 1), decider=ADMIN,
            reason="Udvalgt blandt de kvalificerede ansøgere.")
        if rbbc:
            life.resource_persons(life.agreement_of(application), (
                ("Jesper Vang", "", 10, datetime.date(2021, 1, 1), ""),
                ("Ali Hassan", "ali.hassan@rbbc.example", 12, datetime.date(2022, 8, 1),
                 "Åbne træninger i Sønderlundskvarteret tirsdag og torsdag; kontakt til SFO'erne via netværket. "
                 "Boligselskabet Sjællands boligsociale medarbejdere henviser nye børn."),
            ))
    for name, status in (("Eksempelforening Roskilde Øst", "rejected"), ("Eksempelforening Himmelev", "withdrawn")):
        organisation = demo.organisation(name, "association", "0265", city="Roskilde",
                                         description="Fiktiv eksempelforening i demodata.")
        life.application(call, organisation, status, answers=answers, submitted_on=datetime.date(2020, 10, 25),
                         decided_on=datetime.date(2020, 12, 1), decider=ADMIN,
                         reason="Puljen rakte til syv foreninger; andre ansøgere var tættere på målgruppen.")
