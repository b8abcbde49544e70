"""A local partnership in the demo, built the same way for each municipality from its
``partnership.toml``, through the same rules as the pages, and idempotent.

- The programme: owned and coordinated by the volunteer centre, funded by Socialstyrelsen, with
  FriSe and Socialstyrelsen as national coordinators, 1.2 million DKK a year for four years.
- The network: more than 30 organisations of the kinds the press release lists (voluntary social,
  cultural and adult-education associations; culture and education, business, region and
  municipality as other local actors). The release names none, so every one is fictional and
  called 'Eksempel…' so nobody mistakes it for a real one; each partnership has its own.
- The money: each association that joined got a sign-on fee (paid through the payment rules);
  the latest one is waiting for a second person's approval.
- The lifecycle: the first round's call (two accepted, one rejected, a change of contact person
  with a handover note) and an open call with applications waiting.

ASSUMPTIONS (the press release gives neither dates nor a split of the money): the four years are
the first round's, 2023–2026 (more could apply from 2024); on a day after 2026 they move so that
they end with the current year, so the demo always has a running programme, an open call and a
budget this year. 9.6 million DKK over four years for both partnerships gives 1.2 million DKK a
year each. The fees' amounts (up to the 30,000 DKK cap) and the joining dates are illustrative.
"""
from __future__ import annotations

import datetime
import zlib

from core.demo import Demo
from core.demo.lifecycle import LifecycleDemo
from core.demo.payments import PaymentDemo

# The kinds of organisation the press release says a partnership mobilises, as the demo's network files name
# them: the organisation's kind in the registry, its role in the network, and what the description calls it.
NETWORK_KINDS = {
    "social": ("association", "partner", "frivillig social forening"),
    "cultural": ("association", "partner", "kulturel forening"),
    "adult_education": ("association", "partner", "folkeoplysende forening"),
    "culture_and_education": ("school_institution", "local_actor", "kultur- eller uddannelsesinstitution"),
    "business": ("other", "local_actor", "virksomhed"),
    "region": ("other", "local_actor", "regional aktør"),
    "municipality": ("municipal_unit", "local_actor", "kommunal enhed"),
}

FIRST_ROUND = (2023, 2026)
BUDGET_PER_YEAR_KRONER = 1_200_000
FEE_AMOUNTS_KRONER = (30_000, 30_000, 25_000, 20_000, 15_000)  # illustrative, cycled, all within the cap
YES = {"voluntary_organisation": "yes", "include_young_people": "yes"}
NO_NAMES = "pressemeddelelsen nævner ingen organisationer i netværket ved navn"


def programme_years(today: datetime.date) -> tuple[int, int]:
    """The programme's first and last year (see ASSUMPTIONS above)."""
    last = max(FIRST_ROUND[1], today.year)
    return last - 3, last


def national_bodies(platform):
    """Socialstyrelsen (the funder) and FriSe: one organisation each, shared by every local partnership."""
    demo = Demo(platform)
    funder = demo.organisation("Socialstyrelsen", "national_body",
                               description="Den nationale sociale styrelse; bevilgede 9,6 mio. kr. over fire år "
                                           "til de lokale partnerskaber i Slagelse og Hillerød.")
    frise = demo.organisation("Frivilligcentre & Selvhjælp Danmark (FriSe)", "national_body",
                              description="National koordinator for de lokale partnerskaber sammen med Socialstyrelsen.")
    return funder, frise


def load(partnership, platform, today: datetime.date | None = None):
    today = today or datetime.date.today()
    settings = partnership.settings
    demo = Demo(platform)
    code, municipality_name, region = (settings["municipality"][k] for k in ("code", "name", "region"))
    city = settings["centre"]["city"]
    demo.municipality(code, municipality_name, region)
    centre = demo.organisation(settings["centre"]["name"], "volunteer_centre", code, city=city,
                               target_groups=["youth_16_24", "volunteers"])
    funder, frise = national_bodies(platform)
    first, last = programme_years(today)
    spec = settings["programme"]
    programme = demo.programme(
        spec["slug"], spec["name"], partnership.type_key, code, start=datetime.date(first, 1, 1),
        end=datetime.date(last, 12, 31), owner=centre, funder=funder,
        description=spec["description"] + " (Demodata: pressemeddelelsen giver ingen datoer; perioden og "
                                          "budgettet på 1,2 mio. kr. om året er antaget.)")
    # a second run keeps the first run's years, whatever today is
    for year in range(programme.start_date.year, programme.end_date.year + 1):
        demo.budget(programme, year, BUDGET_PER_YEAR_KRONER)
    for organisation in (centre, frise, funder):
        demo.member(programme, organisation, "coordinator", programme.start_date)
    coordinator = settings["coordinator"]
    demo.account(coordinator["email"], coordinator["name"], "volunteer_centre_coordinator", organisation=centre)
    # the municipality's administrator: the real second person who approves the centre's payments
    # (the centre has one coordinator, and no one approves their own requests)
    approver = settings["municipality_admin"]
    demo.account(approver["email"], approver["name"], "municipality_admin", municipality=code)
    joined = network(demo, programme, settings, today) + lifecycle(demo, programme, settings, coordinator["email"],
                                                                   today)
    sign_on_fees(demo, programme, sorted(joined, key=lambda pair: (pair[1], pair[0].name)), coordinator["email"],
                 approver["email"], today)
    for account in settings.get("demo_accounts", ()):
        demo.account(account["email"], account["name"], account["role"], organisation=account.get("organisation"),
                     municipality=account.get("municipality"))
    return programme


