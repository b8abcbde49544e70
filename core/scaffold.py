"""``partnerskab new-plugin NAME``: a new municipality's plugin, ready to enable and to change.

It writes ``plugins/NAME/`` — the plugin (a programme type with a criterion, its own rule, a
table with its migration, an API operation, a block on its programmes' pages, a to-do item and
demo data), its Danish catalogue and a template for the block — and ``tests/plugins/test_NAME.py``,
then prints the configuration line that enables it. Every part is the worked example of
``docs/plugins.md``; the plugin passes the contract tests that run for every enabled plugin
(``tests/plugins/test_contract.py``) as it is written. Keep what the municipality needs,
delete the rest with its test.
"""
from __future__ import annotations

import keyword
import re
import string
from pathlib import Path

NAME = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
RESERVED = {"core", "plugins", "tests", "themes", "config", "fake", "test"}


class ScaffoldError(ValueError):
    """The plugin cannot be made as asked: the message says why."""


def check_name(name: str, root: Path, taken: set[str]) -> None:
    if not NAME.match(name) or keyword.iskeyword(name):
        raise ScaffoldError(f"'{name}' cannot be a plugin's name: use 2-40 lower-case letters, digits and '_', "
                            "starting with a letter (it becomes a Python package)")
    if name in RESERVED or name in taken:
        raise ScaffoldError(f"'{name}' is taken: choose another name")
    if (root / "plugins" / name).exists():
        raise ScaffoldError(f"plugins/{name} exists already")
    if (root / "tests" / "plugins" / f"test_{name}.py").exists():
        raise ScaffoldError(f"tests/plugins/test_{name}.py exists already")


def files(name: str, title: str, code: str, municipality: str, region: str) -> dict[str, str]:
    """The files to write, by path under the project root."""
    values = {"name": name, "title": title, "code": code, "municipality": municipality, "region": region,
              "type_key": f"{name.replace('_', '-')}-partnerships", "Name": name.capitalize()}
    fill = lambda text: string.Template(text).substitute(values)  # noqa: E731
    return {
        f"plugins/{name}/__init__.py": fill(PLUGIN),
        f"plugins/{name}/models.py": fill(MODELS),
        f"plugins/{name}/api.py": fill(API),
        f"plugins/{name}/migrations/0001_activity.py": fill(MIGRATION),
        f"plugins/{name}/templates/{name}/activities.html": fill(BLOCK),
        f"plugins/{name}/locale/da/LC_MESSAGES/messages.po": fill(CATALOGUE),
        f"tests/plugins/test_{name}.py": fill(TESTS),
    }


def create(root: Path, name: str, *, title: str | None = None, code: str = "0000", municipality: str | None = None,
           region: str = "", taken: set[str] = frozenset()) -> list[Path]:
    """Write the plugin's files under ``root``; nothing is written when a check fails."""
    from core.rules.errors import RuleViolation
    from core.rules.identifiers import normalise_municipality_code
    check_name(name, root, set(taken))
    try:
        code = normalise_municipality_code(code, "municipality-code")
    except RuleViolation:
        raise ScaffoldError(f"'{code}' is not a municipality code: it must be 4 digits") from None
    title = (title or name.replace("_", " ").title()).strip()
    if not title or any(c in title for c in '"\\\n$'):
        raise ScaffoldError("the title is one line without quotes, backslashes or '$'")
    municipality = (municipality or f"{title} Kommune").strip()
    if any(c in municipality + region for c in '"\\\n$'):
        raise ScaffoldError("the municipality's and the region's names are one line without quotes, "
                            "backslashes or '$'")
    written = []
    for relative, text in files(name, title, code, municipality, region).items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


# --- the files ------------------------------------------------------------------------------------

