"""The public directory of organisations: search, filters and pagination whose cost does not
grow with the data.

A fixed number of queries whatever the data: one capped count, one page of rows (with the
municipality joined), one for the page's target groups. None of them walks every match:

- the count stops at ``COUNT_CAP`` (a page says "more than 1,000" beyond it);
- "next" and "previous" go by key — the (name, id) of the last or first row shown, read through
  the ``organisation_live_name`` index — so page 5,000 costs what page 2 costs;
- a page number jumps by offset only within the first ``COUNT_CAP`` rows, a bounded walk;
- search goes through the database's full-text index (``core.search``), ordered by name.
"""
from __future__ import annotations

import dataclasses
import math
import threading
import time

from markupsafe import Markup
from peewee import JOIN, OP, SQL, Expression, NodeList, Tuple, fn

from core import db, inputs
from core.models.municipality import Municipality
from core.models.organisation import ORGANISATION_KINDS, Organisation, OrganisationTargetGroup
from core.rules.errors import Collector
from core.search import facet_tokens, postgres_match, sqlite_match_text, terms

MAX_PAGE = 1_000_000
COUNT_CAP = 1_000  # matches counted exactly up to here; beyond it a page says "more than"


def _int_param(params, name: str, default: int = 0) -> int:
    """A positive whole number from the query string (``core.inputs`` bounds it), else ``default``:
    the directory reads its address leniently."""
    problems = Collector()
    value = inputs.parse_int(params.get(name, ""), name, problems, minimum=1, maximum=2**62, required=False)
    return value if value is not None and not problems.problems else default


@dataclasses.dataclass(frozen=True)
class DirectoryQuery:
    q: str = ""
    municipality: str = ""
    kind: str = ""
    target_group: str = ""
    page: int = 1
    after: int = 0   # the id of the last organisation of the previous page (key-set "next")
    before: int = 0  # the id of the first organisation of the next page (key-set "previous")

    @classmethod
    def from_params(cls, params, target_groups) -> "DirectoryQuery":
        """Read the query string leniently: unknown filter values are dropped, not errors."""
        kind = params.get("kind", "")
        group = params.get("target_group", "")
        code = params.get("municipality", "").strip()
        after = _int_param(params, "after")
        return cls(
            q=params.get("q", "").strip()[:200],
            municipality=code if code.isdecimal() and len(code) == 4 else "",
            kind=kind if kind in ORGANISATION_KINDS else "",
            target_group=group if group in target_groups else "",
            page=min(_int_param(params, "page", 1), MAX_PAGE),
            after=after,
            before=0 if after else _int_param(params, "before"),
        )

    @property
    def keyed(self) -> bool:
        return bool(self.after or self.before)

    def params(self, **changes) -> dict[str, str]:
        """The query string for this query with ``changes``; a page number alone drops the keys."""
        if "page" in changes:
            changes.setdefault("after", 0)
            changes.setdefault("before", 0)
        values = dataclasses.asdict(dataclasses.replace(self, **changes))
        return {key: str(value) for key, value in values.items() if value and not (key == "page" and value == 1)}


@dataclasses.dataclass
class DirectoryPage:
    items: list[Organisation]
    total: int             # exact up to COUNT_CAP; COUNT_CAP + 1 means "more than COUNT_CAP"
    page: int
    page_size: int
    has_next: bool = False
    has_previous: bool = False

    @property
    def total_capped(self) -> bool:
        return self.total > COUNT_CAP

    @property
    def pages(self) -> int:
        """Pages counted from the capped total: when capped, the pages reachable by number."""
        return max(1, math.ceil(min(self.total, COUNT_CAP) / self.page_size))

    @property
    def numbered_pages(self) -> int:
        """Pages a number may jump to (by a bounded offset)."""
        return self.pages

    @property
    def beyond_last_page(self) -> bool:
        return not self.items and self.page > 1


# What a directory page shows of each organisation (not the description, address or contacts).
LISTED = (Organisation.id, Organisation.name, Organisation.slug, Organisation.kind, Organisation.municipality,
          Municipality.id, Municipality.code, Municipality.name)


def _rows(conditions: list, order, page_size: int, offset: int = 0) -> list[Organisation]:
    return list(Organisation.select(*LISTED)
                .join(Municipality, join_type=JOIN.LEFT_OUTER)
                .where(*conditions).order_by(*order).offset(offset or None).limit(page_size + 1))


def _key_of(organisation_id: int) -> Tuple:
    """(name, id) of an organisation as a row value, looked up inside the page's own query."""
    name = Organisation.select(Organisation.name).where(Organisation.id == organisation_id)
    return Tuple(name, organisation_id)


def capped_count(conditions: list, cap: int | None = None) -> int:
    """How many rows match, counting at most ``cap + 1`` (``COUNT_CAP`` by default)."""
    cap = COUNT_CAP if cap is None else cap
    limited = Organisation.select(SQL("1")).where(*conditions).limit(cap + 1)
    return Organisation.select(SQL("COUNT(*)")).from_(limited.alias("capped")).scalar()


