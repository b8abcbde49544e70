"""What every enabled plugin must do, checked for each one the configuration enables (see
``tests/plugins/conftest.py``): its catalogue gives Danish words to every text it shows, its demo
data changes nothing when loaded again, the pages of its programmes render in both languages,
and its criteria are asked on the application form of its programmes' calls."""
from __future__ import annotations

import datetime
import html
import re
import uuid

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from core import db
from core.auth import accounts
from core.models.account import Account, RoleAssignment, Session
from core.models.application import Application, ApplicationAnswer
from core.models.call import Call, CallQuestion
from core.models.organisation import Organisation, OrganisationTargetGroup
from core.models.programme import Programme
from core.plugins import plugin_infos
from core.rules import calls, registry
from core.settings import ROOT
from tests.core.test_i18n import _keywords_from_cfg, _translated
from tests.plugins.conftest import configured_plugins

PLUGINS = configured_plugins()
PASSWORD = "orange kettle beneath twelve stairs"


def info_of(platform, name: str):
    infos = {info.name: info for info in plugin_infos(platform.pm)}
    assert name in infos, f"plugin {name} is enabled in the configuration but not active"
    return infos[name]


def types_of(platform, name: str) -> list:
    """The programme types the plugin registers."""
    return [programme_type for impl in platform.pm.hook.register_programme_types.get_hookimpls()
            if impl.plugin_name == name for programme_type in (impl.function() or [])]


def programmes_of(platform, name: str) -> list[Programme]:
    keys = [t.key for t in types_of(platform, name)]
    with db.connection():
        return list(Programme.select().where(Programme.programme_type.in_(keys or [""]),
                                             Programme.deleted_at.is_null()).order_by(Programme.id))


def test_plugins_are_configured():
    assert PLUGINS, "the configuration enables no plugin"


# --- the catalogue -----------------------------------------------------------------------------

def _catalogue(path):
    with open(path, "rb") as fh:
        return read_po(fh, locale="da")


def missing_danish(folder) -> dict[str, str]:
    """The texts of a plugin's Python (gettext, lazy_gettext, the rules' messages) and templates
    without Danish words in its own catalogue (or the core's, for a text it shares): msgid -> where."""
    po_file = folder / "locale" / "da" / "LC_MESSAGES" / "messages.po"
    assert po_file.exists(), f"no Danish catalogue at {po_file}"
    own, core = _catalogue(po_file), _catalogue(ROOT / "core" / "locale" / "da" / "LC_MESSAGES" / "messages.po")
    keywords = {**DEFAULT_KEYWORDS, **_keywords_from_cfg()}
    found: dict[str, str] = {}
    for method, pattern, options in (("python", "**.py", {}),
                                     ("jinja2", "**/templates/**.html", {"extensions": "jinja2.ext.i18n"})):
        for filename, lineno, message, _c, _x in extract_from_dir(str(folder), [(pattern, method)],
                                                                  {pattern: options}, keywords=keywords):
            key = message[0] if isinstance(message, tuple) else message
            if key:
                found.setdefault(key, f"{filename}:{lineno}")
    return {key: where for key, where in found.items() if not (_translated(own, key) or _translated(core, key))}


@pytest.mark.parametrize("name", PLUGINS)
def test_the_catalogue_is_complete(name, configured_platform):
    missing = missing_danish(info_of(configured_platform, name).directory)
    assert not missing, f"plugin {name}: no Danish for\n" + "\n".join(f"  {k!r} ({w})" for k, w in missing.items())


# --- demo data -------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", PLUGINS)
def test_demo_data_loaded_again_changes_nothing(name, configured_platform):
    platform = configured_platform
    others = [plugin for other, plugin in platform.pm.list_name_plugin() if other != name]
    load = platform.pm.subset_hook_caller("load_demo_data", remove_plugins=others)
    tables = [model for model in platform.models]
    with db.connection():
        with db.database.atomic() as txn:
            before = {model._meta.table_name: model.select().count() for model in tables}
            load(platform=platform)
            after = {model._meta.table_name: model.select().count() for model in tables}
            txn.rollback()  # whatever happened, leave the database as the other tests know it
    changed = {table: (before[table], after[table]) for table in before if before[table] != after[table]}
    assert not changed, f"plugin {name}: a second demo load changed {changed}"


# --- programme pages ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", PLUGINS)
def test_its_programme_pages_render(name, configured_platform, configured_client):
    types = types_of(configured_platform, name)
    if not types:
        pytest.skip(f"plugin {name} registers no programme type")
    programmes = programmes_of(configured_platform, name)
    assert programmes, f"plugin {name}: its demo data makes no programme of its types"
    for lang in ("da", "en"):
        client = configured_client(lang)
        listing = client.get("/programmes")
        assert listing.status_code == 200
        for programme in programmes:
            assert f'href="/programmes/{programme.slug}"' in listing.text, (lang, programme.slug)
            response = client.get(f"/programmes/{programme.slug}")
            assert response.status_code == 200, (lang, programme.slug)
            text = html.unescape(response.text)
            assert f'<html lang="{lang}">' in text
            assert f"<h1>{programme.name}</h1>" in text
            programme_type = configured_platform.programme_types[programme.programme_type]
            from core import i18n
            with i18n.locale_context(lang):
                assert str(programme_type.name) in text, (lang, programme.slug)
                for criterion in programme_type.criteria:
                    assert str(criterion.text) in text, (lang, criterion.key)


