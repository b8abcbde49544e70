"""Plugins over the real stack: an app built with the fake plugin (tests/fake_plugin), which
implements every hook, migrated and served by uvicorn; each hook's effect is checked where a
visitor or an operator would see it. Also: configuration order, unknown and misspelled plugins,
plugin_infos and entry-point discovery."""
from __future__ import annotations

import importlib.metadata
import io
import re
from pathlib import Path
import socket
import threading
import time
from contextlib import redirect_stderr, redirect_stdout

import httpx
import pluggy
import pytest
import uvicorn

import core
from core import cli, db, demo
from core import settings as settings_module
from core.app import create_app
from core.hookspecs import hookimpl
from core.models import Organisation
from core.plugins import available_plugins, build_plugin_manager, plugin_infos
from core.settings import ConfigError
from tests import fake_plugin
from tests.core.test_hookspecs import spec_functions

ROSKILDE_PROGRAMME = "/programmes/roskilde-sociale-partnerskabsforeninger"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def fake_app(app, settings):
    """The demo app's settings and database plus the fake plugin, migrated."""
    application = create_app(settings, extra_plugins=[("fake", fake_plugin)])
    platform = application.state.platform
    with db.connection():
        application.state.pending_before = db.pending(platform.migration_sources)
        application.state.applied = db.migrate(platform.migration_sources)
    return application


@pytest.fixture(scope="module")
def fake_platform(fake_app):
    return fake_app.state.platform


@pytest.fixture(scope="module")
def fake_server(fake_app):
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(fake_app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.025)
    assert server.started, "the fake plugin's app did not start"
    yield base
    server.should_exit = True
    thread.join(timeout=5)


@pytest.fixture
def fake_http(fake_server):
    with httpx.Client(base_url=fake_server, timeout=10, cookies={"lang": "en"}) as client:
        yield client


# --- every hook's effect ------------------------------------------------------------------------

def test_register_routes_serves_the_plugin_page_with_its_template(fake_http):
    response = fake_http.get("/fake")
    assert response.status_code == 200
    assert "<h1>Fake page</h1>" in response.text
    # the template extends the theme's base.html: the site's header and navigation are there
    assert 'class="main-nav"' in response.text and "<title>Fake page · " in response.text


def test_extra_template_vars_reach_the_plugin_template(fake_http):
    text = fake_http.get("/fake").text
    assert f'<p id="greeting">{fake_plugin.GREETING}</p>' in text
    assert '<p id="template-name">fake_plugin/fake.html</p>' in text


def test_navigation_links_appear_on_every_page(fake_http):
    for path in ("/fake", "/", "/organisations", ROSKILDE_PROGRAMME):
        nav = re.search(r'<nav class="main-nav".*?</nav>', fake_http.get(path).text, re.S).group(0)
        assert '<a href="/fake">Fake nav link</a>' in nav, path


def test_page_blocks_on_a_programme_page_and_the_front_page(fake_http):
    programme = fake_http.get(ROSKILDE_PROGRAMME).text
    assert ('<section class="fake-plugin-block" data-where="programme '
            'roskilde-sociale-partnerskabsforeninger">') in programme
    # inside the page's main content, after the core's own sections
    main = programme[programme.index('<main'):programme.index('</main>')]
    assert main.index("fake-plugin-block") > main.index('id="network"')
    home = fake_http.get("/").text
    assert '<section class="fake-plugin-block" data-where="home">' in home
    # every page family asks for blocks, each with its own main object (tests/core/hooks/test_pages.py)
    assert ('<section class="fake-plugin-block" data-where="organisation roskilde-basketball-club-rbbc">'
            in fake_http.get("/organisations/roskilde-basketball-club-rbbc").text)


def test_without_the_plugin_none_of_it_is_there(http):
    """The session's demo app (same database, no fake plugin) shows none of the fake plugin's effects."""
    assert http.get("/fake").status_code == 404
    for path in ("/", ROSKILDE_PROGRAMME):
        text = http.get(path).text
        assert "fake-plugin-block" not in text and 'href="/fake"' not in text


def test_register_programme_types_and_target_groups(fake_platform, fake_http, platform):
    assert "fake-type" in fake_platform.programme_types
    assert fake_platform.programme_types["fake-type"].plugin == "fake"
    # every built-in plugin's type is still there, and the session platform has no fake type
    assert {t.key for t in platform.programme_types} < {t.key for t in fake_platform.programme_types}
    assert "fake-type" not in platform.programme_types
    assert fake_platform.target_groups["fake-group"].label == "Fake target group"
    assert "children" in fake_platform.target_groups  # the core's groups come too
    # the directory offers the new target group as a filter
    text = fake_http.get("/organisations").text
    assert '<option value="fake-group">Fake target group</option>' in text
    selected = fake_http.get("/organisations", params={"target_group": "fake-group"}).text
    assert '<option value="fake-group" selected>' in selected