def network(demo, programme, settings, today: datetime.date) -> list:
    """The network's organisations by kind, joined one after another (in an order fixed by their
    names) from the programme's start until a month ago; returns the associations with the day."""
    code, city = settings["municipality"]["code"], settings["centre"]["city"]
    entries = [(kind, name) for kind in NETWORK_KINDS for name in settings["network"].get(kind, ())]
    start = programme.start_date
    span = max((min(today, programme.end_date) - start).days - 30, len(entries))
    associations = []
    for position, (kind, name) in enumerate(sorted(entries, key=lambda entry: zlib.crc32(entry[1].encode()))):
        organisation_kind, role, label = NETWORK_KINDS[kind]
        organisation = demo.organisation(name, organisation_kind, code, city=city,
                                         description=f"Fiktiv {label} i demodata ({NO_NAMES}).",
                                         target_groups=["youth_16_24"])
        joined = start + datetime.timedelta(days=span * position // len(entries))
        demo.member(programme, organisation, role, joined)
        if role == "partner":
            associations.append((organisation, joined))
    return associations


def sign_on_fees(demo, programme, associations, coordinator: str, approver: str, today: datetime.date) -> None:
    """A fee for each association (in the order they joined) when it joined, paid three weeks
    later; the latest waits for a second person's approval."""
    payments = PaymentDemo(demo, programme, coordinator, approver)
    for number, (organisation, joined) in enumerate(associations):
        amount = FEE_AMOUNTS_KRONER[number % len(FEE_AMOUNTS_KRONER)]
        fee = payments.fee(organisation, amount, joined)
        latest = number == len(associations) - 1
        paid_on = min(joined + datetime.timedelta(days=21), today)
        payments.payment(fee, amount, "created" if latest else "paid", paid_on=paid_on)


def lifecycle(demo, programme, settings, coordinator: str, today: datetime.date) -> list:
    """The first round (accepted, rejected, a handover) and an open call with applications waiting;
    returns the accepted associations with the day their agreement began (they joined then)."""
    life = LifecycleDemo(demo.platform)
    code, city, short = settings["municipality"]["code"], settings["centre"]["city"], settings["programme"]["short"]
    year = programme.start_date.year
    question = "Hvad kan de unge være med til hos jer?"

    def fictional(name):
        return demo.organisation(f"Eksempelforening {name}", "association", code, city=city,
                                 description="Fiktiv eksempelforening i demodata.")

    first = life.call(programme, f"Tilslutning til {short} {year}", datetime.date(year, 1, 15),
                      datetime.date(year, 3, 31),
                      description="Foreninger og lokale aktører, der vil åbne deres fællesskaber for unge 16–24 år, "
                                  "kan tilslutte sig partnerskabet og få et sign on fee på op til 30.000 kr.",
                      questions=(question,))
    accepted = []
    for name in (f"{city} Idræt", f"Kulturhuset {city}"):
        # four years from 1 May would outlast the programme: the agreement ends with it (confirmed)
        accepted.append(life.application(
            first, fictional(name), "accepted", answers={**YES, "1": "Træning, frivilligt arbejde og events."},
            submitted_on=datetime.date(year, 3, 20), reviews=((coordinator, 5, "God plan for brobygning."),),
            decided_on=datetime.date(year, 4, 15), decider=coordinator,
            reason="Tilslutter sig partnerskabet og har en konkret plan for de unge.",
            start_date=datetime.date(year, 5, 1)))
    life.application(first, fictional(f"{city} Skakklub"), "rejected", answers={**YES, "1": "Skak for alle."},
                     submitted_on=datetime.date(year, 3, 25), decided_on=datetime.date(year, 4, 15),
                     decider=coordinator,
                     reason="Foreningen ønskede ikke at forpligte sig til aktiviteter for målgruppen i perioden.")
    handover = min(datetime.date(year + 2, 2, 1), today - datetime.timedelta(days=30))
    life.resource_persons(life.agreement_of(accepted[0]), (
        ("Mette Lind", "", 8, datetime.date(year, 5, 1), ""),
        ("Jonas Friis", "jonas.friis@eksempel.example", 8, handover,
         "De unge mødes torsdag i klubhuset; to af dem er nu hjælpetrænere. Frivilligcentret holder "
         "netværksmøde hver anden måned – spørg koordinatoren om datoerne."),
    ))

    season = "forår" if today.month <= 6 else "efterår"
    second = life.call(programme, f"Tilslutning til {short}, {season} {today.year}", today - datetime.timedelta(days=21),
                       min(today + datetime.timedelta(days=30), programme.end_date),
                       description="Ny runde for foreninger, der vil være med i partnerskabet.", questions=(question,))
    recent = today - datetime.timedelta(days=5)
    life.application(second, fictional(f"{city} Spejdere"), "submitted",
                     answers={**YES, "1": "Ture og lejre."}, submitted_on=recent)
    life.application(second, fictional(f"{city} Roklub"), "under_review", answers={**YES, "1": "Roning om sommeren."},
                     submitted_on=recent, reviews=((coordinator, 4, "Godt tilbud om sommeren."),))
    life.application(second, fictional(f"Ungdomsteatret {city}"), "draft", answers={"voluntary_organisation": "yes"})
    life.application(second, fictional(f"{city} Motionsklub"), "withdrawn", answers=YES)
    return [(application.organisation, datetime.date(year, 5, 1)) for application in accepted]
