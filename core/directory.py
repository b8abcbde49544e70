"""The public directory of organisations: search, filters and pagination whose cost does not
grow with the data.

A fixed number of queries whatever the data: one capped count, one page of rows (with the
municipality joined), one for the page's target groups. None of them walks every match:

- the count stops at ``COUNT_CAP`` (a page says "more than 1,000" beyond it);
- "next" and "previous" go by key — the (name, id) of the last or first row shown, read through
  the ``organisation_live_name`` index — so page 5,000 costs what page 2 costs;
- a page number jumps by offset only within the first ``COUNT_CAP`` rows, a bounded walk;
- search goes through the database's full-text index (``core.search``), ordered by name when it
  matches at most ``COUNT_CAP`` organisations and newest first when it matches more (``search``).
"""
from __future__ import annotations

import dataclasses
import math
import threading
import time

from markupsafe import Markup
from peewee import SQL

from core import db, inputs
from core.models.municipality import Municipality
from core.models.organisation import ORGANISATION_KINDS, Organisation
from core.rules.errors import Collector
from core.search import facet_tokens, postgres_tsquery, sqlite_expansions, sqlite_match_text, terms

MAX_PAGE = 1_000_000
COUNT_CAP = 1_000  # matches counted exactly up to here; beyond it a page says "more than"


def int_param(params, name: str, default: int = 0) -> int:
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
        after = int_param(params, "after")
        return cls(
            q=params.get("q", "").strip()[:200],
            municipality=code if code.isdecimal() and len(code) == 4 else "",
            kind=kind if kind in ORGANISATION_KINDS else "",
            target_group=group if group in target_groups else "",
            page=min(int_param(params, "page", 1), MAX_PAGE),
            after=after,
            before=0 if after else int_param(params, "before"),
        )

    @property
    def keyed(self) -> bool:
        return bool(self.after or self.before)

    def params(self, **changes) -> dict[str, str]:
        """The query string for this query with ``changes``; a page number alone drops the keys."""
        if "page" in changes:
            changes.setdefault("after", 0)
            changes.setdefault("before", 0)
        params = {}
        for key in _PARAMS:
            value = changes[key] if key in changes else getattr(self, key)
            if value and not (key == "page" and value == 1):
                params[key] = str(value)
        return params


_PARAMS = tuple(field.name for field in dataclasses.fields(DirectoryQuery))


@dataclasses.dataclass
class DirectoryPage:
    items: list  # Listed rows
    total: int             # exact up to COUNT_CAP; COUNT_CAP + 1 means "more than COUNT_CAP"
    page: int
    page_size: int
    has_next: bool = False
    has_previous: bool = False
    newest_first: bool = False  # a search with more than COUNT_CAP matches: by id, not by name

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


class Listed:
    """What a directory page shows of an organisation (not the description, address or
    contacts): a plain object read from a row, its municipality from the cached list."""

    __slots__ = ("id", "name", "slug", "kind", "municipality_id", "municipality", "target_groups")

    def __init__(self, row, municipalities: dict[int, "MunicipalityRef"]):
        self.id, self.name, self.slug, self.kind, self.municipality_id = row
        self.municipality = municipalities.get(self.municipality_id)
        self.target_groups: list[str] = []


@dataclasses.dataclass(frozen=True)
class MunicipalityRef:
    id: int
    code: str
    name: str


# The directory's questions, written out as SQL: they run on every directory page, and composing
# them with peewee's query builder cost more than answering them on a small data set. Only
# fixed fragments are joined; every value is a parameter.
_COLUMNS = "SELECT o.id, o.name, o.slug, o.kind, o.municipality_id FROM organisation o"
_BY_NAME, _BY_NAME_DESC = " ORDER BY o.name, o.id", " ORDER BY o.name DESC, o.id DESC"
_KEY_AFTER = " AND (o.name, o.id) > ((SELECT k.name FROM organisation k WHERE k.id = {p}), {p})"
_KEY_BEFORE = " AND (o.name, o.id) < ((SELECT k.name FROM organisation k WHERE k.id = {p}), {p})"
_SQLITE_MATCHES = "SELECT rowid FROM organisation_search WHERE organisation_search MATCH ?"


def _sql(text: str) -> str:
    """SQLite's placeholders as the bound database writes them."""
    return text.replace("?", "%s") if db.is_postgres() else text


def _execute(text: str, params: list) -> list[tuple]:
    return db.database.execute_sql(_sql(text), params).fetchall()


