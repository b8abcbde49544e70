"""A fake plugin for the tests: it implements every hook the core offers, each with an effect a
test can see (a page, a navigation link, a block on two pages, a programme type, a target
group, a permission guarding a page, a table made by its own migration, a CLI command and
demo data)."""
from __future__ import annotations

import datetime
from pathlib import Path

from peewee import CharField

from core.db import BaseModel, MigrationSource
from core.hookspecs import hookimpl
from core.programme_types import Criterion, ProgrammeType, TargetGroup
from core.web.pages import NavLink, PageBlock, render
from core.web.routing import page

__version__ = "9.8.7"

HERE = Path(__file__).parent
TYPE_KEY = "fake-type"
TARGET_GROUP = "fake-group"
GREETING = "Hej fra den falske plugin"
DEMO_ORGANISATION = "Fake Plugin Demo Forening"
PERMISSION = "fake.approve"

PROGRAMME_TYPE = ProgrammeType(
    key=TYPE_KEY,
    name="Fake programme type",
    plugin="fake",
    summary="A programme type registered by the test plugin.",
    owner_kinds=("municipality",),
    grant_per_partner_per_year_ore=1_234 * 100,
    agreement_years=2,
    fixed_period=None,
    criteria=(Criterion("fake", "Be fake"),),
)


class FakeNote(BaseModel):
    text = CharField(max_length=200)

    class Meta:
        table_name = "fake_note"


def fake_page(request):
    return render(request, "fake_plugin/fake.html", {"notes": FakeNote.select().count()})


def boom(request):
    raise RuntimeError("the fake plugin's view broke; this text must not reach the visitor")


def cmd_fake_hello(platform, args) -> int:
    print(f"hello {args.name} from fake ({len(platform.programme_types)} programme types)")
    return 0


@hookimpl
def register_programme_types():
    return [PROGRAMME_TYPE]


@hookimpl
def register_target_groups():
    return [TargetGroup(TARGET_GROUP, "Fake target group", (1, 2))]


@hookimpl
def register_models():
    return [FakeNote]


@hookimpl
def register_migrations():
    return [MigrationSource("fake", HERE / "migrations")]


@hookimpl
def register_permissions():
    return {"consultant": [PERMISSION]}


@hookimpl
def register_routes(platform):
    return [page("/fake", fake_page, name="fake"), page("/fake/boom", boom, name="fake-boom"),
            page("/fake/private", fake_page, name="fake-private", permission=PERMISSION)]


@hookimpl
def register_commands(subparsers, platform):
    hello = subparsers.add_parser("fake-hello", help="say hello from the fake plugin")
    hello.add_argument("--name", default="world")
    hello.set_defaults(func=cmd_fake_hello)


@hookimpl
def navigation_links(request):
    return [NavLink("/fake", "Fake nav link", order=10)]


@hookimpl
def extra_template_vars(request, template_name):
    return {"fake_greeting": GREETING, "fake_template_name": template_name}


@hookimpl
def page_blocks(request, page, context):
    if page == "programme":
        return [PageBlock("fake_plugin/block.html", order=5,
                          context={"fake_where": f"programme {context['programme'].slug}"})]
    if page == "home":
        return [PageBlock("fake_plugin/block.html", context={"fake_where": "home"})]
    return []


@hookimpl
def load_demo_data(platform):
    from core.demo import Demo
    Demo(platform).organisation(DEMO_ORGANISATION, "other", description="Made by the fake plugin's demo data.",
                                target_groups=[TARGET_GROUP])
    FakeNote.create(text=f"demo data loaded {datetime.date.today().isoformat()}")