def _sqlite_search_count(match_text: str) -> int:
    """On SQLite the search index holds live organisations only, with the municipality, the kind and
    the target groups as tokens, so the capped count of a search reads the index alone."""
    sql = "SELECT COUNT(*) FROM (SELECT 1 FROM organisation_search WHERE organisation_search MATCH ? LIMIT ?)"
    return db.database.execute_sql(sql, [match_text, COUNT_CAP + 1]).fetchone()[0]


def search(query: DirectoryQuery, page_size: int) -> DirectoryPage:
    municipality_id = None
    if query.municipality:
        municipality_id = municipality_ids(id(db.database.obj)).get(query.municipality)
        if municipality_id is None:  # a well-formed code of no municipality: nothing, without asking
            return DirectoryPage([], 0, query.page, page_size)
    conditions = [Organisation.deleted_at.is_null()]
    if municipality_id is not None:
        conditions.append(Organisation.municipality == municipality_id)
    if query.kind:
        conditions.append(Organisation.kind == query.kind)
    if query.target_group:
        conditions.append(fn.EXISTS(
            OrganisationTargetGroup.select(SQL("1")).where(OrganisationTargetGroup.organisation == Organisation.id,
                                                           OrganisationTargetGroup.target_group == query.target_group)))
    words = terms(query.q)
    if words and not db.is_postgres():
        match_text = sqlite_match_text(words, facet_tokens(municipality_id, query.kind, query.target_group))
        total = _sqlite_search_count(match_text)
        matches = SQL("(SELECT rowid FROM organisation_search WHERE organisation_search MATCH ?)", [match_text])
        # Few matches: read them and sort (at most COUNT_CAP rows). Many: walk the name index in
        # order and keep the rows that match ("+" keeps SQLite from driving from the match list).
        column = NodeList((SQL("+"), Organisation.id), glue="") if total > COUNT_CAP else Organisation.id
        conditions.append(Expression(column, OP.IN, matches))
    else:
        if words:
            conditions.append(postgres_match(words))
        total = capped_count(conditions)
    key = Tuple(Organisation.name, Organisation.id)
    if query.after:
        rows = _rows([*conditions, key > _key_of(query.after)], (Organisation.name, Organisation.id), page_size)
        has_next, has_previous = len(rows) > page_size, True
        rows = rows[:page_size]
    elif query.before:
        rows = _rows([*conditions, key < _key_of(query.before)], (Organisation.name.desc(), Organisation.id.desc()),
                     page_size)
        has_previous, has_next = len(rows) > page_size, True
        rows = rows[:page_size][::-1]
    else:
        offset = (query.page - 1) * page_size
        if offset >= max(min(total, COUNT_CAP), 1):
            rows = []  # beyond the last page: the view sends the reader to the last one
        else:
            rows = _rows(conditions, (Organisation.name, Organisation.id), page_size, offset)
        has_next, has_previous = len(rows) > page_size, query.page > 1
        rows = rows[:page_size]
    attach_target_groups(rows)
    return DirectoryPage(rows, total, query.page, page_size, has_next, has_previous)


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


# --- the municipalities of the filter, cached ------------------------------------------------------

MUNICIPALITY_CACHE_SECONDS = 60.0
_municipalities: dict[int, tuple[float, tuple[tuple[int, str, str], ...]]] = {}
_municipalities_lock = threading.Lock()
_options: dict[tuple, Markup] = {}


def _municipality_rows(database_key: int) -> tuple[tuple[int, str, str], ...]:
    """(id, code, name) of every municipality, sorted by name.

    98 rows that change a few times a year, wanted on every directory page: read at most once a
    minute per process (and per database, for tests that run several), as plain tuples rather
    than model objects.
    """
    now = time.monotonic()
    cached = _municipalities.get(database_key)
    if cached and now - cached[0] < MUNICIPALITY_CACHE_SECONDS:
        return cached[1]
    rows = tuple(Municipality.select(Municipality.id, Municipality.code, Municipality.name)
                 .order_by(Municipality.name).tuples())
    with _municipalities_lock:
        _municipalities[database_key] = (now, rows)
    return rows


def municipality_choices(database_key: int) -> tuple[tuple[str, str], ...]:
    """(code, name) of every municipality, sorted by name, for the directory's filter."""
    return tuple((code, name) for _, code, name in _municipality_rows(database_key))


def municipality_options(database_key: int, selected: str) -> Markup:
    """The filter's ``<option>`` elements, escaped once per list and selection, not once per page."""
    rows = _municipality_rows(database_key)
    key = (database_key, id(rows), selected)
    cached = _options.get(key)
    if cached is None:
        cached = Markup("").join(
            Markup('<option value="{}"{}>{}</option>').format(code, Markup(" selected") if code == selected else "", name)
            for _, code, name in rows)
        with _municipalities_lock:
            if len(_options) > 500:
                _options.clear()
            _options[key] = cached
    return cached


def municipality_ids(database_key: int) -> dict[str, int]:
    """Municipality id by code, so a filter needs no lookup in the page's own queries."""
    return {code: municipality_id for municipality_id, code, _ in _municipality_rows(database_key)}


def forget_municipalities() -> None:
    """Drop the cached municipalities (after one is added, so this process shows it at once)."""
    with _municipalities_lock:
        _municipalities.clear()
        _options.clear()
