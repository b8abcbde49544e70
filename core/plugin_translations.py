"""A plugin's Danish catalogue written from a table in the plugin (a developer's tool, not used
while serving).

A capability plugin keeps its Danish words as a Python table (``locale/translations.py``,
``DANISH = {english: danish}``), which reads and reviews more easily than a ``.po`` file.
``write_catalogue`` extracts the plugin's messages with Babel (its Python and its templates, with
the core's message keywords), takes each text's Danish from the table, or from the core's
catalogue for texts the core already translates, and writes ``locale/da/LC_MESSAGES/messages.po``.
A text with no Danish anywhere stops it, listed, so a catalogue is never written half done::

    python -m plugins.<name>.locale.translations
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.catalog import Message as PoEntry  # not core.i18n's Message: no text to extract here
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
# The keywords the core's messages use (Makefile's `make messages` has the core's own few more).
KEYWORDS = ("one:2", "add:2", "Message", "lazy_gettext", "add_plural:2,3", "PluralMessage:1,2")
BABEL_CONFIG = "[python: **.py]\n[jinja2: **/templates/**.html]\nextensions = jinja2.ext.i18n\n"


def extract(plugin_dir: Path) -> Catalog:
    """The plugin's messages, as Babel extracts them from its code and templates."""
    with tempfile.TemporaryDirectory() as tmp:
        config, template = Path(tmp) / "babel.cfg", Path(tmp) / "messages.pot"
        config.write_text(BABEL_CONFIG)
        subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(config),
                        *(part for keyword in KEYWORDS for part in ("-k", keyword)), "--no-location",
                        "--sort-output", "-o", str(template), str(plugin_dir)], check=True, capture_output=True)
        with open(template, "rb") as fh:
            return read_po(fh)


def _from_core(core: Catalog, key) -> str | tuple | None:
    """The core's Danish for a text, if it has it in the same form (a plural for a plural)."""
    entry = core.get(key if isinstance(key, str) else key[0])
    if entry is None or not entry.string:
        return None
    if isinstance(key, str) != isinstance(entry.string, str):
        return None
    return entry.string


def write_catalogue(locale_dir: Path, danish: dict, project: str) -> None:
    """Write ``locale_dir/da/LC_MESSAGES/messages.po`` for the plugin that holds ``locale_dir``."""
    locale_dir = Path(locale_dir)
    with open(ROOT / "core" / "locale" / "da" / "LC_MESSAGES" / "messages.po", "rb") as fh:
        core = read_po(fh, locale="da")
    catalogue = Catalog(locale="da", project=project, fuzzy=False)
    missing = []
    for message in extract(locale_dir.parent):
        if not message.id:
            continue
        key = message.id
        text = danish.get(key)
        if text is None:
            text = _from_core(core, key)
        if text is None:
            missing.append(key)
            continue
        catalogue[key] = PoEntry(key, text, flags=("python-format",) if "%(" in str(key) else ())
    if missing:
        raise SystemExit("no Danish for:\n" + "\n".join(repr(key) for key in missing))
    target = locale_dir / "da" / "LC_MESSAGES" / "messages.po"
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as fh:
        write_po(fh, catalogue, omit_header=False, sort_output=True)