PLUGIN = '''"""$title: the municipality's social partnerships, as a Partnerskab plugin.

Made by ``partnerskab new-plugin $name`` (see docs/plugins.md, where each part is explained).
It brings a programme type with a criterion asked on the application form, its own rule (a
grant needs an activity held that year), a table of the partners' activities with its own
migration, an API operation to report and read them, a block on the programme's page, a to-do
item for the consultants and demo data. Keep what the municipality needs, delete the rest.
"""
from __future__ import annotations

import datetime
from pathlib import Path

from core.db import MigrationSource
from core.hookspecs import hookimpl
from core.i18n import lazy_gettext as _
from core.programme_types import Criterion, ProgrammeType
from core.web.pages import PageBlock

__version__ = "0.1.0"

HERE = Path(__file__).parent
TYPE_KEY = "$type_key"
PROGRAMME_SLUG = "$type_key"
MUNICIPALITY = ("$code", "$municipality", "$region")
REPORT = "$name.activity.report"  # report the activities of one's own association
READ = "$name.activity.read"      # read the activities of the programmes one follows

PROGRAMME_TYPE = ProgrammeType(
    key=TYPE_KEY,
    name=_("Social partnerships ($title)"),
    plugin="$name",
    summary=_("Associations that include vulnerable children and young people get a yearly grant."),
    owner_kinds=("municipality",),
    grant_per_partner_per_year_ore=100_000 * 100,
    agreement_years=3,
    agreement_extendable=True,
    sign_on_fee_cap_ore=10_000 * 100,
    target_groups=("children", "youth"),
    criteria=(
        Criterion("members_under_25", _("At least 50 members under 25"), {"min_members_under_25": 50},
                  question=_("Number of members under 25")),
    ),
    reporting=(_("Each partner reports its activities: what, when and how many took part (a count, never who)"),),
)


@hookimpl
def register_programme_types():
    return [PROGRAMME_TYPE]


@hookimpl
def register_models():
    from plugins.$name.models import Activity
    return [Activity]


@hookimpl
def register_migrations():
    return [MigrationSource("$name", HERE / "migrations")]


@hookimpl
def register_permissions():
    return {"board_member": [REPORT, READ], "resource_person": [REPORT, READ],
            "consultant": [READ], "municipality_admin": [READ]}


@hookimpl
def register_api_operations(platform):
    from plugins.$name import api
    return api.operations()


@hookimpl
def check_rules(platform, check):
    """$title's own rule: a partner's grant for a year needs an activity it held that year."""
    if check.action != "grant.record" or check.programme_type is None or check.programme_type.key != TYPE_KEY:
        return
    from plugins.$name.models import Activity
    year = check.values["year"]
    held = Activity.select().where(Activity.programme == check.programme.id,
                                   Activity.organisation == check.organisation_id,
                                   Activity.held_on.between(datetime.date(year, 1, 1), datetime.date(year, 12, 31)))
    if not held.exists():
        check.problems.add("organisation", "A grant for %(year)s needs an activity the partner held in %(year)s: "
                                           "report one first", year=str(year))


@hookimpl
def page_blocks(request, page, context):
    """On the page of a programme of this type: the partners' activities this year, one query."""
    if page != "programme" or context["programme"].programme_type != TYPE_KEY:
        return []
    from plugins.$name.models import activities_by_organisation
    year = datetime.date.today().year
    counts = activities_by_organisation(context["programme"].id, year)
    rows = [(member.organisation, *counts.get(member.organisation_id, (0, 0)))
            for member in context["members"] if member.role == "partner"]
    return [PageBlock("$name/activities.html", context={"activity_rows": rows, "activity_year": year})]


@hookimpl
def todo_items(platform, actor, today):
    """For those who follow the programme: partners without an activity this year."""
    from core import authz
    from core.todo import TodoItem
    from plugins.$name.models import partners_without_activity
    if not authz.can(actor, READ):
        return []
    return [TodoItem("$name-activities", _("Partners without an activity this year"),
                     f"{membership.organisation.name} – {membership.programme.name}",
                     f"/organisations/{membership.organisation.slug}",
                     _("No activity reported in %(year)s") % {"year": today.year})
            for membership in partners_without_activity(actor, READ, TYPE_KEY, today.year)]


@hookimpl
def load_demo_data(platform):
    """The municipality, its programme with a budget, two partner associations, an activity and
    a grant (the rule above wants the activity first), and demo accounts. Idempotent."""
    from core.demo import Demo
    from plugins.$name.models import Activity
    demo = Demo(platform)
    code, name, region = MUNICIPALITY
    demo.municipality(code, name, region)
    programme = demo.programme(PROGRAMME_SLUG, "Sociale partnerskaber i $title", TYPE_KEY, code,
                               start=datetime.date(2024, 1, 1),
                               description="Foreninger, der inkluderer udsatte børn og unge, får et årligt tilskud.")
    for year in (2024, 2025, 2026, 2027):
        demo.budget(programme, year, 1_000_000)
    first = demo.organisation("$title Idrætsforening (eksempel)", "association", code,
                              description="Fiktiv eksempelforening i demodata.", target_groups=["children", "youth"])
    second = demo.organisation("$title Spejderne (eksempel)", "association", code,
                               description="Fiktiv eksempelforening i demodata.", target_groups=["youth"])
    for association in (first, second):
        demo.member(programme, association, "partner", datetime.date(2024, 1, 1))
    Activity.get_or_create(organisation=first.id, programme=programme.id, title="Åben træning",
                           defaults={"held_on": datetime.date(2024, 5, 1), "participants": 24,
                                     "reported_by": "demo-data"})
    demo.grant(programme, first, 2024, 100_000, purpose="Ressourceperson")
    demo.account("$name-konsulent@partnerskab.test", "$title Konsulent", "consultant", municipality=code)
    demo.account("$name-forening@partnerskab.test", "$title Foreningsleder", "board_member", organisation=first)
'''

