"""The audit log for administrators: browse it, filter it and export it as CSV.

The page shows each row in words (``core.audit_view``): the person's name, the action, the
named thing with a link, where, and the fields that changed before → after. The filters are
picked from lists: a person, an action (grouped as staff look for them), a municipality,
programme or organisation, and a date range.

Read only: these routes answer GET alone, and nothing in the core or the rules updates or
deletes an audit row (``core.models.audit`` only appends). Everyone with ``audit.read`` sees the
rows ``core.tenancy`` allows them: a platform administrator every row, a municipality
administrator the rows scoped to their municipality and its programmes and organisations.

Filters: ``scope`` (``programme:3``; ``municipality:1`` also takes in the municipality's
programmes and organisations; ``organisation:7`` also the rows about the organisation itself),
``person`` (an account's id), ``action`` (a prefix: ``login`` finds ``login.success`` and
``login.failure``), ``actor`` (part of it, e.g. an email address typed at a failed login) and
the days ``from``/``to`` (UTC, both included). Newest first, and paged by keyset on the id
(``before``/``after``) instead of an offset or a count, so a page costs the same at row ten
and at row ten million. The CSV export streams the same rows in batches, each batch read in
its own short database connection, so memory stays flat whatever the size; the export itself
is written to the audit log.
"""
from __future__ import annotations

import dataclasses
import datetime
import logging
import re
from typing import Any, AsyncIterator

from peewee import fn
from starlette.concurrency import run_in_threadpool
from starlette.responses import StreamingResponse

from core import audit_view, clock, csv_writer, db, inputs, tenancy
from core.audit_labels import action_choices
from core.i18n import gettext as _
from core.models.audit import AuditEntry, record_event
from core.rules.errors import Collector
from core.web.pages import NavLink, render
from core.web.routing import page

log = logging.getLogger("partnerskab.security")

PERMISSION = "audit.read"
PAGE_SIZE = 50
EXPORT_BATCH = 1000
CSV_COLUMNS = ("id", "at", "actor", "action", "object_type", "object_id", "scope", "before", "after")
_MUNICIPALITY_SCOPE = re.compile(r"^municipality:(\d{1,18})$")
_ORGANISATION_SCOPE = re.compile(r"^organisation:(\d{1,18})$")
PLACE_LIMIT = 300  # people and organisations offered in the filters' lists (beyond that, narrow by place)


@dataclasses.dataclass(frozen=True)
class AuditFilter:
    scope: str = ""
    action: str = ""
    actor: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    person: int | None = None

    @classmethod
    def from_params(cls, params) -> tuple["AuditFilter", dict[str, list[str]]]:
        errors: dict[str, list[str]] = {}

        def text(name: str, limit: int) -> str:
            return str(params.get(name, "")).strip()[:limit]

        def day(name: str) -> datetime.date | None:
            problems = Collector()
            value = inputs.parse_date(text(name, 40), name, problems, required=False)
            if problems.problems:
                errors[name] = [str(problem) for problem in problems.problems]
            return value

        date_from, date_to = day("from"), day("to")
        if date_from and date_to and date_to < date_from:
            errors["to"] = [_("The end date is before the start date.")]
            date_to = None
        person = _positive_int(params.get("person")) if text("person", 20) else None
        if text("person", 20) and person is None:
            errors["person"] = [_("Choose a person from the list.")]
        return cls(text("scope", 80), text("action", 80), text("actor", 200), date_from, date_to, person), errors

    def params(self, **extra: Any) -> dict[str, str]:
        """The filters as query parameters (only those set), plus ``extra``."""
        values = {"scope": self.scope, "action": self.action, "actor": self.actor,
                  "person": str(self.person) if self.person else "",
                  "from": self.date_from.isoformat() if self.date_from else "",
                  "to": self.date_to.isoformat() if self.date_to else ""}
        values.update({key: str(value) for key, value in extra.items() if value is not None})
        return {key: value for key, value in values.items() if value}

    @property
    def active(self) -> bool:
        return bool(self.params())

    def conditions(self) -> list:
        conditions = []
        if self.scope:
            municipality = _MUNICIPALITY_SCOPE.match(self.scope)
            organisation = _ORGANISATION_SCOPE.match(self.scope)
            if municipality:
                conditions.append(tenancy.condition_for(AuditEntry, [int(municipality.group(1))], []))
            elif organisation:
                conditions.append((AuditEntry.scope == self.scope) | (
                    (AuditEntry.object_type == "organisation") & (AuditEntry.object_id == organisation.group(1))))
            else:
                conditions.append(AuditEntry.scope == self.scope)
        if self.person:
            conditions.append(AuditEntry.actor.startswith(f"account:{self.person}:"))
        if self.action:
            conditions.append(AuditEntry.action.startswith(self.action))
        if self.actor:
            conditions.append(AuditEntry.actor.contains(self.actor))
        if self.date_from:
            conditions.append(AuditEntry.at >= datetime.datetime.combine(self.date_from, datetime.time()))
        if self.date_to:
            conditions.append(AuditEntry.at < datetime.datetime.combine(
                self.date_to + datetime.timedelta(days=1), datetime.time()))
        return conditions


