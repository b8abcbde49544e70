"""A fake plugin for the tests: it implements every hook the core offers, each with an effect a
test can see — a page, navigation links (one only for consultants), a block on every page
family, a programme type with its own rule, a key it reads from programme types (declared TOML
files may write ``fake_level``), a target group, permissions guarding a page and
API operations, tables made by its own migrations, an export dataset, a to-do item, a
scheduled job, a reaction to every event after commit, a CLI command, a person's own data
(shown in their download and forgotten with their account) and demo data.

What it records for the tests (events heard, jobs run, API writes) goes to ``fake_record``;
``fake_note`` stays for the demo-data tests, which count it."""
from __future__ import annotations

import datetime
from pathlib import Path

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, fn

from core import authz, clock, tenancy
from core.api.base import ID, INT, PAGINATION, STR, list_of, not_found, nullable, obj, operation, page_of
from core.datasets import ExportDataset, Source
from core.db import BaseModel, MigrationSource, database
from core.hookspecs import hookimpl
from core.jobs import Job, every
from core.models.municipality import Municipality
from core.programme_types import Criterion, ProgrammeType, ProgrammeTypeField, TargetGroup
from core.rules.errors import RuleViolation
from core.scope import Columns
from core.todo import TodoItem
from core.web.pages import NavLink, PageBlock, render
from core.web.routing import page

__version__ = "9.8.7"

HERE = Path(__file__).parent
TYPE_KEY = "fake-type"
TARGET_GROUP = "fake-group"
GREETING = "Hej fra den falske plugin"
DEMO_ORGANISATION = "Fake Plugin Demo Forening"
PERMISSION = "fake.approve"
READ_PERMISSION = "fake.read"
JOB = "fake.tick"
RULE_MESSAGE = "Fake rule: a grant in a fake programme is a whole thousand kroner"
# (action, in a transaction?) for every check_rules call, for the tests to read
CHECKS_SEEN: list[tuple[str, bool]] = []

PROGRAMME_TYPE = ProgrammeType(
    key=TYPE_KEY,
    name="Fake programme type",
    plugin="fake",
    summary="A programme type registered by the test plugin.",
    owner_kinds=("municipality",),
    grant_per_partner_per_year_ore=1_234 * 100,
    agreement_years=2,
    fixed_period=None,
    sign_on_fee_cap_ore=5_000 * 100,
    criteria=(Criterion("fake", "Be fake"),),
    extra={"fake_level": 3},
)


class FakeNote(BaseModel):
    text = CharField(max_length=200)

    class Meta:
        table_name = "fake_note"


class FakeRecord(BaseModel):
    """Something the fake plugin noted: an event it heard, a job it ran, a record made through
    its API. Rows belong to a municipality (its tenancy)."""

    kind = CharField(max_length=20)  # 'event', 'job', 'api'
    text = CharField(max_length=200)
    municipality = ForeignKeyField(Municipality, null=True, on_delete="CASCADE")
    programme_id = IntegerField(null=True)
    object_id = CharField(max_length=40, default="")
    status = CharField(max_length=20, default="waiting")
    created_at = DateTimeField(default=clock.now)

    scope_rule = Columns(municipality="municipality")

    class Meta:
        table_name = "fake_record"


def fake_page(request):
    return render(request, "fake_plugin/fake.html", {"notes": FakeNote.select().count()})


def boom(request):
    raise RuntimeError("the fake plugin's view broke; this text must not reach the visitor")


def cmd_fake_hello(platform, args) -> int:
    print(f"hello {args.name} from fake ({len(platform.programme_types)} programme types)")
    return 0


# --- the API ------------------------------------------------------------------------------------

RECORD = obj({"id": INT, "kind": STR, "text": STR, "municipality_id": nullable(INT), "status": STR})
CREATE_BODY = {"type": "object", "additionalProperties": False, "required": ["text", "municipality_id"],
               "properties": {"text": {"type": "string", "minLength": 1, "maxLength": 200},
                              "municipality_id": {"type": "integer", "minimum": 1, "maximum": 2**53 - 1}}}