def test_register_permissions_guards_the_plugin_page(fake_platform, platform, fake_server):
    assert fake_platform.permissions.grants("consultant", fake_plugin.PERMISSION)
    assert not fake_platform.permissions.grants("board_member", fake_plugin.PERMISSION)
    assert not platform.permissions.grants("consultant", fake_plugin.PERMISSION)
    with httpx.Client(base_url=fake_server, timeout=10) as client:
        response = client.get("/fake/private")
    # an anonymous visitor is sent to log in, and does not see the page
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/fake/private"
    assert "Fake page" not in response.text


def test_register_models_and_migrations(fake_app, fake_platform):
    assert fake_plugin.FakeNote in fake_platform.models
    components = [source.component for source in fake_platform.migration_sources]
    assert components[0] == "core" and components[-1] == "fake"
    assert fake_app.state.pending_before["fake"] == ["0001_fake_note", "0002_fake_record"]
    assert fake_app.state.applied["fake"] == ["0001_fake_note", "0002_fake_record"]
    assert fake_app.state.applied["core"] == []  # the core's history is its own, already applied
    with db.connection():
        assert db.database.table_exists("fake_note")
        assert db.database.table_exists("schema_migration_fake")
        assert all(not names for names in db.pending(fake_platform.migration_sources).values())
        assert db.migrate(fake_platform.migration_sources) == {c: [] for c in components}  # idempotent


def test_healthz_of_the_plugin_app_knows_its_migrations(fake_http):
    body = fake_http.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["database"]["pending_migrations"] == {}


def test_load_demo_data_runs_inside_core_demo_load(fake_platform):
    with db.connection():
        with db.database.atomic() as txn:
            organisations_before = Organisation.select().count()
            demo.load(fake_platform)
            created = Organisation.get_or_none(Organisation.name == fake_plugin.DEMO_ORGANISATION)
            assert created is not None and created.kind == "other"
            assert [row.target_group for row in created.target_group_rows] == ["fake-group"]
            assert fake_plugin.FakeNote.select().count() == 1
            # the built-in plugins' demo data is idempotent: only the fake plugin's organisation is new
            assert Organisation.select().count() == organisations_before + 1
            txn.rollback()  # leave the shared database as the other tests know it
        assert Organisation.get_or_none(Organisation.name == fake_plugin.DEMO_ORGANISATION) is None


def test_load_demo_data_is_one_transaction(fake_platform):
    """A plugin whose demo data fails leaves nothing behind, not even the fake plugin's rows."""
    class Broken:
        @hookimpl(trylast=True)  # after the fake plugin has written its rows
        def load_demo_data(self, platform):
            raise RuntimeError("boom")

    fake_platform.pm.register(Broken(), name="broken")
    try:
        with db.connection():
            with pytest.raises(RuntimeError, match="boom"):
                demo.load(fake_platform)
            assert Organisation.get_or_none(Organisation.name == fake_plugin.DEMO_ORGANISATION) is None
            assert fake_plugin.FakeNote.select().count() == 0
    finally:
        fake_platform.pm.unregister(name="broken")


def test_register_commands_adds_a_cli_command(fake_platform):
    main_parser, sub = cli.parser()
    with pytest.raises(SystemExit), redirect_stderr(io.StringIO()):  # not there before the hook runs
        main_parser.parse_args(["fake-hello"])
    main_parser, sub = cli.parser()
    fake_platform.pm.hook.register_commands(subparsers=sub, platform=fake_platform)
    args = main_parser.parse_args(["fake-hello", "--name", "Roskilde"])
    out = io.StringIO()
    with redirect_stdout(out):
        assert args.func(fake_platform, args) == 0
    assert out.getvalue().strip() == f"hello Roskilde from fake ({len(fake_platform.programme_types)} programme types)"
    assert "fake-hello" in main_parser.format_help()


def test_cli_plugins_command_lists_the_fake_plugin(fake_platform):
    main_parser, sub = cli.parser()
    args = main_parser.parse_args(["plugins"])
    out = io.StringIO()
    with redirect_stdout(out):
        assert args.func(fake_platform, args) == cli.EXIT_OK
    lines = out.getvalue().splitlines()
    assert "fake 9.8.7" in lines
    assert lines[lines.index("fake 9.8.7") + 1].strip().startswith("hooks: check_rules, extra_template_vars, "
                                                                    "load_demo_data")
    assert not any(line.startswith("core ") for line in lines)  # only with --all


