"""Languages: every text has its Danish words, placeholders survive translation, and the
reader's language is chosen per request (Danish by default, English on request).

The extraction uses the project's own ``babel.cfg`` (patterns, Jinja options and the extra
keywords for the rules' messages), so a new string in the core, a core template or a theme
without a Danish translation fails here with the list of what is missing; ``make messages``
adds it to ``core/locale/da/LC_MESSAGES/messages.po``, where it gets its Danish text.
"""
from __future__ import annotations

import configparser
import re
from pathlib import Path

import pytest
from babel.messages import frontend
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
BABEL_CFG = ROOT / "babel.cfg"
CORE_LOCALE = ROOT / "core" / "locale"
PLUGINS_DIR = ROOT / "plugins"
PLUGINS = sorted(p.name for p in PLUGINS_DIR.iterdir() if (p / "__init__.py").exists())
PLACEHOLDER = re.compile(r"%\((\w+)\)[#0 +-]?\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")


def _keywords_from_cfg() -> dict:
    """Babel's default keywords plus the ``keywords`` of babel.cfg's python section."""
    parser = configparser.RawConfigParser()
    parser.read(BABEL_CFG, encoding="utf-8")
    extra: list[str] = []
    for section in parser.sections():
        if section.startswith("python:"):
            extra += parser.get(section, "keywords", fallback="").split()
    return {**DEFAULT_KEYWORDS, **frontend.parse_keywords(extra)}


def _mapping():
    """babel.cfg as Babel reads it (``parse_mapping_cfg`` in Babel >= 2.17, ``parse_mapping`` before)."""
    parse = getattr(frontend, "parse_mapping_cfg", None) or frontend.parse_mapping
    with open(BABEL_CFG, encoding="utf-8") as fh:
        return parse(fh)


def _extract(directories, method_map, options_map, keywords) -> dict[str, tuple[str | tuple, list[str]]]:
    """msgid (singular) -> (message as extracted, the places it was found)."""
    found: dict[str, tuple[str | tuple, list[str]]] = {}
    for directory in directories:
        for filename, lineno, message, _comments, _context in extract_from_dir(
                str(directory), method_map, options_map, keywords=keywords):
            key = message[0] if isinstance(message, tuple) else message
            if not key:
                continue
            place = f"{directory.relative_to(ROOT)}/{filename}:{lineno}"
            found.setdefault(key, (message, []))[1].append(place)
    return found


def _catalogue(path: Path):
    with open(path, "rb") as fh:
        return read_po(fh, locale="da")


def _translated(catalogue, key: str) -> bool:
    entry = catalogue.get(key)
    if entry is None or entry.fuzzy:
        return False
    strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
    return bool(strings) and all(s and s.strip() for s in strings)


def _missing_report(missing: dict[str, list[str]]) -> str:
    return "\n".join(f"  {key!r}  ({', '.join(places[:3])})" for key, places in sorted(missing.items()))


@pytest.fixture(scope="module")
def core_messages():
    method_map, options_map = _mapping()
    return _extract([ROOT / "core", ROOT / "themes"], method_map, options_map, _keywords_from_cfg())


@pytest.fixture(scope="module")
def core_da():
    return _catalogue(CORE_LOCALE / "da" / "LC_MESSAGES" / "messages.po")


# --- the core's catalogue ------------------------------------------------------------------

def test_extraction_finds_the_rules_messages_and_templates(core_messages):
    """The extra keywords work: rule messages, Message(...), templates and plurals are found."""
    for expected in ("Enter an amount in kroner",                       # RuleViolation.one(field, ...)
                     "The organisation is not in this programme's network",  # problems.add(field, ...)
                     "Young people",                                     # lazy_gettext as _
                     "Skip to content",                                  # the default theme
                     "%(num)s organisation found",                       # ngettext in a template
                     "Page not found"):                                  # error titles (untracked_messages.py)
        assert expected in core_messages, expected
    message, _ = core_messages["%(num)s organisation found"]
    assert message == ("%(num)s organisation found", "%(num)s organisations found")
    assert len(core_messages) > 100


def test_makefile_passes_the_same_keywords_as_babel_cfg():
    """`make messages` names the keywords on the command line too (Babel < 2.18 ignores them in babel.cfg)."""
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile.split("\nmessages:", 1)[1].split("\n\n", 1)[0]
    on_command_line = set(re.findall(r"-k\s+(\S+)", recipe))
    parser = configparser.RawConfigParser()
    parser.read(BABEL_CFG, encoding="utf-8")
    in_cfg = {kw for section in parser.sections() if section.startswith("python:")
              for kw in parser.get(section, "keywords", fallback="").split()}
    assert in_cfg and on_command_line == in_cfg


def test_every_core_and_theme_message_has_danish(core_messages, core_da):
    missing = {key: places for key, (_, places) in core_messages.items() if not _translated(core_da, key)}
    assert not missing, (
        f"{len(missing)} message(s) have no Danish translation in core/locale/da/LC_MESSAGES/messages.po "
        f"(run `make messages`, then translate):\n{_missing_report(missing)}")


def test_plural_messages_have_both_danish_forms(core_messages, core_da):
    assert core_da.num_plurals == 2
    for key, (message, _) in core_messages.items():
        if isinstance(message, tuple):
            entry = core_da.get(key)
            assert isinstance(entry.id, tuple), f"{key!r} is a plural message but its translation is not"
            assert len(entry.string) == 2 and all(entry.string), key


def test_template_pot_is_up_to_date(core_messages):
    pot = _catalogue(CORE_LOCALE / "messages.pot")
    absent = {key: places for key, (_, places) in core_messages.items() if key not in pot}
    assert not absent, f"core/locale/messages.pot is stale (run `make messages`):\n{_missing_report(absent)}"