MODELS = '''"""$title's table: the activities partners held — what, when and how many took part (a count,
never who). Its rows belong to the programme's municipality and to the organisation
(``scope_rule``, see ``core.scope``), so ``core.tenancy.scoped`` and ``core.authz.can`` know
whose they are."""
from __future__ import annotations

import datetime

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, fn

from core import clock
from core.db import BaseModel
from core.models.organisation import Organisation
from core.models.programme import Programme
from core.scope import Via


class Activity(BaseModel):
    organisation = ForeignKeyField(Organisation, on_delete="CASCADE")
    programme = ForeignKeyField(Programme, on_delete="CASCADE")
    title = CharField(max_length=200)
    held_on = DateField()
    participants = IntegerField()
    reported_by = CharField(max_length=200)
    created_at = DateTimeField(default=clock.now)

    # governed where its programme is, and the organisation's own (its people report them)
    scope_rule = Via("programme", organisation="organisation")

    class Meta:
        table_name = "${name}_activity"


def activities_by_organisation(programme_id: int, year: int) -> dict[int, tuple[int, int]]:
    """Activities and participants per organisation in a programme and year, in one query."""
    rows = (Activity.select(Activity.organisation, fn.COUNT(Activity.id), fn.SUM(Activity.participants))
            .where(Activity.programme == programme_id,
                   Activity.held_on.between(datetime.date(year, 1, 1), datetime.date(year, 12, 31)))
            .group_by(Activity.organisation).tuples())
    return {organisation: (count, int(total or 0)) for organisation, count, total in rows}


def partners_without_activity(actor, action: str, type_key: str, year: int) -> list:
    """Partners in programmes of the type, within the actor's scope, with no activity that year."""
    from core import tenancy
    from core.models.membership import Membership
    held = Activity.select(Activity.id).where(
        Activity.programme == Membership.programme, Activity.organisation == Membership.organisation,
        Activity.held_on.between(datetime.date(year, 1, 1), datetime.date(year, 12, 31)))
    query = (Membership.select(Membership, Organisation, Programme).join(Organisation)
             .switch(Membership).join(Programme)
             .where(Programme.programme_type == type_key, Programme.deleted_at.is_null(),
                    Membership.role == "partner", Membership.deleted_at.is_null(), ~fn.EXISTS(held)))
    return list(tenancy.scoped(query, Membership, actor, action).order_by(Organisation.name).limit(200))
'''

