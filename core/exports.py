"""Exports: CSV and Excel of payments and of commitments (sign-on fees and grants), and a
360Giving JSON package of the awarded grants and sign-on fees.

Every export is a generator that fetches its rows in batches (keyset pagination on the id),
each batch inside its own ``core.db.connection()``: a streaming response pulls the next
chunk from whatever worker thread it likes, and memory stays flat however many rows there
are. Excel files are written with openpyxl's write-only workbook, which keeps rows on disk,
and then streamed from a temporary file.

360Giving: recipients are ``DK-CVR-<number>`` when the organisation has a CVR number, else a
local identifier under this publisher's prefix (``360G-partnerskab-org-<slug>``) as the
360Giving identifier guidance asks for organisations without a registered number; amounts
are in DKK; a sign-on fee a volunteer centre passes on from its funder is a regrant
(``regrantType`` FRG020, "Transfer to intermediary").

The package is public, so it carries only fields meant to be public, named once in
``PUBLIC_GRANT_FIELDS`` and ``PUBLIC_ORGANISATION_FIELDS`` and enforced by ``public`` on every
record: never a fee's note or a grant's purpose (staff write those for each other, they are
not written for publication), never a decision's reason, an email address or a phone number.
The description says what the money is for in the programme's own public words.
"""
from __future__ import annotations

import contextlib
import datetime
import json
import os
import tempfile
from decimal import Decimal
from typing import Callable, Iterable, Iterator

from peewee import JOIN

from core import clock, csv_writer, db, i18n, labels
from core.i18n import gettext as _
from core.models.account import Account
from core.models.money import Grant, SignOnFee
from core.models.municipality import Municipality
from core.models.organisation import Organisation
from core.models.payment import PaymentRequest
from core.models.programme import Programme

BATCH_SIZE = 500
PUBLISHER_PREFIX = "360G-partnerskab"
THREESIXTYGIVING_VERSION = "1.4"
REGRANT_BY_VOLUNTEER_CENTRE = "FRG020"

Creator = Account.alias("creator")
Approver = Account.alias("approver")
Owner = Organisation.alias("owner")
Funder = Organisation.alias("funder")

Fetch = Callable[[int, int], list]  # (after_id, limit) -> rows ordered by id


def batches(fetch: Fetch, batch_size: int = BATCH_SIZE) -> Iterator[list]:
    """Rows in batches, each fetched with its own connection (see the module's docstring)."""
    after = 0
    while True:
        with db.connection():
            rows = fetch(after, batch_size)
        if not rows:
            return
        yield rows
        after = rows[-1].id
        if len(rows) < batch_size:
            return


def kroner(amount_ore: int) -> Decimal:
    return (Decimal(amount_ore) / 100).quantize(Decimal("0.01"))


# --- payments ---------------------------------------------------------------------------------

def payment_columns() -> list[str]:
    return [_("Payment"), _("Programme"), _("Organisation"), _("CVR"), _("Kind"), _("Budget year"),
            _("Amount (DKK)"), _("Status"), _("Requested by"), _("Requested at"), _("Approved by"),
            _("Approved at"), _("Paid on"), _("Reference")]


def payment_fetcher(condition=None) -> Fetch:
    def fetch(after: int, limit: int) -> list:
        query = (PaymentRequest.select(PaymentRequest, Programme, Organisation, Creator, Approver)
                 .join_from(PaymentRequest, Programme)
                 .join_from(PaymentRequest, Organisation)
                 .join_from(PaymentRequest, Creator, on=(PaymentRequest.created_by == Creator.id))
                 .join_from(PaymentRequest, Approver, JOIN.LEFT_OUTER,
                            on=(PaymentRequest.approved_by == Approver.id))
                 .where(PaymentRequest.id > after))
        if condition is not None:
            query = query.where(condition)
        return list(query.order_by(PaymentRequest.id).limit(limit))
    return fetch