def _listed(rows: list[tuple]) -> list[Listed]:
    municipalities = municipality_refs(id(db.database.obj))
    if any(row[4] is not None and row[4] not in municipalities for row in rows):
        forget_municipalities()  # one added by another worker since this one read the list
        municipalities = municipality_refs(id(db.database.obj))
    return [Listed(row, municipalities) for row in rows]


def capped_count(conditions: list, cap: int | None = None) -> int:
    """How many rows match peewee ``conditions`` on Organisation, counting at most ``cap + 1``
    (``COUNT_CAP`` by default)."""
    cap = COUNT_CAP if cap is None else cap
    limited = Organisation.select(SQL("1")).where(*conditions).limit(cap + 1)
    return Organisation.select(SQL("COUNT(*)")).from_(limited.alias("capped")).scalar()


def _count(where: str, params: list) -> int:
    sql = f"SELECT COUNT(*) FROM (SELECT 1 FROM organisation o WHERE {where} LIMIT {COUNT_CAP + 1}) capped"
    return _execute(sql, params)[0][0]


def _sqlite_search_ids(match_text: str) -> tuple[int, str]:
    """How many organisations a search matches, counting at most ``COUNT_CAP + 1``, and their ids
    as a JSON array: when there are at most ``COUNT_CAP`` they are the matches the page sorts by
    name, so the index is asked once. On SQLite the search index holds live organisations only,
    with the municipality, the kind and the target groups as tokens: this reads the index alone."""
    sql = f"SELECT COUNT(*), json_group_array(rowid) FROM ({_SQLITE_MATCHES} LIMIT {COUNT_CAP + 1})"
    count, ids = _execute(sql, [match_text])[0]
    return count, ids


def _offset(query: DirectoryQuery, page_size: int, total: int) -> int | None:
    """The offset of a page by number (a bounded walk: within the first ``COUNT_CAP`` rows);
    None when the page lies beyond the last."""
    offset = (query.page - 1) * page_size
    return None if offset >= max(min(total, COUNT_CAP), 1) else offset


def search(query: DirectoryQuery, page_size: int) -> DirectoryPage:
    """The page of organisations for a query: a capped count, one page of rows, their target groups.

    Few matches (at most ``COUNT_CAP``) are listed by name. When a search matches more, they are
    listed newest first: the order the search index keeps them in, so the page reads as many
    matches as it shows instead of all of them to sort them by name (at 1,000,000 organisations
    'klub' matches 300,000); the page says so and suggests a word or a filter to get the
    alphabetical list. Browsing without words always goes by name, through the name indexes.
    """
    municipality_id = None
    if query.municipality:
        municipality_id = municipality_ids(id(db.database.obj)).get(query.municipality)
        if municipality_id is None:  # a well-formed code of no municipality: nothing, without asking
            return DirectoryPage([], 0, query.page, page_size)
    words = terms(query.q)
    if words and not db.is_postgres():
        expansions = sqlite_expansions(db.database, words)
        match_text = sqlite_match_text(words, facet_tokens(municipality_id, query.kind, query.target_group),
                                       expansions)
        total, ids = _sqlite_search_ids(match_text)
        if total > COUNT_CAP:
            return _newest_first(query, page_size, total, _SQLITE_MATCHES, [match_text], rowid="rowid",
                                 source="organisation_search")
        where, params = "o.id IN (SELECT value FROM json_each(?))", [ids]
    else:
        where, params = "o.deleted_at IS NULL", []
        if municipality_id is not None:
            where += " AND o.municipality_id = ?"
            params.append(municipality_id)
        if query.kind:
            where += " AND o.kind = ?"
            params.append(query.kind)
        if query.target_group:
            where += (" AND EXISTS (SELECT 1 FROM organisation_target_group g WHERE g.organisation_id = o.id"
                      " AND g.target_group = ?)")
            params.append(query.target_group)
        if words:
            tsquery, ts_params = postgres_tsquery(words)
            where += f" AND o.search_vector @@ ({tsquery})"
            params += ts_params
        total = _count(where, params)
        if words and total > COUNT_CAP:
            matches = f"SELECT o.id FROM organisation o WHERE {where}"
            return _newest_first(query, page_size, total, matches, params, rowid="o.id", source="")
    if total == 0:
        return DirectoryPage([], 0, query.page, page_size)
    return _by_name(query, page_size, total, where, params)