def visible_conditions(actor, filters: AuditFilter) -> list:
    """What narrows the log for this actor and these filters: the tenant first, then the filters."""
    tenant = tenancy.tenant_condition(AuditEntry, actor, PERMISSION)
    return ([tenant] if tenant is not None else []) + filters.conditions()


def _where(query, conditions):
    return query.where(*conditions) if conditions else query


def _positive_int(value) -> int | None:
    return inputs.parse_id(value)


def format_at(value) -> str:
    """A stored time as 'YYYY-MM-DD HH:MM:SS' (UTC): a datetime, or SQLite's text as stored."""
    if isinstance(value, datetime.datetime):
        return clock.stored(value).strftime("%Y-%m-%d %H:%M:%S")
    return str(value or "")[:19]


def audit_log(request):
    actor = request.state.actor
    filters, errors = AuditFilter.from_params(request.query_params)
    conditions = visible_conditions(actor, filters)
    before = _positive_int(request.query_params.get("before"))
    after = _positive_int(request.query_params.get("after"))
    query = _where(AuditEntry.select(), conditions)
    if after is not None and before is None:
        rows = list(query.where(AuditEntry.id > after).order_by(AuditEntry.id.asc()).limit(PAGE_SIZE + 1))
        has_newer = len(rows) > PAGE_SIZE
        rows = rows[:PAGE_SIZE][::-1]
        has_older = bool(rows) and query.where(AuditEntry.id < rows[-1].id).exists()
    else:
        below = query.where(AuditEntry.id < before) if before is not None else query
        rows = list(below.order_by(AuditEntry.id.desc()).limit(PAGE_SIZE + 1))
        has_older = len(rows) > PAGE_SIZE
        rows = rows[:PAGE_SIZE]
        has_newer = before is not None and bool(rows) and query.where(AuditEntry.id > rows[0].id).exists()
    return render(request, "audit/list.html", {
        "rows": audit_view.present(rows, request.app.state.platform), "filters": filters, "errors": errors,
        "format_at": format_at, "choices": filter_choices(actor),
        "older": filters.params(before=rows[-1].id) if rows and has_older else None,
        "newer": filters.params(after=rows[0].id) if rows and has_newer else None,
        "paged": before is not None or after is not None,
        "export": filters.params(),
    }, status_code=400 if errors else 200)


def filter_choices(actor) -> dict:
    """The filters' lists: the people, places and actions this reader may see rows of (four
    queries whatever the log's size; organisations up to ``PLACE_LIMIT``)."""
    from core.models.account import Account, RoleAssignment
    from core.models.municipality import Municipality
    from core.models.organisation import Organisation
    from core.models.programme import Programme
    municipalities = list(tenancy.scoped(Municipality.select(), Municipality, actor, PERMISSION)
                          .order_by(Municipality.name))
    programmes = list(tenancy.scoped(Programme.select(Programme.id, Programme.name), Programme, actor, PERMISSION)
                      .order_by(Programme.name))
    organisations = list(tenancy.scoped(Organisation.select(Organisation.id, Organisation.name), Organisation,
                                        actor, PERMISSION).where(Organisation.deleted_at.is_null())
                         .order_by(Organisation.name).limit(PLACE_LIMIT))
    people = Account.select(Account.id, Account.name, Account.email)
    if tenancy.tenant_condition(AuditEntry, actor, PERMISSION) is not None:
        municipality_ids = [m.id for m in municipalities] or [0]
        in_places = Organisation.select(Organisation.id).where(Organisation.municipality.in_(municipality_ids))
        people = people.where(Account.id.in_(RoleAssignment.select(RoleAssignment.account).where(
            RoleAssignment.municipality.in_(municipality_ids) | RoleAssignment.organisation.in_(in_places))))
    return {
        "people": [(a.id, a.name or a.email) for a in people.order_by(Account.name, Account.email).limit(PLACE_LIMIT)],
        "places": [(_("Municipalities"), [(f"municipality:{m.id}", m.name) for m in municipalities]),
                   (_("Programmes"), [(f"programme:{p.id}", p.name) for p in programmes]),
                   (_("Organisations"), [(f"organisation:{o.id}", o.name) for o in organisations])],
        "actions": action_choices(),
    }