def payment_values(p: PaymentRequest) -> list:
    return [p.id, p.programme.name, p.organisation.name, p.organisation.cvr or "",
            labels.label(labels.PAYMENT_KINDS, p.kind), p.budget_year, kroner(p.amount_ore),
            labels.label(labels.PAYMENT_STATUSES, p.status), p.created_by.name or p.created_by.email,
            p.created_at.replace(microsecond=0) if p.created_at else None,
            (p.approved_by.name or p.approved_by.email) if p.approved_by_id else "",
            p.approved_at.replace(microsecond=0) if p.approved_at else None, p.paid_on, p.reference]


# --- commitments: sign-on fees and grants -----------------------------------------------------

def commitment_columns() -> list[str]:
    return [_("Kind"), _("Id"), _("Programme"), _("Organisation"), _("CVR"), _("Year"), _("Date granted"),
            _("Amount (DKK)"), _("Purpose or note")]


def fee_fetcher(condition=None) -> Fetch:
    def fetch(after: int, limit: int) -> list:
        query = (SignOnFee.select(SignOnFee, Programme, Organisation).join_from(SignOnFee, Programme)
                 .join_from(SignOnFee, Organisation)
                 .where(SignOnFee.id > after, SignOnFee.deleted_at.is_null()))
        if condition is not None:
            query = query.where(condition)
        return list(query.order_by(SignOnFee.id).limit(limit))
    return fetch


def grant_fetcher(condition=None) -> Fetch:
    def fetch(after: int, limit: int) -> list:
        query = (Grant.select(Grant, Programme, Organisation).join_from(Grant, Programme)
                 .join_from(Grant, Organisation)
                 .where(Grant.id > after, Grant.deleted_at.is_null()))
        if condition is not None:
            query = query.where(condition)
        return list(query.order_by(Grant.id).limit(limit))
    return fetch


def fee_values(fee: SignOnFee) -> list:
    return [labels.label(labels.COMMITMENT_KINDS, "sign_on_fee"), fee.id, fee.programme.name, fee.organisation.name, fee.organisation.cvr or "",
            fee.granted_on.year, fee.granted_on, kroner(fee.amount_ore), fee.note]


def grant_values(grant: Grant) -> list:
    return [labels.label(labels.COMMITMENT_KINDS, "grant"), grant.id, grant.programme.name, grant.organisation.name, grant.organisation.cvr or "",
            grant.year, None, kroner(grant.amount_ore), grant.purpose]


def chained(*sources: tuple[Fetch, Callable]) -> Iterator[list[list]]:
    """Batches of value rows from several sources, one after the other."""
    for fetch, values in sources:
        for rows in batches(fetch):
            yield [values(row) for row in rows]


# --- CSV and Excel ---------------------------------------------------------------------------

def csv_stream(columns: list[str], value_batches: Iterable[list[list]], dialect: csv_writer.Dialect = csv_writer.EXCEL,
               locale: str | None = None) -> Iterator[bytes]:
    """CSV through the one writer (``core.csv_writer``: no formulas; Danish Excel by default)."""
    return csv_writer.stream(columns, value_batches, dialect, locale)


def _xlsx_cell(value):
    if isinstance(value, csv_writer.Label):
        value = str(value)
    if isinstance(value, str):
        return csv_writer.neutralise(value)  # never let a name become a formula
    return clock.stored(value)  # Excel has no zones: a moment as naive UTC, dates as they are


