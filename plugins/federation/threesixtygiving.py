"""The national 360Giving package: every harvested grant and sign-on fee, across instances.

Identifiers follow the core's export (``core.exports``): recipients and funders are
``DK-CVR-<number>`` when they have a CVR number, else a local identifier under the publisher
prefix that names the instance they came from, so two instances' organisations never collide;
a grant's id names its instance and item too.
"""
from __future__ import annotations

from core import clock
from core.exports import PUBLISHER_PREFIX, THREESIXTYGIVING_VERSION
from core.i18n import gettext as _


def _amount(amount_ore: int):
    return amount_ore // 100 if amount_ore % 100 == 0 else amount_ore / 100


def _organisation(instance: str, ref: dict) -> dict:
    identifier = f"DK-CVR-{ref['cvr']}" if ref.get("cvr") else f"{PUBLISHER_PREFIX}-{instance}-org-{ref['slug']}"
    data = {"id": identifier, "name": ref["name"], "addressCountry": "DK"}
    if ref.get("city"):
        data["addressLocality"] = ref["city"]
    if ref.get("postcode"):
        data["postalCode"] = ref["postcode"]
    return data


def _funder(instance: str, funder: dict) -> dict:
    if funder.get("municipality_code"):
        return {"id": f"{PUBLISHER_PREFIX}-municipality-{funder['municipality_code']}", "name": funder["name"],
                "addressCountry": "DK"}
    if funder.get("cvr"):
        return {"id": f"DK-CVR-{funder['cvr']}", "name": funder["name"], "addressCountry": "DK"}
    return {"id": f"{PUBLISHER_PREFIX}-{instance}-org-{funder.get('slug') or 'funder'}", "name": funder["name"],
            "addressCountry": "DK"}


def record(item: dict) -> dict:
    data, instance = item["data"], item["instance"]
    programme, organisation = data["programme"], data["organisation"]
    is_fee = data["type"] == "sign_on_fee"
    names = {"organisation": organisation["name"], "programme": programme["name"], "year": data["year"]}
    result = {
        "id": f"{PUBLISHER_PREFIX}-{instance}-{item['item_id']}",
        "title": (_("Sign-on fee: %(organisation)s in %(programme)s") if is_fee
                  else _("Grant %(year)s: %(organisation)s in %(programme)s")) % names,
        "description": (_("A one-off fee for joining the network of %(programme)s") if is_fee
                        else _("A yearly grant in %(programme)s")) % names,
        "currency": "DKK",
        "amountAwarded": _amount(data["amount_ore"]),
        "awardDate": data["date"] if is_fee and data["date"] else f"{data['year']}-01-01",
        "recipientOrganization": [_organisation(instance, organisation)],
        "fundingOrganization": [_funder(instance, data["funder"])],
        "grantProgramme": [{"code": programme["slug"], "title": programme["name"]}],
        "beneficiaryLocation": [{"name": data["municipality"]["name"], "countryCode": "DK"}],
    }
    if not is_fee:
        result["plannedDates"] = [{"startDate": f"{data['year']}-01-01", "endDate": f"{data['year']}-12-31"}]
    return result


def national_package(settings, items: list[dict]) -> dict:
    now = clock.now().replace(microsecond=0)
    meta = {
        "version": THREESIXTYGIVING_VERSION,
        "title": _("Grants and sign-on fees harvested by %(site)s") % {"site": settings.site_name},
        "description": _("Every grant and sign-on fee the local instances share with the national coordinator, in DKK."),
        "issued": now.isoformat().replace("+00:00", "Z"),
        "publisher": {"name": settings.site_name},
    }
    return {**meta, "grants": [record(item) for item in items]}