# --- criteria on the application form ---------------------------------------------------------

def _csrf(text: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', text).group(1)


@pytest.fixture
def applicant(configured_platform):
    """For a programme type: a running programme of it (the plugin's own, else a temporary one
    where the plugin's programmes are), an open call, an association in that municipality and a board
    member of it; all removed again afterwards (the application too)."""
    made: list[tuple] = []

    def make(programme_type, programmes: list[Programme]):
        today = datetime.date.today()
        platform = configured_platform
        with db.connection():
            programme = next((p for p in programmes if p.programme_type == programme_type.key
                              and (p.end_date is None or p.end_date >= today)), None)
            temporary = []
            if programme is None:  # the demo data has none of this type running: make one for the test
                municipality = programmes[0].municipality.code if programmes else "0101"
                owner = None
                if "municipality" not in programme_type.owner_kinds:
                    owner = registry.create_organisation(platform, {
                        "name": f"Kontraktejer {uuid.uuid4().hex[:8]}", "kind": programme_type.owner_kinds[0],
                        "municipality": municipality}, "test")
                    temporary.append(owner)
                programme = registry.create_programme(platform, {
                    "name": f"Kontraktprogram {uuid.uuid4().hex[:8]}", "programme_type": programme_type.key,
                    "municipality": municipality, "owner_organisation": owner,
                    "start_date": today - datetime.timedelta(days=1)}, "test")
                temporary.insert(0, programme)
            organisation = registry.create_organisation(platform, {
                "name": f"Kontraktforeningen {uuid.uuid4().hex[:8]}", "kind": "association",
                "municipality": programme.municipality.code, "email": "kontrakt@example.org"}, "test")
            email = f"contract-{uuid.uuid4().hex[:8]}@example.org"
            accounts.create_account(email=email, name="Kontrakt", password=PASSWORD, role="board_member",
                                    organisation_ref=organisation.slug, actor="test")
            call = calls.create_call(platform, programme=programme, actor="test", data={
                "title": f"Kontrakt {uuid.uuid4().hex[:8]}", "opens_on": today.isoformat(),
                "closes_on": (today + datetime.timedelta(days=30)).isoformat()})
        made.append((organisation, email, call, temporary))
        return organisation, email, call
    yield make
    with db.connection():
        for organisation, email, call, temporary in made:
            applications = Application.select(Application.id).where(Application.call == call.id)
            ApplicationAnswer.delete().where(ApplicationAnswer.application.in_(applications)).execute()
            Application.delete().where(Application.call == call.id).execute()
            CallQuestion.delete().where(CallQuestion.call == call.id).execute()
            Call.delete().where(Call.id == call.id).execute()
            account = Account.get(Account.email == email)
            Session.delete().where(Session.account == account.id).execute()
            RoleAssignment.delete().where(RoleAssignment.account == account.id).execute()
            account.delete_instance(recursive=True)
            for row in [organisation, *temporary]:
                if isinstance(row, Organisation):
                    OrganisationTargetGroup.delete().where(OrganisationTargetGroup.organisation == row.id).execute()
                row.delete_instance(recursive=True)


@pytest.mark.parametrize("name", PLUGINS)
def test_its_criteria_are_asked_on_the_application_form(name, configured_platform, configured_client, applicant):
    asked = [t for t in types_of(configured_platform, name) if any(c.question is not None for c in t.criteria)]
    if not asked:
        pytest.skip(f"plugin {name} has no criterion that an application asks about")
    programmes = programmes_of(configured_platform, name)
    for programme_type in asked:
        organisation, email, call = applicant(programme_type, programmes)
        client = configured_client("en")
        login = client.get("/login")
        assert client.post("/login", data={"email": email, "password": PASSWORD,
                                           "csrf_token": _csrf(login.text)}).status_code == 303
        page = client.get(f"/calls/{call.id}")
        started = client.post(f"/calls/{call.id}/apply", data={"organisation": str(organisation.id),
                                                                "csrf_token": _csrf(page.text)})
        assert started.status_code == 303, started.text
        form = html.unescape(client.get(started.headers["location"]).text)
        from core import i18n
        with i18n.locale_context("en"):
            for criterion in programme_type.criteria:
                if criterion.question is None:
                    continue
                assert f'name="criterion:{criterion.key}"' in form, (name, criterion.key)
                assert str(criterion.question) in form, (name, criterion.key)