# --- the plugins' catalogues ---------------------------------------------------------------

@pytest.mark.parametrize("plugin", PLUGINS)
def test_plugin_catalogue_covers_its_strings(plugin, core_da):
    """A plugin's lazy_gettext strings (and its templates' texts) have Danish words in its own
    catalogue; a template may also reuse a text the core already translates."""
    folder = PLUGINS_DIR / plugin
    po_file = folder / "locale" / "da" / "LC_MESSAGES" / "messages.po"
    assert po_file.exists(), f"plugin {plugin} has no Danish catalogue at {po_file.relative_to(ROOT)}"
    plugin_da = _catalogue(po_file)
    keywords = {**DEFAULT_KEYWORDS, "lazy_gettext": None}
    python = _extract([folder], [("**.py", "python")], {}, keywords)
    templates = _extract([folder], [("**/templates/**.html", "jinja2")],
                         {"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}, keywords)
    assert python, f"plugin {plugin} marks no strings for translation"
    missing = {key: places for key, (_, places) in python.items() if not _translated(plugin_da, key)}
    missing.update({key: places for key, (_, places) in templates.items()
                    if not (_translated(plugin_da, key) or _translated(core_da, key))})
    assert not missing, (f"{len(missing)} message(s) of plugin {plugin} have no Danish translation in "
                         f"{po_file.relative_to(ROOT)}:\n{_missing_report(missing)}")


# --- placeholders --------------------------------------------------------------------------

CATALOGUES = [CORE_LOCALE / "da" / "LC_MESSAGES" / "messages.po",
              *(PLUGINS_DIR / p / "locale" / "da" / "LC_MESSAGES" / "messages.po" for p in PLUGINS)]


@pytest.mark.parametrize("po_file", [p for p in CATALOGUES if p.exists()],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_translations_keep_the_placeholders(po_file):
    problems = []
    for entry in _catalogue(po_file):
        if not entry.id or not entry.string:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        expected = set().union(*(PLACEHOLDER.findall(i) for i in ids))
        for translation in strings:
            if not translation:
                continue
            names = set(PLACEHOLDER.findall(translation))
            if names != expected:
                problems.append(f"{ids[0]!r}: {sorted(names)} instead of {sorted(expected)}")
            elif expected:
                try:  # the translation formats with the msgid's parameters, nothing more
                    translation % {name: "x" for name in expected}
                except (KeyError, ValueError, TypeError) as exc:
                    problems.append(f"{ids[0]!r}: {translation!r} does not format ({exc})")
            elif "%(" in translation:
                problems.append(f"{ids[0]!r}: {translation!r} has a placeholder the msgid lacks")
    assert not problems, f"{po_file.relative_to(ROOT)}:\n  " + "\n  ".join(problems)


def test_placeholder_pattern():
    assert PLACEHOLDER.findall("%(amount)s is above %(cap)s, %(n)d, 100%%") == ["amount", "cap", "n"]


# --- the reader's language over HTTP --------------------------------------------------------

def test_front_page_is_danish_by_default(http):
    response = http.get("/")
    assert response.status_code == 200
    assert '<html lang="da">' in response.text
    assert response.headers["content-language"] == "da"
    assert "Sociale partnerskaber mellem kommuner, frivilligcentre og foreninger" in response.text
    assert "Gå til indholdet" in response.text
    assert "Social partnerships between" not in response.text


def test_accept_language_english(http):
    response = http.get("/", headers={"Accept-Language": "en-GB,en;q=0.9,da;q=0.5"})
    assert '<html lang="en">' in response.text
    assert response.headers["content-language"] == "en"
    assert "Social partnerships between municipalities, volunteer centres and associations" in response.text
    assert "Sociale partnerskaber mellem" not in response.text


def test_accept_language_prefers_the_higher_weight(http):
    response = http.get("/", headers={"Accept-Language": "en;q=0.4, da;q=0.8"})
    assert '<html lang="da">' in response.text


def test_language_switch_sets_a_cookie_and_goes_back(http):
    response = http.get("/language/en", params={"next": "/programmes"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/programmes"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("lang=en") and "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    page = http.get("/programmes")  # the client sends the cookie back
    assert '<html lang="en">' in page.text
    assert "<h1>Partnership programmes</h1>" in page.text
    # the cookie wins over the browser's Accept-Language
    assert '<html lang="en">' in http.get("/", headers={"Accept-Language": "da"}).text
    # and switching back gives Danish again
    http.get("/language/da", params={"next": "/programmes"}, follow_redirects=False)
    assert "<h1>Partnerskaber</h1>" in http.get("/programmes").text


@pytest.mark.parametrize("target", ["//evil.example", "//evil.example/programmes", "https://evil.example",
                                    "/\\evil.example", "evil.example", ""])
def test_language_switch_is_no_open_redirect(http, target):
    response = http.get("/language/en", params={"next": target}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/"


def test_unknown_language_sets_no_cookie(http):
    response = http.get("/language/xx", params={"next": "/"}, follow_redirects=False)
    assert response.status_code == 303
    assert "set-cookie" not in response.headers
    assert '<html lang="da">' in http.get("/").text


def test_error_page_speaks_the_readers_language(http):
    danish = http.get("/no-such-page", headers={"Accept": "text/html"})
    assert danish.status_code == 404
    assert "Siden findes ikke" in danish.text and "Gå til forsiden" in danish.text
    english = http.get("/no-such-page", headers={"Accept": "text/html", "Accept-Language": "en"})
    assert "Page not found" in english.text and "Go to the front page" in english.text
