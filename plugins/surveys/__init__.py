"""Surveys of a programme's associations: questions with keys that stay the same from year to
year (single and multiple choice, scale, yes/no/don't know, number, text, matrix), optionally
tied to one of the programme type's focus areas; invitations kept apart from responses, so an
anonymous survey knows who answered but never what; live results while it is open (the
response rate and a chart per question, a multiple choice counted per option as a share of the
respondents); breakdowns with groups under 5 hidden; the same questions year on year; CSV and
Excel with one row per response; and the results of closed surveys as a federation feed kind.

Modules: ``models``, ``questions`` (the kinds: the editor's form and the answers' checks),
``rules`` (the decisions), ``results`` (figures and charts), ``views``, ``api``, ``exports``,
``feed``.
"""
from __future__ import annotations

from pathlib import Path

from core.audit_labels import register_action
from core.db import MigrationSource
from core.hookspecs import hookimpl
from core.i18n import lazy_gettext as _

__version__ = "1.0.0"
HERE = Path(__file__).parent
READ, MANAGE, RESULTS, ANSWER = "survey.read", "survey.manage", "survey.results", "survey.answer"

for _action, _label in (("survey.create", _("drafted a survey")),
                        ("survey.question.add", _("added a question to a survey")),
                        ("survey.question.change", _("changed a survey's question")),
                        ("survey.question.remove", _("removed a survey's question")),
                        ("survey.open", _("opened a survey and invited the partners")),
                        ("survey.close", _("closed a survey")),
                        ("survey.answer", _("answered a survey for an association"))):
    register_action(_action, _label, "surveys", _("Surveys"))


@hookimpl
def register_models():
    from plugins.surveys.models import MODELS
    return list(MODELS)


@hookimpl
def register_migrations():
    return [MigrationSource("surveys", HERE / "migrations")]


@hookimpl
def register_permissions():
    staff = [READ, MANAGE, RESULTS]
    return {"municipality_admin": staff, "consultant": staff, "volunteer_centre_coordinator": staff,
            "resource_person": [READ, ANSWER], "board_member": [READ, ANSWER]}


@hookimpl
def register_routes(platform):
    from plugins.surveys import views
    return views.routes()


@hookimpl
def register_api_operations(platform):
    from plugins.surveys import api
    return api.operations()


@hookimpl
def navigation_links(request, actor):
    from core import authz
    from core.web.pages import NavLink
    if actor is None or not actor.is_authenticated or not authz.can(actor, READ):
        return []
    return [NavLink("/surveys", _("Surveys"), order=61)]


@hookimpl
def todo_items(platform, actor, today):
    """Open surveys an association's people have not answered yet (one query)."""
    from core.i18n import Message
    from core.todo import TodoItem
    from plugins.surveys.views import own_invitations
    items = []
    for invitation in own_invitations(actor):
        survey = invitation.survey
        if invitation.answered or survey.status != "open" or (survey.closes_on and survey.closes_on < today):
            continue
        detail = (Message("Closes %(date)s", date=survey.closes_on) if survey.closes_on
                  else Message("Open now"))
        items.append(TodoItem("surveys", _("Surveys to answer"), f"{survey.title} – {invitation.organisation.name}",
                              f"/surveys/{survey.id}/answer?organisation={invitation.organisation_id}", detail))
    return items


@hookimpl(optionalhook=True)
def register_feed_kinds(platform):
    from plugins.surveys import feed
    return [feed.kind()]
