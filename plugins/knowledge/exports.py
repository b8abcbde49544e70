"""Learnings and methods as export datasets on ``/exports`` (CSV and Excel through the core's
writers: formula-safe, Danish Excel). Narrowed by the core to what the downloading person's
``export.read`` governs (``LearningScope``): the learnings of their municipality or
organisation. The author's name is left out; the texts are the Markdown as written."""
from __future__ import annotations

from peewee import JOIN

from core.datasets import ExportDataset, Source
from core.i18n import gettext, lazy_gettext as _
from core.models.municipality import Municipality
from core.models.organisation import Organisation
from core.models.programme import Programme
from plugins.knowledge import vocabulary
from plugins.knowledge.models import Learning, Method


def _fetcher(model):
    def fetcher(condition):
        def fetch(after: int, limit: int) -> list:
            query = (model.select(model, Municipality, Organisation, Programme)
                     .join_from(model, Municipality, JOIN.LEFT_OUTER)
                     .join_from(model, Organisation, JOIN.LEFT_OUTER)
                     .join_from(model, Programme, JOIN.LEFT_OUTER)
                     .where(model.id > after, model.deleted_at.is_null()))
            if condition is not None:
                query = query.where(condition)
            return list(query.order_by(model.id).limit(limit))
        return fetch
    return fetcher


def _whose(row) -> list:
    return [row.municipality.name if row.municipality_id else "", row.organisation.name if row.organisation_id else "",
            row.programme.name if row.programme_id else ""]


def _tags(platform, row, method: str) -> list:
    title = vocabulary.focus_area_title(platform.programme_types, row.focus_area) if row.focus_area else None
    return [str(title) if title is not None else row.focus_area,
            str(platform.target_group_label(row.target_group)) if row.target_group else "",
            vocabulary.method_label(method) if method else ""]


def datasets(platform) -> list[ExportDataset]:
    def learning_columns():
        return [_("Id"), _("Title"), _("Summary"), _("Text (Markdown)"), _("Who may read it"), _("Municipality"),
                _("Organisation"), _("Programme"), _("Focus area"), _("Target group"), _("Method"), _("Source"),
                _("Illustrative"), _("Written"), _("Changed")]

    def learning_values(row: Learning) -> list:
        return [row.id, row.title, row.summary, row.body, str(vocabulary.VISIBILITY_LABELS[row.visibility]),
                *_whose(row), *_tags(platform, row, row.method), row.source, gettext("yes") if row.illustrative else "",
                row.created_at.date(), row.updated_at.date()]

    def method_columns():
        return [_("Id"), _("Method"), _("Kind of method"), _("What it is"), _("For whom"), _("The steps"),
                _("What it takes"), _("The evidence"), _("Who may read it"), _("Municipality"), _("Organisation"),
                _("Programme"), _("Learning")]

    def method_values(row: Method) -> list:
        return [row.id, row.title, vocabulary.method_label(row.method_key), row.what, row.for_whom, row.steps,
                row.what_it_takes, row.evidence, str(vocabulary.VISIBILITY_LABELS[row.visibility]), *_whose(row),
                row.learning_id]

    return [
        ExportDataset("learnings", _("Learnings"), learning_columns, (Source(Learning, _fetcher(Learning),
                                                                             learning_values),)),
        ExportDataset("methods", _("Methods"), method_columns, (Source(Method, _fetcher(Method), method_values),)),
    ]
