"""The programme lifecycle of a local partnership (Slagelse's and Hillerød's share it) in the
demo: a closed call whose accepted organisations got agreements (running to the programme's
end), an open call with applications waiting, and a change of contact person with a handover
note, and sign-on fees for the two accepted associations: one paid, one waiting for approval.
The press release names no local associations, so every association here is fictional
and called 'Eksempelforening …' so nobody mistakes it for a real one.
"""
import datetime

from core.demo import Demo
from core.demo_payments import PaymentDemo
from core.lifecycle_demo import LifecycleDemo

YES = {"voluntary_organisation": "yes", "include_young_people": "yes"}


def load(platform, programme, *, municipality: str, city: str, coordinator: str | None, short: str, today=None):
    today = today or datetime.date.today()
    demo, life = Demo(platform), LifecycleDemo(platform)

    def fictional(name):
        return demo.organisation(f"Eksempelforening {name}", "association", municipality, city=city,
                                 description="Fiktiv eksempelforening i demodata.")

    first = life.call(programme, f"Tilslutning til {short} 2023", datetime.date(2023, 1, 15), datetime.date(2023, 3, 31),
                      description="Foreninger og lokale aktører, der vil åbne deres fællesskaber for unge 16–24 år, "
                                  "kan tilslutte sig partnerskabet og få et sign on fee på op til 30.000 kr.",
                      questions=("Hvad kan de unge være med til hos jer?",))
    accepted = []
    for name in (f"{city} Idræt", f"Kulturhuset {city}"):
        application = life.application(
            first, fictional(name), "accepted", answers={**YES, "1": "Træning, frivilligt arbejde og events."},
            submitted_on=datetime.date(2023, 3, 20), reviews=((coordinator, 5, "God plan for brobygning."),) if coordinator else (),
            decided_on=datetime.date(2023, 4, 15), decider=coordinator,
            reason="Tilslutter sig partnerskabet og har en konkret plan for de unge.",
            start_date=datetime.date(2023, 5, 1))
        accepted.append(application)
    payments = PaymentDemo(demo, programme, coordinator or "admin@partnerskab.test", "admin@partnerskab.test")
    paid_fee = payments.fee(accepted[0].organisation, 30_000, datetime.date(2023, 5, 1))
    payments.payment(paid_fee, 30_000, "paid", paid_on=datetime.date(2023, 5, 20))
    waiting_fee = payments.fee(accepted[1].organisation, 25_000, datetime.date(2025, 9, 1))
    payments.payment(waiting_fee, 25_000, "created")
    life.application(first, fictional(f"{city} Skakklub"), "rejected",
                     answers={"voluntary_organisation": "yes", "include_young_people": "yes",
                              "1": "Skak for alle."}, submitted_on=datetime.date(2023, 3, 25),
                     decided_on=datetime.date(2023, 4, 15), decider=coordinator,
                     reason="Foreningen ønskede ikke at forpligte sig til aktiviteter for målgruppen i perioden.")
    life.resource_persons(life.agreement_of(accepted[0]), (
        ("Mette Lind", "", 8, datetime.date(2023, 5, 1), ""),
        ("Jonas Friis", "jonas.friis@eksempel.example", 8, datetime.date(2025, 2, 1),
         "De unge mødes torsdag i klubhuset; to af dem er nu hjælpetrænere. Frivilligcentret holder "
         "netværksmøde hver anden måned – spørg koordinatoren om datoerne."),
    ))

    second = life.call(programme, f"Tilslutning til {short}, efterår 2026", today - datetime.timedelta(days=21),
                       today + datetime.timedelta(days=30),
                       description="Ny runde for foreninger, der vil være med i partnerskabet.",
                       questions=("Hvad kan de unge være med til hos jer?",))
    recent = today - datetime.timedelta(days=5)
    life.application(second, fictional(f"{city} Spejdere"), "submitted",
                     answers={**YES, "1": "Ture og lejre."}, submitted_on=recent)
    life.application(second, fictional(f"{city} Roklub"), "under_review", answers={**YES, "1": "Roning om sommeren."},
                     submitted_on=recent, reviews=((coordinator, 4, "Godt tilbud om sommeren."),) if coordinator else ())
    life.application(second, fictional(f"Ungdomsteatret {city}"), "draft", answers={"voluntary_organisation": "yes"})
    life.application(second, fictional(f"{city} Motionsklub"), "withdrawn", answers=YES)
