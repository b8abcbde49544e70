"""Demo learnings, comments and methods, from the municipality plugins' own files.

The capability names no municipality: each enabled plugin may carry a ``knowledge_demo.toml``
beside its code (Copenhagen's quotes its experience report, attributed; Slagelse's and
Hillerød's are illustrative, labelled so). Each learning is written through the same rules as
the form, by the demo account the file names, and found again by its title and municipality
before it is written, so loading the demo twice changes nothing. A learning whose programme,
organisation or author is not there (its plugin is not enabled) is left out.

The file::

    [[learnings]]
    title = "…"                 # with the municipality: the natural key
    summary = "…"
    body = '''…'''              # Markdown
    author = "kbh-admin@partnerskab.test"
    municipality = "0101"
    programme = "kobenhavn-sociale-partnerskaber"   # a slug (optional)
    organisation = "Brønshøj Boldklub"              # a name (optional)
    focus_area = 4              # the programme type's focus area number, or "general:<key>"
    target_group = "children"
    method = "mixed_teams"
    visibility = "public"
    source = "…"                # where a quote comes from
    illustrative = false
    [[learnings.comments]]
    author = "…"
    body = "…"
    [learnings.method_library]  # promoted to the method library
    title = "…"
    method_key = "…"
    what = "…" …
"""
from __future__ import annotations

import tomllib

from core.auth.web import actor_for
from core.models.account import Account
from core.models.municipality import Municipality
from core.models.organisation import Organisation
from core.models.programme import Programme
from core.plugins import plugin_infos
from plugins.knowledge import rules
from plugins.knowledge.models import Comment, Learning, Method
from plugins.knowledge.visibility import reach_of

FILE = "knowledge_demo.toml"


def files(platform) -> list:
    return [info.directory / FILE for info in plugin_infos(platform.pm)
            if info.name != "core" and (info.directory / FILE).exists()]


def load(platform) -> int:
    """Load every enabled plugin's demo learnings; returns how many were written now."""
    written = 0
    for path in files(platform):
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
        for entry in data.get("learnings", ()):
            written += _learning(platform, entry)
    return written


def _actor(platform, email: str):
    account = Account.get_or_none(Account.email == email)
    return actor_for(platform, account) if account is not None else None


def _learning(platform, entry: dict) -> int:
    municipality = Municipality.get_or_none(Municipality.code == entry["municipality"])
    actor = _actor(platform, entry["author"])
    programme = Programme.get_or_none(Programme.slug == entry["programme"]) if entry.get("programme") else None
    organisation = (Organisation.get_or_none(Organisation.name == entry["organisation"])
                    if entry.get("organisation") else None)
    if municipality is None or actor is None or (entry.get("programme") and programme is None) \
            or (entry.get("organisation") and organisation is None):
        return 0
    learning = Learning.get_or_none(Learning.title == entry["title"], Learning.municipality == municipality.id)
    written = 0
    if learning is None:
        focus_area = entry.get("focus_area", "")
        if isinstance(focus_area, int) and programme is not None:
            focus_area = f"{programme.programme_type}:{focus_area}"
        learning = rules.save_learning(platform, reach_of(actor), {
            "title": entry["title"], "summary": entry["summary"], "body": entry.get("body", ""),
            "visibility": entry["visibility"], "organisation": organisation.id if organisation else "",
            "programme": programme.id if programme else "",
            "municipality": municipality.code if not (programme or organisation) else "",
            "focus_area": focus_area, "target_group": entry.get("target_group", ""),
            "method": entry.get("method", "")})
        Learning.update(source=entry.get("source", ""), illustrative=bool(entry.get("illustrative", False))).where(
            Learning.id == learning.id).execute()
        written = 1
    for comment in entry.get("comments", ()):
        author = _actor(platform, comment["author"])
        if author is None or Comment.select().where(Comment.learning == learning.id,
                                                    Comment.body == comment["body"]).exists():
            continue
        rules.add_comment(reach_of(author), learning, {"comment": comment["body"]})
    method = entry.get("method_library")
    if method and not Method.select().where(Method.learning == learning.id).exists():
        promoter = _actor(platform, method.get("author", entry["author"]))
        if promoter is not None:
            rules.promote(reach_of(promoter), learning, {**method, "visibility": method.get("visibility",
                                                                                          entry["visibility"])})
    return written
