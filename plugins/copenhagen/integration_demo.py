"""The 2007 framework for integration partnerships as one ILLUSTRATIVE programme, so its goals
and its evaluation show in the demo: the framework (Borgerrepræsentationen 11 October 2007, annex
1) sets out what a partnership is, not who got one, so the organisation, the dates and every
figure here are assumed. The source gives: larger voluntary organisations, about two volunteer
consultants funded by the grant, the 5 vulnerable housing areas, Amager and the Sundholmsvej
neighbourhoods, a three-year agreement with Socialforvaltningen, and applicants who state goals
for activities and effect (volunteers recruited and retained) and are evaluated against them
(BR 112/07B). It names no amount, so the programme has no budget in the demo.
"""
import datetime

from core.demo import Demo
from core.demo.lifecycle import LifecycleDemo
from plugins.copenhagen import INTEGRATION_2007

SLUG = "kobenhavn-integrationspartnerskaber-2008"
ADMIN = "kbh-admin@partnerskab.test"
ILLUSTRATIVE = "Illustrativt eksempel i demodata: rammen fra 2007 nævner ingen organisation, datoer eller tal."
GOALS = ("Mål for aktiviteter og effekt (illustrative): fem lektiecaféer og to grupper for forældrerådgivning i "
         "de udsatte boligområder og på Amager; 60 frivillige rekrutteret og 40 fastholdt over de tre år; "
         "120 unge i mentorforløb om uddannelse, job og praktikplads.")
MIDWAY = ("Midtvejsstatus mod målene i ansøgningen (illustrativ): fire af fem lektiecaféer i gang, begge "
          "forældregrupper kører; 47 frivillige rekrutteret, 33 fastholdt; 70 unge i mentorforløb. Slutevalueringen "
          "efter BR 112/07B laves i efteråret 2010 med de samme tal. Den nye frivillighedskonsulent overtager "
          "kontakten til lektiecaféerne på Amager.")


def load(platform):
    demo, life = Demo(platform), LifecycleDemo(platform)
    funder = demo.organisation("Københavns Kommune, Socialforvaltningen", "municipal_unit", "0101",
                               description="Indgår kontrakten om integrationspartnerskabet (rammen fra 2007).")
    # ASSUMED: the three-year agreement ran 2008–2010, right after the framework of November 2007
    programme = demo.programme(
        SLUG, "Integrationspartnerskaber med frivillige organisationer (illustrativt)", INTEGRATION_2007, "0101",
        start=datetime.date(2008, 1, 1), end=datetime.date(2010, 12, 31),
        funder=funder, status="ended",
        description="Partnerskaber med større frivillige organisationer om frivilligt integrationsarbejde: "
                    "forældrerådgivning, lektiehjælp, fritidsaktiviteter, mentorer og job- og praktikpladssøgning. "
                    + ILLUSTRATIVE)
    call = life.call(programme, "Partnerskab om frivilligt integrationsarbejde 2008–2010",
                     datetime.date(2007, 11, 15), datetime.date(2007, 12, 14),
                     description="Tilbud fra større frivillige organisationer. " + ILLUSTRATIVE)
    organisation = demo.organisation("Eksempelorganisation Frivillig Integration", "association", "0101",
                                     city="København", description="Fiktiv større frivillig organisation. "
                                                                   + ILLUSTRATIVE)
    application = life.application(
        call, organisation, "accepted", answers={"geographic_focus": "yes", "concrete_goals": GOALS},
        submitted_on=datetime.date(2007, 12, 10), decided_on=datetime.date(2007, 12, 20), decider=ADMIN,
        reason="Konkrete og målbare mål for frivillige og effekt; aftalen evalueres mod dem (BR 112/07B).",
        start_date=datetime.date(2008, 1, 1))
    life.resource_persons(life.agreement_of(application), (
        ("Frivillighedskonsulent A (fiktiv)", "", 37, datetime.date(2008, 1, 1), ""),
        ("Frivillighedskonsulent B (fiktiv)", "", 37, datetime.date(2009, 8, 1), MIDWAY),
    ))