def _by_name(query: DirectoryQuery, page_size: int, total: int, where: str, params: list) -> DirectoryPage:
    limit = f" LIMIT {page_size + 1}"
    if query.after:
        rows = _execute(_COLUMNS + f" WHERE {where}" + _KEY_AFTER.format(p="?") + _BY_NAME + limit,
                        [*params, query.after, query.after])
        has_next, has_previous = len(rows) > page_size, True
        rows = rows[:page_size]
    elif query.before:
        rows = _execute(_COLUMNS + f" WHERE {where}" + _KEY_BEFORE.format(p="?") + _BY_NAME_DESC + limit,
                        [*params, query.before, query.before])
        has_previous, has_next = len(rows) > page_size, True
        rows = rows[:page_size][::-1]
    else:
        offset = _offset(query, page_size, total)
        if offset is None:
            rows = []  # beyond the last page: the view sends the reader to the last one
        else:
            rows = _execute(_COLUMNS + f" WHERE {where}" + _BY_NAME + limit + f" OFFSET {offset}", params)
        has_next, has_previous = len(rows) > page_size, query.page > 1
        rows = rows[:page_size]
    items = _listed(rows)
    attach_target_groups(items)
    return DirectoryPage(items, total, query.page, page_size, has_next, has_previous)


def _newest_first(query: DirectoryQuery, page_size: int, total: int, matches: str, params: list, *, rowid: str,
                  source: str) -> DirectoryPage:
    """A page of a search with more than ``COUNT_CAP`` matches, by id from the newest: the ids
    come from ``matches`` in the index's own order, a page's worth, then their rows."""
    limit = page_size + 1
    if query.after:
        ids_sql, ids_params, descending = f"{matches} AND {rowid} < ? ORDER BY {rowid} DESC LIMIT {limit}", \
            [*params, query.after], True
    elif query.before:
        ids_sql, ids_params, descending = f"{matches} AND {rowid} > ? ORDER BY {rowid} LIMIT {limit}", \
            [*params, query.before], False
    else:
        offset = _offset(query, page_size, total)
        if offset is None:
            return DirectoryPage([], total, query.page, page_size, False, query.page > 1, newest_first=True)
        ids_sql, ids_params, descending = \
            f"{matches} ORDER BY {rowid} DESC LIMIT {limit} OFFSET {offset}", list(params), True
    if source:  # SQLite: the ids from the search index, then their rows
        sql = f"{_COLUMNS} WHERE o.id IN ({ids_sql}) ORDER BY o.id {'DESC' if descending else ''}"
    else:  # PostgreSQL: the conditions are on the rows themselves
        sql = ids_sql.replace("SELECT o.id FROM organisation o", _COLUMNS, 1)
    rows = _execute(sql, ids_params)
    more = len(rows) > page_size
    rows = rows[:page_size]
    if query.after:
        has_next, has_previous = more, True
    elif query.before:
        has_next, has_previous = True, more
        rows = rows[::-1]
    else:
        has_next, has_previous = more, query.page > 1
    items = _listed(rows)
    attach_target_groups(items)
    return DirectoryPage(items, total, query.page, page_size, has_next, has_previous, newest_first=True)


def attach_target_groups(organisations) -> None:
    """Set ``target_groups`` (a list of keys) on each organisation with one query."""
    by_id = {org.id: org for org in organisations}
    for org in organisations:
        org.target_groups = []
    if not by_id:
        return
    marks = ", ".join("?" * len(by_id))
    for organisation_id, group in _execute(
            f"SELECT organisation_id, target_group FROM organisation_target_group WHERE organisation_id IN ({marks})"
            " ORDER BY id", list(by_id)):
        by_id[organisation_id].target_groups.append(group)


# --- the municipalities of the filter, cached ------------------------------------------------------

MUNICIPALITY_CACHE_SECONDS = 60.0
_municipalities: dict[int, tuple[float, tuple[tuple[int, str, str], ...]]] = {}
_municipalities_lock = threading.Lock()
_options: dict[tuple, Markup] = {}
_refs: dict[int, dict[int, "MunicipalityRef"]] = {}


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


def municipality_refs(database_key: int) -> dict[int, MunicipalityRef]:
    """Every municipality by id, for the directory's rows (which need no join for it)."""
    rows = _municipality_rows(database_key)
    cached = _refs.get(id(rows))
    if cached is None:
        cached = {municipality_id: MunicipalityRef(municipality_id, code, name) for municipality_id, code, name in rows}
        with _municipalities_lock:
            _refs.clear()
            _refs[id(rows)] = cached
    return cached


def municipality_ids(database_key: int) -> dict[str, int]:
    """Municipality id by code, so a filter needs no lookup in the page's own queries."""
    return {code: municipality_id for municipality_id, code, _ in _municipality_rows(database_key)}


def forget_municipalities() -> None:
    """Drop the cached municipalities (after one is added, so this process shows it at once)."""
    with _municipalities_lock:
        _municipalities.clear()
        _options.clear()
        _refs.clear()