def record_json(row: FakeRecord) -> dict:
    return {"id": row.id, "kind": row.kind, "text": row.text, "municipality_id": row.municipality_id,
            "status": row.status}


def fake_list_records(call):
    query = tenancy.scoped(FakeRecord.select(), FakeRecord, call.actor, READ_PERMISSION)
    return page_of(call, query, FakeRecord.id, record_json)


def fake_get_record(call):
    row = tenancy.scoped(FakeRecord.select(), FakeRecord, call.actor, READ_PERMISSION).where(
        FakeRecord.id == call.params["record_id"]).first()
    if row is None:
        raise not_found("record")
    return record_json(row)


def fake_create_record(call):
    municipality = Municipality.get_or_none(Municipality.id == call.body["municipality_id"])
    if municipality is None or not authz.can(call.actor, PERMISSION, municipality):
        raise RuleViolation.one("municipality_id", "There is no such municipality, or you may not write there")
    row = FakeRecord.create(kind="api", text=call.body["text"], municipality=municipality.id)
    return 201, record_json(row)


# --- export dataset, to-do, job, rule, events ----------------------------------------------------

def record_fetcher(condition=None):
    def fetch(after: int, limit: int) -> list:
        query = (FakeRecord.select(FakeRecord, Municipality).join(Municipality)
                 .where(FakeRecord.id > after))
        if condition is not None:
            query = query.where(condition)
        return list(query.order_by(FakeRecord.id).limit(limit))
    return fetch


def record_values(row: FakeRecord) -> list:
    return [row.id, row.kind, row.text, row.municipality.name, row.status]


def tick(context) -> None:
    FakeRecord.create(kind="job", text=f"{context.job.name} {context.slot.isoformat()}",
                      object_id=context.previous_slot.isoformat() if context.previous_slot else "")


@hookimpl
def register_programme_types():
    return [PROGRAMME_TYPE]


def read_fake_level(reader, raw, path):
    """``fake_level = 1..3`` in a declared programme type: checked like the core's own fields."""
    return reader.integer_value(raw, path, 1, 3)


@hookimpl
def register_programme_type_fields():
    return [ProgrammeTypeField("fake_level", read_fake_level, "how fake a programme type is, 1 to 3")]


@hookimpl
def register_target_groups():
    return [TargetGroup(TARGET_GROUP, "Fake target group", (1, 2))]


@hookimpl
def register_models():
    return [FakeNote, FakeRecord]


@hookimpl
def register_migrations():
    return [MigrationSource("fake", HERE / "migrations")]


@hookimpl
def register_permissions():
    return {"consultant": [PERMISSION, READ_PERMISSION], "municipality_admin": [READ_PERMISSION]}


@hookimpl
def register_routes(platform):
    return [page("/fake", fake_page, name="fake"), page("/fake/boom", boom, name="fake-boom"),
            page("/fake/private", fake_page, name="fake-private", permission=PERMISSION)]


@hookimpl
def register_api_operations(platform):
    return [
        operation("GET", "/api/v1/fake-records", fake_list_records, permission=READ_PERMISSION, tag="fake",
                  summary="The fake plugin's records you may read", params=PAGINATION, response=list_of(RECORD)),
        operation("GET", "/api/v1/fake-records/{record_id}", fake_get_record, permission=READ_PERMISSION,
                  tag="fake", summary="One fake record", params=(ID("record_id", "record"),), response=RECORD),
        operation("POST", "/api/v1/fake-records", fake_create_record, permission=PERMISSION, tag="fake",
                  summary="Make a fake record in a municipality you work in", body=CREATE_BODY, response=RECORD,
                  status=201, extra_statuses=(422,)),
    ]


@hookimpl
def register_export_datasets(platform):
    return [ExportDataset("fake-records", "Fake records", ("Id", "Kind", "Text", "Municipality", "Status"),
                          (Source(FakeRecord, record_fetcher, record_values),))]


@hookimpl
def register_jobs(platform):
    return [Job(JOB, every(hours=1), tick, "note the slot it ran for")]


@hookimpl
def register_commands(subparsers, platform):
    hello = subparsers.add_parser("fake-hello", help="say hello from the fake plugin")
    hello.add_argument("--name", default="world")
    hello.set_defaults(func=cmd_fake_hello)


