"""The counts as a download on ``/exports`` (CSV for Danish Excel, or Excel), through the core's
writers: one row per count, narrowed to the downloader's tenancy, in batches."""
from __future__ import annotations

from core.datasets import ExportDataset, Source
from core.i18n import gettext as _, lazy_gettext
from core.models.municipality import Municipality
from core.models.organisation import Organisation
from plugins.membership_counts import metrics as metric_words
from plugins.membership_counts.models import MemberCount

from peewee import JOIN


def columns() -> list[str]:
    return [_("Id"), _("Organisation"), _("CVR"), _("Municipality"), _("What is counted"), _("Year"), _("Count"),
            _("Note"), _("Checked")]


def fetcher(condition=None):
    def fetch(after: int, limit: int) -> list:
        query = (MemberCount.select(MemberCount, Organisation, Municipality)
                 .join_from(MemberCount, Organisation)
                 .join_from(Organisation, Municipality, JOIN.LEFT_OUTER)
                 .where(MemberCount.id > after))
        if condition is not None:
            query = query.where(condition)
        return list(query.order_by(MemberCount.id).limit(limit))
    return fetch


def values(row: MemberCount) -> list:
    organisation = row.organisation
    return [row.id, organisation.name, organisation.cvr or "",
            organisation.municipality.name if organisation.municipality_id else "", metric_words.label(row.metric),
            row.year, row.value, row.note, row.checked_on]


def dataset() -> ExportDataset:
    return ExportDataset("membership-counts", lazy_gettext("Yearly membership counts"), columns,
                         (Source(MemberCount, fetcher, values),), permission="membership_counts.read")