def _csv_rows(rows) -> list[list]:
    """Rows as cells for ``core.csv_writer``, which keeps any text from becoming a formula
    (an actor is what someone typed into the login form)."""
    return [[row[0], format_at(row[1]), *("" if value is None else str(value) for value in row[2:])]
            for row in rows]


def fetch_batch(conditions: list, below: int, size: int = EXPORT_BATCH) -> list[tuple]:
    """One batch of the export, newest first, below an id, as plain tuples in CSV_COLUMNS order
    (no model instances: the export is mostly this loop). It opens its own connection because
    it runs in whichever worker thread is free, and peewee's connections belong to a thread."""
    columns = [getattr(AuditEntry, name) for name in CSV_COLUMNS]
    query = (_where(AuditEntry.select(*columns), conditions).where(AuditEntry.id < below)
             .order_by(AuditEntry.id.desc()).limit(size))
    with db.connection():
        return list(db.database.execute(query))


async def export_rows(conditions: list, upper: int, batch_size: int | None = None,
                      dialect: csv_writer.Dialect = csv_writer.EXCEL) -> AsyncIterator[bytes]:
    """The CSV, batch by batch: never more than one batch in memory."""
    size = batch_size or EXPORT_BATCH
    yield csv_writer.header(CSV_COLUMNS, dialect)
    below = upper + 1
    while True:
        rows = await run_in_threadpool(fetch_batch, conditions, below, size)
        if not rows:
            return
        yield csv_writer.rows(_csv_rows(rows), dialect)
        if len(rows) < size:
            return
        below = rows[-1][0]


def audit_csv(request):
    actor = request.state.actor
    filters, errors = AuditFilter.from_params(request.query_params)
    if errors:
        return audit_log(request)
    dialect = csv_writer.dialect_named(request.query_params.get("dialect"))
    if dialect is None:
        from starlette.exceptions import HTTPException
        raise HTTPException(400, detail=_("Choose the dialect excel or machine"))
    conditions = visible_conditions(actor, filters)
    upper = AuditEntry.select(fn.MAX(AuditEntry.id)).scalar() or 0  # a snapshot: rows added meanwhile stay out
    # The export's own row: under the filtered scope for those who read everything; under
    # their own municipality for the others (never under a scope they asked about but cannot read).
    if tenancy.tenant_condition(AuditEntry, actor, PERMISSION) is None:
        scope = filters.scope
    else:
        own = {f"municipality:{g.municipality_id}" for g in actor.grants
               if g.municipality_id is not None and actor.table.grants(g.role, PERMISSION)}
        scope = own.pop() if len(own) == 1 else ""
    record_event(actor.label, "audit.export", "audit_entry", scope=scope,
                 after={"filters": filters.params(), "up_to_id": upper})
    log.info("audit log exported by %s with filters %s [request id %s]", actor.label, filters.params(),
             getattr(request.state, "request_id", ""))
    filename = f"audit-{datetime.date.today().isoformat()}.csv"
    return StreamingResponse(export_rows(conditions, upper, dialect=dialect), media_type=csv_writer.MEDIA_TYPE,
                             headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def navigation_links(request) -> list[NavLink]:
    """The audit log in the main navigation, for those who may read it."""
    from core import authz
    actor = getattr(request.state, "actor", None)
    if actor is not None and actor.is_authenticated and authz.can(actor, PERMISSION):
        return [NavLink("/admin/audit", _("Audit log"), order=90)]
    return []


def routes():
    return [
        page("/admin/audit", audit_log, name="audit_log", permission=PERMISSION),
        page("/admin/audit.csv", audit_csv, name="audit_csv", permission=PERMISSION),
    ]