@hookimpl
def navigation_links(request, actor):
    links = [NavLink("/fake", "Fake nav link", order=10)]
    if actor is not None and actor.is_authenticated and authz.can(actor, PERMISSION):
        links.append(NavLink("/fake/private", "Fake consultant link", order=11))
    return links


@hookimpl
def extra_template_vars(request, template_name):
    return {"fake_greeting": GREETING, "fake_template_name": template_name}


def _counts(field, ids) -> dict[int, int]:
    """Fake records per programme or municipality, for a whole page in one query."""
    if not ids:
        return {}
    return dict(FakeRecord.select(field, fn.COUNT(FakeRecord.id)).where(field.in_(list(ids)))
                .group_by(field).tuples())


@hookimpl
def page_blocks(request, page, context):
    where = {
        "home": lambda: "home",
        "programme": lambda: f"programme {context['programme'].slug}",
        "organisation": lambda: f"organisation {context['organisation'].slug}",
        "municipality": lambda: f"municipality {context['municipality'].code}",
        "call": lambda: f"call {context['call'].id}",
        "application": lambda: f"application {context['application'].id}",
        "agreement": lambda: f"agreement {context['agreement'].id}",
        "me": lambda: f"me {context['account'].email}",
        "todo": lambda: f"todo {len(context['items'])} items",
        "manage": lambda: f"manage {len(context['programmes'])} programmes",
        "national": lambda: f"national {len(context['rows'])} municipalities",
    }[page]()
    extra = {}
    if page == "manage":  # a dashboard over every programme on the page, in one query
        counts = _counts(FakeRecord.programme_id, [p.id for p in context["programmes"]])
        extra["fake_total"] = sum(counts.values())
    if page == "national":
        counts = _counts(FakeRecord.municipality, [row["municipality"].id for row in context["rows"]])
        extra["fake_total"] = sum(counts.values())
    return [PageBlock("fake_plugin/block.html", order=5 if page == "programme" else 50,
                      context={"fake_where": where, **extra})]


@hookimpl
def todo_items(platform, actor, today):
    if not authz.can(actor, PERMISSION):
        return []
    query = tenancy.scoped(FakeRecord.select(FakeRecord, Municipality).join(Municipality), FakeRecord, actor,
                           PERMISSION).where(FakeRecord.status == "waiting", FakeRecord.kind == "api")
    return [TodoItem("fake", "Fake records to approve", f"{row.text} ({row.municipality.name})",
                     f"/api/v1/fake-records/{row.id}") for row in query.order_by(FakeRecord.id).limit(200)]


@hookimpl
def check_rules(platform, check):
    CHECKS_SEEN.append((check.action, database.in_transaction()))
    if check.programme_type is None or check.programme_type.key != TYPE_KEY:
        return
    if check.action == "grant.record" and check.values["amount_ore"] % 100_000:
        check.problems.add("amount", RULE_MESSAGE)


@hookimpl
def on_committed(platform, event):
    programme = event.data.get("programme")
    FakeRecord.create(kind="event", text=event.name, programme_id=programme, object_id=str(event.object_id))


@hookimpl
def personal_data(platform, account):
    """What the fake plugin noted about the person (the records naming their account id)."""
    rows = FakeRecord.select().where(FakeRecord.kind == "person", FakeRecord.object_id == str(account.id))
    return {"fake_person_records": [row.text for row in rows]} if rows.exists() else None


@hookimpl
def forget_account(platform, account, pseudonym):
    # the row keeps the pseudonym and no longer names the account (whose id a new account may reuse)
    FakeRecord.update(text=pseudonym, object_id="").where(FakeRecord.kind == "person",
                                            FakeRecord.object_id == str(account.id)).execute()


@hookimpl
def load_demo_data(platform):
    from core.demo import Demo
    Demo(platform).organisation(DEMO_ORGANISATION, "other", description="Made by the fake plugin's demo data.",
                                target_groups=[TARGET_GROUP])
    FakeNote.create(text=f"demo data loaded {datetime.date.today().isoformat()}")
