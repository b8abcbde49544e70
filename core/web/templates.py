"""The Jinja environment: lookup theme → plugins → core, with prefixes to extend originals.

A theme overrides a template by giving one of the same name; to change only a block it
extends the original through its prefix (``{% extends "default:base.html" %}``) instead of
copying it. Plugin templates are reachable as ``<plugin>:name.html`` and core ones as
``core:name.html``. Autoescaping is always on.

Templates are compiled once (``auto_reload`` only with the option ``templates_auto_reload``, for
someone editing them), and ``_("text")`` with nothing to fill in is compiled into a look-up in a
per-language table (``ConstantTranslations``): together they were a fifth of a directory page.
"""
from __future__ import annotations

from pathlib import Path

import jinja2
from jinja2.ext import Extension
from jinja2.lexer import Token

from core import audit_labels, i18n, roles
from core.settings import ROOT, ConfigError

THEMES_DIR = ROOT / "themes"


def theme_chain(theme: str) -> list[str]:
    """The theme and the themes it extends (``extends = "default"`` in its theme.toml)."""
    import tomllib
    chain: list[str] = []
    name: str | None = theme
    while name:
        if name in chain:
            raise ConfigError(f"theme '{name}' extends itself")
        folder = THEMES_DIR / name
        if not folder.is_dir():
            known = ", ".join(sorted(p.name for p in THEMES_DIR.iterdir() if p.is_dir()))
            raise ConfigError(f"unknown theme '{name}'; available themes are {known}")
        chain.append(name)
        meta_file = folder / "theme.toml"
        meta = tomllib.loads(meta_file.read_text()) if meta_file.exists() else {}
        name = meta.get("extends")
    return chain


@jinja2.pass_context
def _csrf_token(context) -> str:
    """``{{ csrf_token() }}`` in a form: the token the CSRF check expects from this browser."""
    request = context.get("request")
    if request is None:  # error pages rendered outside a request: they hold no forms that post
        return ""
    from core.auth.csrf import token_for_request
    return token_for_request(request)


@jinja2.pass_context
def _may(context, action: str, resource=None) -> bool:
    """``{% if may("programme.edit", programme) %}``: may the page's actor do this (``core.authz.can``)?
    Used to show a link only to people who can follow it; the view behind it checks again."""
    actor = context.get("actor")
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    from core import authz
    return authz.can(actor, action, resource)


def _viewer(function):
    """A template global asking ``core.roles`` about the page's reader (words, not access)."""
    @jinja2.pass_context
    def ask(context):
        return function(context.get("actor"))
    return ask


class ConstantTranslations(Extension):
    """Compiles ``_("text")`` and ``gettext("text")`` — a literal and nothing else — into
    ``_texts["text"]`` (``core.i18n.ConstantTexts``). Calls with values to fill in, plurals and
    ``{% trans %}`` blocks stay as Jinja's i18n extension makes them."""

    NAMES = frozenset({"_", "gettext"})

    def filter_stream(self, stream):
        window: list[Token] = []
        previous_type = None
        for token in stream:
            window.append(token)
            if len(window) < 4:
                continue
            first, second, third, fourth = window
            if (first.type == "name" and first.value in self.NAMES and previous_type != "dot"
                    and second.type == "lparen" and third.type == "string" and fourth.type == "rparen"):
                yield Token(first.lineno, "name", "_texts")
                yield Token(second.lineno, "lbracket", "[")
                yield third
                yield Token(fourth.lineno, "rbracket", "]")
                previous_type = "rbracket"
                window = []
                continue
            previous_type = first.type
            yield window.pop(0)
        yield from window


def build_environment(theme: str, plugin_template_dirs: list[tuple[str, Path]], core_dir: Path,
                      auto_reload: bool = False) -> jinja2.Environment:
    themes = theme_chain(theme)
    theme_loaders = [jinja2.FileSystemLoader(str(THEMES_DIR / name / "templates")) for name in themes]
    plugin_loaders = [jinja2.FileSystemLoader(str(path)) for _, path in plugin_template_dirs]
    core_loader = jinja2.FileSystemLoader(str(core_dir))
    prefixed = {"core": core_loader}
    prefixed.update({name: jinja2.FileSystemLoader(str(path)) for name, path in plugin_template_dirs})
    prefixed.update({name: loader for name, loader in zip(themes, theme_loaders)})
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([*theme_loaders, *plugin_loaders, core_loader,
                                    jinja2.PrefixLoader(prefixed, delimiter=":")]),
        autoescape=True,
        auto_reload=auto_reload,
        extensions=["jinja2.ext.i18n", ConstantTranslations],
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)
    env.globals["_texts"] = i18n.ConstantTexts()
    env.filters["money"] = i18n.format_money
    env.filters["number"] = i18n.format_number
    # one way of showing dates everywhere (core.i18n): "1. dec. 2026" / "1 Dec 2026"
    env.filters["date"] = i18n.format_date
    env.filters["datetime"] = i18n.format_datetime
    env.filters["date_input"] = i18n.format_date_input
    env.filters["month"] = i18n.format_month
    env.globals["date_hint"] = lambda: i18n.gettext("day.month.year, e.g. 1.12.2026")
    env.globals["current_locale"] = i18n.current_locale
    env.globals["csrf_token"] = _csrf_token
    env.globals["may"] = _may
    env.globals["manage_link_label"] = _viewer(roles.manage_link_label)
    env.globals["viewer_is_association"] = _viewer(roles.is_association_only)
    env.globals["viewer_follows_associations"] = _viewer(roles.follows_associations)
    env.globals["account_role_label"] = roles.role_label
    env.globals["audit_action_label"] = audit_labels.action_label
    env.globals["audit_object_label"] = audit_labels.object_type_label
    env.globals["theme_chain"] = themes
    return env