def xlsx_stream(sheet_title: str, columns: list[str], value_batches: Iterable[list[list]],
                chunk_size: int = 64 * 1024, locale: str | None = None) -> Iterator[bytes]:
    """An .xlsx file from openpyxl's write-only workbook (rows go to disk as they come), then
    read back from a temporary file in chunks. Labels are written as words in ``locale``."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    header = []
    for title in columns:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    with i18n.locale_context(locale) if locale else contextlib.nullcontext():
        for rows in value_batches:
            for row in rows:
                sheet.append([_xlsx_cell(value) for value in row])
    handle, path = tempfile.mkstemp(prefix="partnerskab-export-", suffix=".xlsx")
    os.close(handle)
    try:
        workbook.save(path)
        with open(path, "rb") as fh:
            while chunk := fh.read(chunk_size):
                yield chunk
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)


# --- 360Giving ---------------------------------------------------------------------------------

PUBLIC_GRANT_FIELDS = frozenset({
    "id", "title", "description", "currency", "amountAwarded", "awardDate", "plannedDates", "recipientOrganization",
    "fundingOrganization", "grantProgramme", "beneficiaryLocation", "regrantType"})
PUBLIC_ORGANISATION_FIELDS = frozenset({
    "id", "name", "addressCountry", "streetAddress", "addressLocality", "postalCode", "url"})


def public(record: dict) -> dict:
    """A grant record with only its public fields (and its organisations' public fields)."""
    kept = {key: value for key, value in record.items() if key in PUBLIC_GRANT_FIELDS}
    for key in ("recipientOrganization", "fundingOrganization"):
        if key in kept:
            kept[key] = [{k: v for k, v in org.items() if k in PUBLIC_ORGANISATION_FIELDS} for org in kept[key]]
    return kept


def organisation_identifier(organisation: Organisation) -> str:
    if organisation.cvr:
        return f"DK-CVR-{organisation.cvr}"
    return f"{PUBLISHER_PREFIX}-org-{organisation.slug}"


def _organisation(organisation: Organisation) -> dict:
    data = {"id": organisation_identifier(organisation), "name": organisation.name, "addressCountry": "DK"}
    if organisation.street:
        data["streetAddress"] = organisation.street
    if organisation.city:
        data["addressLocality"] = organisation.city
    if organisation.postcode:
        data["postalCode"] = organisation.postcode
    if organisation.website and organisation.website.startswith(("https://", "http://")):
        data["url"] = organisation.website
    return data


def _municipality_as_funder(municipality: Municipality) -> dict:
    return {"id": f"{PUBLISHER_PREFIX}-municipality-{municipality.code}", "name": municipality.name,
            "addressCountry": "DK"}


def _programme(programme: Programme, base_url: str) -> dict:
    data = {"code": programme.slug, "title": programme.name}
    if base_url:
        data["url"] = f"{base_url.rstrip('/')}/programmes/{programme.slug}"
    return data


def _programme_query(model):
    return (model.select(model, Programme, Organisation, Municipality, Owner, Funder)
            .join_from(model, Programme)
            .join_from(model, Organisation)
            .join_from(Programme, Municipality)
            .join_from(Programme, Owner, JOIN.LEFT_OUTER, on=(Programme.owner_organisation == Owner.id))
            .join_from(Programme, Funder, JOIN.LEFT_OUTER, on=(Programme.funder == Funder.id))
            .where(model.deleted_at.is_null(), Programme.deleted_at.is_null()))


def _public_fees(after: int, limit: int) -> list:
    return list(_programme_query(SignOnFee).where(SignOnFee.id > after).order_by(SignOnFee.id).limit(limit))


def _public_grants(after: int, limit: int) -> list:
    return list(_programme_query(Grant).where(Grant.id > after).order_by(Grant.id).limit(limit))


def _funder_of(programme: Programme) -> dict:
    if programme.funder_id:
        return _organisation(programme.funder)
    if programme.owner_organisation_id:
        return _organisation(programme.owner_organisation)
    return _municipality_as_funder(programme.municipality)


def _amount(amount_ore: int):
    return amount_ore // 100 if amount_ore % 100 == 0 else amount_ore / 100


def fee_record(fee: SignOnFee, base_url: str = "") -> dict:
    programme = fee.programme
    payer = programme.owner_organisation if programme.owner_organisation_id else None
    record = {
        "id": f"{PUBLISHER_PREFIX}-fee-{fee.id}",
        "title": _("Sign-on fee: %(organisation)s in %(programme)s") % {
            "organisation": fee.organisation.name, "programme": programme.name},
        "description": _("A one-off fee for joining the network of %(programme)s") % {"programme": programme.name},
        "currency": "DKK",
        "amountAwarded": _amount(fee.amount_ore),
        "awardDate": fee.granted_on.isoformat(),
        "recipientOrganization": [_organisation(fee.organisation)],
        "fundingOrganization": [_organisation(payer) if payer is not None else _funder_of(programme)],
        "grantProgramme": [_programme(programme, base_url)],
        "beneficiaryLocation": [{"name": programme.municipality.name, "countryCode": "DK"}],
    }
    if payer is not None and payer.kind == "volunteer_centre":
        # the centre passes on money from its funder (a national board, say): a regrant
        record["regrantType"] = REGRANT_BY_VOLUNTEER_CENTRE
    return record


def grant_record(grant: Grant, base_url: str = "") -> dict:
    programme = grant.programme
    return {
        "id": f"{PUBLISHER_PREFIX}-grant-{grant.id}",
        "title": _("Grant %(year)s: %(organisation)s in %(programme)s") % {
            "year": grant.year, "organisation": grant.organisation.name, "programme": programme.name},
        "description": _("A yearly grant in %(programme)s") % {"programme": programme.name},
        "currency": "DKK",
        "amountAwarded": _amount(grant.amount_ore),
        "awardDate": f"{grant.year}-01-01",
        "plannedDates": [{"startDate": f"{grant.year}-01-01", "endDate": f"{grant.year}-12-31"}],
        "recipientOrganization": [_organisation(grant.organisation)],
        "fundingOrganization": [_funder_of(programme)],
        "grantProgramme": [_programme(programme, base_url)],
        "beneficiaryLocation": [{"name": programme.municipality.name, "countryCode": "DK"}],
    }


def package_metadata(settings) -> dict:
    now = clock.now().replace(microsecond=0)
    meta = {
        "version": THREESIXTYGIVING_VERSION,
        "title": _("Grants and sign-on fees from %(site)s") % {"site": settings.site_name},
        "description": _("Awarded yearly grants and sign-on fees of the partnership programmes, in DKK."),
        "issued": now.isoformat().replace("+00:00", "Z"),
        "publisher": {"name": settings.site_name},
    }
    if settings.base_url:
        meta["accessURL"] = f"{settings.base_url.rstrip('/')}/exports"
        meta["downloadURL"] = f"{settings.base_url.rstrip('/')}/exports/360giving.json"
    return meta


def threesixtygiving_records(settings) -> Iterator[list[dict]]:
    base_url = settings.base_url
    for rows in batches(_public_grants):
        yield [public(grant_record(row, base_url)) for row in rows]
    for rows in batches(_public_fees):
        yield [public(fee_record(row, base_url)) for row in rows]


def threesixtygiving_stream(settings, locale: str | None = None) -> Iterator[bytes]:
    """The package as JSON, grant by grant: ``{...metadata, "grants": [ ... ]}``."""
    with i18n.locale_context(locale) if locale else contextlib.nullcontext():
        head = json.dumps(package_metadata(settings), ensure_ascii=False)
    yield (head[:-1] + ', "grants": [').encode("utf-8")
    first = True
    records = threesixtygiving_records(settings)
    while True:
        with i18n.locale_context(locale) if locale else contextlib.nullcontext():
            batch = next(records, None)
        if batch is None:
            break
        parts = []
        for record in batch:
            parts.append(("" if first else ",\n") + json.dumps(record, ensure_ascii=False))
            first = False
        yield "".join(parts).encode("utf-8")
    yield b"]}\n"


def threesixtygiving_package(settings) -> dict:
    """The whole package as a dict (for the command line and tests)."""
    return json.loads(b"".join(threesixtygiving_stream(settings)))
