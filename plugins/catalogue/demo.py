"""Demo offers from the municipalities' own data: every enabled plugin may keep a
``catalogue/offers.toml`` (Roskilde's offers for the elderly and the young, a handful for the
partnership associations elsewhere). The catalogue knows no municipality; it reads the files.

The file::

    source = "where the facts come from, and what is illustrative"

    [[organisation]]            # organisations the offers need that the plugin does not make
    name = "Frivilligcenter Roskilde"
    kind = "volunteer_centre"
    municipality = "0265"

    [[offer]]
    organisation = "Roskilde Basketball Club (RBBC)"   # by name, as the plugin made it
    title = "..."
    category = "sport"
    target_groups = ["youth"]
    sessions = [{weekday = 6, starts_at = "11:00", ends_at = "13:00"}]
    how_to_join = "..."
    partners = ["..."]          # other organisations that run it too, by name
    steward = "..."             # a volunteer centre of the same municipality, by name
    checked_days_ago = 30       # when it was last checked, counted back from today
    since = 2016-03-01          # when it came on the platform (for the yearly figures)
    visits_per_day = 6          # illustrative visits for the last 90 days (0: none)

and every other field of an offer as the form names it (``plugins.catalogue.rules``). An offer is
found again by its organisation and title, so loading the demo twice changes nothing. Everything
goes through ``rules.create_offer`` and is audit-logged as ``demo-data``.
"""
from __future__ import annotations

import datetime
import tomllib
import zlib

from slugify import slugify

from core.db import database
from core.models.organisation import Organisation
from core.settings import ConfigError
from plugins.catalogue import rules
from plugins.catalogue.models import Offer, OfferVisit

ACTOR = "demo-data"
VISIT_DAYS = 90


def files(platform) -> list:
    return [folder / "offers.toml" for folder in platform.plugin_directories("catalogue")
            if (folder / "offers.toml").exists()]


def _organisation(name: str, where: str) -> Organisation:
    found = Organisation.get_or_none(Organisation.slug == slugify(name)[:180])
    if found is None:
        raise ConfigError(f"{where}: no organisation named '{name}' (list the catalogue plugin after the plugin "
                          "that makes it, or declare it under [[organisation]])")
    return found


def load(platform, today: datetime.date | None = None) -> None:
    from core.demo import Demo
    today = today or rules.local_today()
    demo = Demo(platform)
    for path in files(platform):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for entry in data.get("organisation", []):
            fields = {key: value for key, value in entry.items() if key not in ("name", "kind", "municipality")}
            demo.organisation(entry["name"], entry["kind"], entry.get("municipality"), **fields)
        for number, entry in enumerate(data.get("offer", []), start=1):
            where = f"{path}: offer {number}"
            organisation = _organisation(entry["organisation"], where)
            if Offer.select().where(Offer.organisation == organisation.id, Offer.title == entry["title"]).exists():
                continue
            _offer(platform, organisation, entry, where, today)


def _offer(platform, organisation: Organisation, entry: dict, where: str, today: datetime.date) -> None:
    values = {key: value for key, value in entry.items()
              if key not in ("organisation", "partners", "steward", "checked_days_ago", "since", "visits_per_day")}
    values.setdefault("published", True)
    if isinstance(values.get("cost"), int):
        values["cost"] = str(values["cost"])  # kroner in the file, as in the form
    values["partners"] = [_organisation(name, where).id for name in entry.get("partners", [])]
    values["steward"] = _organisation(entry["steward"], where).id if entry.get("steward") else ""
    values["sessions"] = [{key: ("" if value is None else value) for key, value in session.items()}
                          for session in entry.get("sessions", [])]
    checked = today - datetime.timedelta(days=int(entry.get("checked_days_ago", 30)))
    with database.atomic():
        offer = rules.create_offer(platform, organisation, values, ACTOR, checked)
        since = entry.get("since")
        if isinstance(since, datetime.date):
            created = datetime.datetime.combine(since, datetime.time(9, 0))
            Offer.update(created_at=created, updated_at=created).where(Offer.id == offer.id).execute()
        per_day = int(entry.get("visits_per_day", 0))
        if per_day and rules.is_public(offer, today):
            _visits(offer, per_day, today)


def _visits(offer: Offer, per_day: int, today: datetime.date) -> None:
    """ILLUSTRATIVE visit counters for the last ``VISIT_DAYS`` days, the same on every load (a
    number from the offer's title and the day): the demo's reach dashboard has something to show."""
    rows = []
    for back in range(1, VISIT_DAYS + 1):
        day = today - datetime.timedelta(days=back)
        wobble = zlib.crc32(f"{offer.title}|{day.isoformat()}".encode()) % (per_day + 1)
        count = max(0, per_day // 2 + wobble - (2 if day.isoweekday() >= 6 else 0))
        if count:
            rows.append({"offer": offer.id, "day": day, "visits": count})
    if rows:
        OfferVisit.insert_many(rows).execute()