MIGRATION = '''"""$title's activities table (a frozen copy of ``plugins/$name/models.py`` as it was when this
script was written: later changes get new numbered scripts, never edits here)."""
from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, Model


def up(migrator, db):
    class Organisation(Model):
        class Meta:
            database = db
            table_name = "organisation"

    class Programme(Model):
        class Meta:
            database = db
            table_name = "programme"

    class Activity(Model):
        organisation = ForeignKeyField(Organisation, on_delete="CASCADE")
        programme = ForeignKeyField(Programme, on_delete="CASCADE")
        title = CharField(max_length=200)
        held_on = DateField()
        participants = IntegerField()
        reported_by = CharField(max_length=200)
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "${name}_activity"
    db.create_tables([Activity])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("${name}_activity"))
'''

API = '''"""$title's API operations: the activities of the partners, read and reported. Declared with
``core.api.base.operation`` so they authenticate, check their permission, answer problems and
appear in /api/openapi.json exactly as the core's do; every query goes through
``core.tenancy.scoped``."""
from __future__ import annotations

import datetime

from core import authz, tenancy
from core.api.base import DATE, INT, PAGINATION, STR, Param, iso, list_of, obj, operation, page_of
from core.rules.errors import RuleViolation

ACTIVITY = obj({"id": INT, "organisation_id": INT, "programme_id": INT, "title": STR, "held_on": DATE,
                "participants": INT})
REPORT_BODY = {
    "type": "object", "additionalProperties": False,
    "required": ["organisation_id", "title", "held_on", "participants"],
    "properties": {
        "organisation_id": {"type": "integer", "minimum": 1, "maximum": 2**53 - 1},
        "title": {"type": "string", "minLength": 1, "maxLength": 200},
        "held_on": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$$", "minLength": 10, "maxLength": 10,
                    "description": "The day it was held (YYYY-MM-DD)"},
        "participants": {"type": "integer", "minimum": 0, "maximum": 100000,
                         "description": "How many took part: a count, never who"},
    },
}


def activity_json(row) -> dict:
    return {"id": row.id, "organisation_id": row.organisation_id, "programme_id": row.programme_id,
            "title": row.title, "held_on": iso(row.held_on), "participants": row.participants}


def ${name}_list_activities(call):
    from plugins.$name import READ
    from plugins.$name.models import Activity
    query = tenancy.scoped(Activity.select(), Activity, call.actor, READ)
    if call.params.get("programme"):
        query = query.where(Activity.programme == call.params["programme"])
    return page_of(call, query, Activity.id, activity_json)


def ${name}_report_activity(call):
    """An association reports an activity in the programme of this type it is a partner in."""
    from core.models.membership import Membership
    from core.models.organisation import Organisation
    from core.models.programme import Programme
    from plugins.$name import REPORT, TYPE_KEY
    from plugins.$name.models import Activity
    body = call.body
    organisation = Organisation.get_or_none(Organisation.id == body["organisation_id"],
                                            Organisation.deleted_at.is_null())
    membership = None
    if organisation is not None and authz.can(call.actor, REPORT, organisation):
        membership = (Membership.select(Membership, Programme).join(Programme)
                      .where(Membership.organisation == organisation.id, Membership.role == "partner",
                             Membership.deleted_at.is_null(), Programme.programme_type == TYPE_KEY,
                             Programme.deleted_at.is_null()).first())
    if membership is None:
        raise RuleViolation.one("organisation_id", "The organisation is not a partner in this programme, or you "
                                                   "may not report for it")
    try:
        held_on = datetime.date.fromisoformat(body["held_on"])
    except ValueError:
        raise RuleViolation.one("held_on", "'%(value)s' is not a date (YYYY-MM-DD)", value=body["held_on"]) from None
    row = Activity.create(organisation=organisation.id, programme=membership.programme_id, title=body["title"].strip(),
                          held_on=held_on, participants=body["participants"], reported_by=call.actor.label[:200])
    return 201, activity_json(row)


def operations():
    from plugins.$name import READ, REPORT
    tag = "$name"
    return [
        operation("GET", "/api/v1/$name/activities", ${name}_list_activities, permission=READ, tag=tag,
                  summary="The partners' activities you may read",
                  params=(*PAGINATION, Param("programme", description="Only this programme's (its id)", minimum=1)),
                  response=list_of(ACTIVITY)),
        operation("POST", "/api/v1/$name/activities", ${name}_report_activity, permission=REPORT, tag=tag,
                  summary="Report an activity of your association", body=REPORT_BODY, response=ACTIVITY,
                  status=201, extra_statuses=(422,)),
    ]
'''

