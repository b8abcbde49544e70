"""The public directory of organisations: search, filters and pagination.

A fixed number of queries whatever the data: one count, one page of rows (with the
municipality joined), one for the page's target groups. Search goes through the database's
full-text index (``core.search``).
"""
from __future__ import annotations

import dataclasses
import math

from peewee import JOIN

from core import inputs
from core.models.municipality import Municipality
from core.models.organisation import ORGANISATION_KINDS, Organisation, OrganisationTargetGroup
from core.rules.errors import Collector
from core.search import match_organisations

MAX_PAGE = 10_000


@dataclasses.dataclass(frozen=True)
class DirectoryQuery:
    q: str = ""
    municipality: str = ""
    kind: str = ""
    target_group: str = ""
    page: int = 1

    @classmethod
    def from_params(cls, params, target_groups) -> "DirectoryQuery":
        """Read the query string leniently: unknown filter values are dropped, not errors."""
        page = inputs.parse_int(params.get("page", ""), "page", Collector(), minimum=1, maximum=10**9,
                                required=False) or 1
        kind = params.get("kind", "")
        group = params.get("target_group", "")
        code = params.get("municipality", "").strip()
        return cls(
            q=params.get("q", "").strip()[:200],
            municipality=code if code.isdigit() and len(code) == 4 else "",
            kind=kind if kind in ORGANISATION_KINDS else "",
            target_group=group if group in target_groups else "",
            page=min(max(page, 1), MAX_PAGE),
        )

    def params(self, **changes) -> dict[str, str]:
        values = dataclasses.asdict(dataclasses.replace(self, **changes))
        return {key: str(value) for key, value in values.items() if value and not (key == "page" and value == 1)}


@dataclasses.dataclass
class DirectoryPage:
    items: list[Organisation]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))


def search(query: DirectoryQuery, page_size: int) -> DirectoryPage:
    conditions = [Organisation.deleted_at.is_null()]
    match = match_organisations(query.q)
    if match is not None:
        conditions.append(match)
    if query.kind:
        conditions.append(Organisation.kind == query.kind)
    if query.municipality:
        conditions.append(Organisation.municipality.in_(
            Municipality.select(Municipality.id).where(Municipality.code == query.municipality)))
    if query.target_group:
        conditions.append(Organisation.id.in_(
            OrganisationTargetGroup.select(OrganisationTargetGroup.organisation)
            .where(OrganisationTargetGroup.target_group == query.target_group)))
    base = Organisation.select().where(*conditions)
    total = base.count()
    rows = list(Organisation.select(Organisation, Municipality)
                .join(Municipality, join_type=JOIN.LEFT_OUTER)
                .where(*conditions)
                .order_by(Organisation.name, Organisation.id)
                .paginate(query.page, page_size))
    attach_target_groups(rows)
    return DirectoryPage(rows, total, query.page, page_size)


def attach_target_groups(organisations: list[Organisation]) -> None:
    """Set ``target_groups`` (a list of keys) on each organisation with one query."""
    by_id = {org.id: org for org in organisations}
    for org in organisations:
        org.target_groups = []
    if not by_id:
        return
    for row in (OrganisationTargetGroup.select()
                .where(OrganisationTargetGroup.organisation.in_(list(by_id)))
                .order_by(OrganisationTargetGroup.id)):
        by_id[row.organisation_id].target_groups.append(row.target_group)