# --- order, unknown and misspelled plugins -------------------------------------------------------

def test_plugins_are_called_in_configuration_order():
    for order in (("hillerod", "copenhagen", "roskilde"), ("roskilde", "hillerod", "copenhagen")):
        pm = build_plugin_manager(order)
        # the shared plugin Hillerød configures comes right before it
        expected = [name for plugin in order for name in (("local_partnership", plugin) if plugin == "hillerod"
                                                           else (plugin,))]
        assert [info.name for info in plugin_infos(pm)] == [*expected, "core"]
        plugins_of_types = [t.plugin for result in pm.hook.register_programme_types() for t in result]
        # Copenhagen brings two types; the order of plugins is the order of their results
        assert list(dict.fromkeys(plugins_of_types)) == list(order)


def test_extra_plugins_come_after_the_configured_ones():
    pm = build_plugin_manager(("slagelse",), [("fake", fake_plugin)])
    assert [info.name for info in plugin_infos(pm)] == ["local_partnership", "slagelse", "fake", "core"]


def test_a_shared_plugin_is_active_once_before_the_first_plugin_that_requires_it():
    from plugins import hillerod, local_partnership, slagelse
    assert slagelse.REQUIRES == hillerod.REQUIRES == ("local_partnership",)
    for enabled in (("roskilde", "slagelse", "hillerod"), ("roskilde", "local_partnership", "slagelse", "hillerod"),
                    ("roskilde", "slagelse", "local_partnership", "hillerod")):
        pm = build_plugin_manager(enabled)
        names = [info.name for info in plugin_infos(pm)]
        assert names == ["roskilde", "local_partnership", "slagelse", "hillerod", "core"], enabled
        assert pm.get_plugin("local_partnership") is local_partnership
        # its permission comes once; each partnership brings its own programme type
        assert pm.hook.register_permissions().count(local_partnership.PERMISSIONS) == 1
        keys = [t.key for result in pm.hook.register_programme_types() for t in result]
        assert keys[-2:] == [slagelse.TYPE_KEY, hillerod.TYPE_KEY]
    alone = build_plugin_manager(("local_partnership",))
    assert [info.name for info in plugin_infos(alone)] == ["local_partnership", "core"]
    assert not [t for result in alone.hook.register_programme_types() for t in result]


def test_a_missing_required_plugin_is_a_config_error(monkeypatch):
    import types
    lonely = types.ModuleType("tests.lonely_plugin")
    lonely.REQUIRES = ("nowhere",)
    monkeypatch.setitem(__import__("sys").modules, "tests.lonely_plugin", lonely)
    real = available_plugins()
    monkeypatch.setattr("core.plugins.available_plugins", lambda: {**real, "lonely": "tests.lonely_plugin"})
    with pytest.raises(ConfigError, match="plugin lonely requires the plugin nowhere"):
        build_plugin_manager(("lonely",))


def test_an_unknown_plugin_in_the_configuration_is_a_config_error(settings):
    bad = settings_module.load(settings_module.DEFAULT_CONFIG, environ={"PARTNERSKAB_PLUGINS": "roskilde,kolding"},
                               database_url=settings.database_url, instance_dir=settings.instance_dir)
    with pytest.raises(ConfigError) as excinfo:
        create_app(bad)
    message = str(excinfo.value)
    assert "unknown plugin(s) kolding" in message
    assert "available plugins are" in message and "roskilde" in message and "copenhagen" in message


class Misspelled:
    @hookimpl
    def register_programme_type(self):  # the hook is register_programme_types
        return []


class WrongArgument:
    @hookimpl
    def page_blocks(self, request, page, ctx):  # the argument is called context
        return []


def test_a_misspelled_hook_fails_at_start_up(settings):
    with pytest.raises(pluggy.PluginValidationError, match="register_programme_type"):
        build_plugin_manager(("roskilde",), [("typo", Misspelled())])
    with pytest.raises(pluggy.PluginValidationError):
        create_app(settings, extra_plugins=[("typo", Misspelled())])


def test_a_hook_with_an_unknown_argument_fails_at_start_up():
    with pytest.raises(pluggy.PluginValidationError, match="ctx"):
        build_plugin_manager((), [("wrong", WrongArgument())])