BLOCK = '''<section class="plugin-block" id="$name-activities" aria-labelledby="$name-activities-title">
<h2 id="$name-activities-title">{{ _("Activities %(year)s", year=activity_year) }}</h2>
{% if activity_rows %}
<div class="table-scroll"><table>
  <thead><tr><th scope="col">{{ _("Partner") }}</th><th scope="col" class="num">{{ _("Activities") }}</th><th scope="col" class="num">{{ _("Participants") }}</th></tr></thead>
  <tbody>
  {% for organisation, count, participants in activity_rows %}
    <tr><td><a href="/organisations/{{ organisation.slug }}">{{ organisation.name }}</a></td><td class="num">{{ count | number }}</td><td class="num">{{ participants | number }}</td></tr>
  {% endfor %}
  </tbody>
</table></div>
{% else %}
<p>{{ _("No activities reported yet this year.") }}</p>
{% endif %}
</section>
'''

CATALOGUE = '''# Danish texts of the $title plugin. Message ids are English; every text the plugin shows
# has its Danish words here (the contract tests check it).
msgid ""
msgstr ""
"Project-Id-Version: Partnerskab $name plugin\\n"
"Language: da\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

msgid "Social partnerships ($title)"
msgstr "Sociale partnerskaber ($title)"

msgid "Associations that include vulnerable children and young people get a yearly grant."
msgstr "Foreninger, der inkluderer udsatte børn og unge, får et årligt tilskud."

msgid "At least 50 members under 25"
msgstr "Mindst 50 medlemmer under 25 år"

msgid "Number of members under 25"
msgstr "Antal medlemmer under 25 år"

msgid "Each partner reports its activities: what, when and how many took part (a count, never who)"
msgstr "Hver partner indberetter sine aktiviteter: hvad, hvornår og hvor mange der deltog (et antal, aldrig hvem)"

msgid "A grant for %(year)s needs an activity the partner held in %(year)s: report one first"
msgstr "Et tilskud for %(year)s kræver en aktivitet, som partneren holdt i %(year)s: indberet en først"

msgid "Partners without an activity this year"
msgstr "Partnere uden en aktivitet i år"

msgid "No activity reported in %(year)s"
msgstr "Ingen aktivitet indberettet i %(year)s"

msgid "The organisation is not a partner in this programme, or you may not report for it"
msgstr "Organisationen er ikke partner i dette partnerskab, eller du må ikke indberette for den"

msgid "Activities %(year)s"
msgstr "Aktiviteter %(year)s"

msgid "Activities"
msgstr "Aktiviteter"

msgid "Participants"
msgstr "Deltagere"

msgid "No activities reported yet this year."
msgstr "Ingen aktiviteter indberettet endnu i år."
'''

