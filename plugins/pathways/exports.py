"""The pathway counts as a download on ``/exports`` (CSV for Danish Excel, and Excel), through
the core's writers: one row per report and step, exact, for those who read them
(``pathways.read``: the programme's staff every partner's, a partner's people their own)."""
from __future__ import annotations

from core.datasets import ExportDataset, Source
from core.i18n import gettext, lazy_gettext as _
from core.models.municipality import Municipality
from core.models.organisation import Organisation
from core.models.programme import Programme
from plugins.pathways import periods
from plugins.pathways.models import CHECKED, PathwayCount, PathwayReport
from plugins.pathways.rules import READ
from plugins.pathways.steps import pathways


def columns() -> list[str]:
    return [gettext("Municipality"), gettext("Programme"), gettext("Organisation"), gettext("Period"),
            gettext("Step"), gettext("Entered"), gettext("Moved on"), gettext("Left the pathway"), gettext("Status"),
            gettext("Version")]


def fetcher(condition=None):
    def fetch(after: int, limit: int) -> list:
        query = (PathwayCount.select(PathwayCount, PathwayReport, Programme, Municipality, Organisation)
                 .join(PathwayReport).join(Programme).join(Municipality)
                 .switch(PathwayReport).join(Organisation)
                 .where(PathwayCount.id > after, Programme.deleted_at.is_null()))
        if condition is not None:
            query = query.where(condition)
        return list(query.order_by(PathwayCount.id).limit(limit))
    return fetch


def dataset(platform) -> ExportDataset:
    def values(count: PathwayCount) -> list:
        report = count.report
        programme = report.programme
        pathway = pathways(platform).get(programme.programme_type)
        step = next((s for s in pathway.steps if s.key == count.step), None) if pathway else None
        period = periods.parse(report.period, pathway.period_kind) if pathway else None
        return [programme.municipality.name, programme.name, report.organisation.name,
                period.label() if period else report.period, str(step.name) if step else count.step,
                count.entered, count.moved_on, count.left,
                gettext("Checked") if report.status == CHECKED else gettext("Waiting to be checked"), report.revision]
    return ExportDataset("pathway-counts", _("Pathway counts"), columns,
                         (Source(PathwayCount, fetcher, values),), permission=READ)