def test_plugin_infos_gives_versions_and_hooks():
    pm = build_plugin_manager(("roskilde", "copenhagen"), [("fake", fake_plugin)])
    infos = {info.name: info for info in plugin_infos(pm)}
    assert list(infos) == ["roskilde", "copenhagen", "fake", "core"]
    assert infos["roskilde"].version == "1.0.0"
    assert infos["roskilde"].hooks == ("load_demo_data", "register_programme_types")
    assert infos["fake"].version == "9.8.7"
    assert set(infos["fake"].hooks) == set(spec_functions())
    assert infos["fake"].directory == fake_plugin.HERE
    assert infos["core"].version == core.__version__
    assert "register_routes" in infos["core"].hooks


# --- entry-point plugins -------------------------------------------------------------------------

@pytest.fixture
def installed_fake_plugin(monkeypatch):
    """Pretend a package installed the fake plugin under the 'partnerskab' entry-point group."""
    real = importlib.metadata.entry_points
    entry_point = importlib.metadata.EntryPoint(name="fakeplug", value="tests.fake_plugin", group="partnerskab")

    def entry_points(**params):
        if params.get("group") == "partnerskab":
            return importlib.metadata.EntryPoints([entry_point])
        return real(**params)

    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)


def test_entry_point_plugins_are_discovered_but_inactive_until_listed(installed_fake_plugin):
    assert available_plugins()["fakeplug"] == "tests.fake_plugin"
    inactive = build_plugin_manager(("roskilde",))
    assert inactive.get_plugin("fakeplug") is None
    assert not any(t.key == "fake-type" for result in inactive.hook.register_programme_types() for t in result)
    active = build_plugin_manager(("roskilde", "fakeplug"))
    assert active.get_plugin("fakeplug") is fake_plugin
    assert [info.name for info in plugin_infos(active)] == ["roskilde", "fakeplug", "core"]
    assert [t.key for result in active.hook.register_programme_types() for t in result][-1] == "fake-type"


def test_a_builtin_plugin_wins_over_an_entry_point_of_the_same_name(monkeypatch):
    entry_point = importlib.metadata.EntryPoint(name="roskilde", value="tests.fake_plugin", group="partnerskab")
    monkeypatch.setattr(importlib.metadata, "entry_points",
                        lambda **params: importlib.metadata.EntryPoints([entry_point]))
    assert available_plugins()["roskilde"] == "plugins.roskilde"


def test_without_entry_points_only_builtin_plugins_are_available(monkeypatch):
    monkeypatch.setattr(importlib.metadata, "entry_points", lambda **params: importlib.metadata.EntryPoints([]))
    folders = {path.name for path in (settings_module.ROOT / "plugins").iterdir() if (path / "__init__.py").exists()}
    assert folders and set(available_plugins()) == folders


def test_an_error_in_a_plugin_view_shows_the_generic_error_page(fake_http, caplog):
    response = fake_http.get("/fake/boom")
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    assert "Traceback" not in response.text and "must not reach the visitor" not in response.text
    request_id = response.headers["x-request-id"]
    assert f'<span class="request-id">{request_id}</span>' in response.text
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    # the operator finds the traceback in the log under the same request id
    logged = [r for r in caplog.records if r.name == "partnerskab.web" and request_id in r.getMessage()]
    assert logged and logged[0].exc_info is not None


# --- the core stays municipality-neutral ---------------------------------------------------------

MUNICIPALITY_NAMES = re.compile(r"københavn|kobenhavn|copenhagen|roskilde|slagelse|hillerød|hillerod", re.I)
# (file, text on the line): lines that name a municipality for another reason than knowing about it.
NOT_ABOUT_A_MUNICIPALITY = {
    # a time zone's name
    ("core/db.py", "Europe/Copenhagen"),
    ("core/i18n.py", "Europe/Copenhagen"),
}


def test_the_core_names_no_municipality():
    """Municipalities live in plugins: no Python file or template under core/ names one."""
    core_dir = Path(core.__file__).parent
    root = core_dir.parent
    files = sorted([*core_dir.rglob("*.py"), *(core_dir / "templates").rglob("*.html")])
    assert len(files) > 20 and any(f.suffix == ".html" for f in files)
    found = []
    for path in files:
        relative = path.relative_to(root).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if MUNICIPALITY_NAMES.search(line) and not any(
                    relative == where and text in line for where, text in NOT_ABOUT_A_MUNICIPALITY):
                found.append(f"{relative}:{number}: {line.strip()}")
    assert not found, "the core names a municipality:\n" + "\n".join(found)