TESTS = '''"""The $title plugin: its own rule, table, API operation, page block and to-do item, over the
real stack. (What every plugin must do — a complete catalogue, idempotent demo data, pages that
render, criteria asked — is checked for every enabled plugin by tests/plugins/test_contract.py.)

Runs when the plugin is enabled in the configuration (``plugins = [..., "$name"]`` or
``PARTNERSKAB_PLUGINS``); the fixtures ``configured_*`` serve the app with the enabled plugins."""
from __future__ import annotations

import datetime
import uuid

import httpx
import pytest

from core import db
from core.auth import accounts, api_tokens
from core.models.account import Account
from core.models.organisation import Organisation
from core.models.programme import Programme
from core.rules import money
from core.rules.errors import RuleViolation
from tests.plugins.conftest import configured_plugins

pytestmark = pytest.mark.skipif("$name" not in configured_plugins(), reason="the $name plugin is not enabled")

PASSWORD = "seven green lamps by the river"


def token(role: str, **scope) -> str:
    email = f"$name-{uuid.uuid4().hex[:8]}@example.org"
    with db.connection():
        account = accounts.create_account(email=email, name="Test", password=PASSWORD, role=role, actor="test",
                                          **scope)
        return api_tokens.create_token(account, name="test", actor="test")[1]


@pytest.fixture
def api(configured_server):
    made = []

    def make(secret: str) -> httpx.Client:
        client = httpx.Client(base_url=configured_server, timeout=20,
                              headers={"Authorization": f"Bearer {secret}", "Accept-Language": "en"})
        made.append(client)
        return client
    yield make
    for client in made:
        client.close()


@pytest.fixture
def demo():
    from plugins.$name import PROGRAMME_SLUG
    with db.connection():
        programme = Programme.get(Programme.slug == PROGRAMME_SLUG)
        first = Organisation.get(Organisation.name == "$title Idrætsforening (eksempel)")
        second = Organisation.get(Organisation.name == "$title Spejderne (eksempel)")
    return programme, first, second


def test_the_programme_page_shows_the_activities_block(configured_http, demo):
    programme, first, _ = demo
    text = configured_http.get(f"/programmes/{programme.slug}", headers={"Accept-Language": "en"}).text
    assert f'<h2 id="$name-activities-title">Activities {datetime.date.today().year}</h2>' in text
    assert f'<a href="/organisations/{first.slug}">{first.name}</a>' in text


def test_a_board_member_reports_an_activity_through_the_api(api, demo, configured_platform):
    programme, first, second = demo
    board = api(token("board_member", organisation_ref=first.slug))
    made = board.post("/api/v1/$name/activities", json={
        "organisation_id": first.id, "title": "Sommerlejr", "held_on": "2025-07-01", "participants": 31})
    assert made.status_code == 201, made.text
    assert made.json()["programme_id"] == programme.id
    other = board.post("/api/v1/$name/activities", json={
        "organisation_id": second.id, "title": "Ikke vores", "held_on": "2025-07-01", "participants": 3})
    assert other.status_code == 422  # another association's: not this board member's to report
    consultant = api(token("consultant", municipality_code="$code"))
    listed = consultant.get("/api/v1/$name/activities", params={"programme": programme.id}).json()["items"]
    assert "Sommerlejr" in {item["title"] for item in listed}
    document = consultant.get("/api/openapi.json").json()
    assert set(document["paths"]["/api/v1/$name/activities"]) == {"get", "post"}


def test_a_grant_needs_an_activity_that_year(configured_platform, demo):
    programme, _, second = demo
    with db.connection():
        with pytest.raises(RuleViolation) as refused:
            money.record_grant(configured_platform, programme_id=programme.id, organisation_id=second.id,
                               year=2026, amount_ore=100_000 * 100, actor="test")
    assert list(refused.value.by_field()) == ["organisation"]


def test_the_consultant_sees_partners_without_an_activity(configured_client, demo):
    _, _, second = demo
    email = f"$name-{uuid.uuid4().hex[:8]}@example.org"
    with db.connection():
        accounts.create_account(email=email, name="Test", password=PASSWORD, role="consultant",
                                municipality_code="$code", actor="test")
    client = configured_client()
    page = client.get("/login")
    import re
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    assert client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": csrf}).status_code == 303
    todo = client.get("/todo").text
    assert "Partners without an activity this year" in todo
    assert f'<a href="/organisations/{second.slug}">' in todo
'''


__all__ = ["ScaffoldError", "check_name", "create", "files"]
