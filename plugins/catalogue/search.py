"""Finding offers: the public's search and the staff's, with a cost that does not grow with the
catalogue (the directory's approach, ``core.directory``).

A fixed number of queries whatever the data: one capped count, one page of rows (organisation,
municipality and district joined), then one query each for the page's times and target groups.

* Filters that are tokens (municipality, district, target group, weekday, category, free,
  online, volunteer roles, public) and the words typed go through the database's full-text index
  (``plugins.catalogue.facets``; SQLite FTS5, PostgreSQL GIN): one intersection of posting lists.
* The age and "checked within 12 months" are checked on the row.
* The count stops at ``COUNT_CAP``; "next" and "previous" go by key — the (title, id) of the last
  or first row shown — so the 5,000th page costs what the second does; a page number jumps by
  offset only within the first ``COUNT_CAP`` rows.
* With no words and no token filters the list walks the (title, id) index of live offers.
"""
from __future__ import annotations

import dataclasses
import datetime
import math

from peewee import JOIN, OP, SQL, Expression, NodeList, Tuple

from core import db
from core.directory import COUNT_CAP, MAX_PAGE, int_param, municipality_ids
from core.models.municipality import Municipality
from core.models.organisation import Organisation
from core.search import MAX_TERMS, terms
from plugins.catalogue import facets
from plugins.catalogue.models import CATEGORIES, MAX_AGE, District, Offer, OfferSession, OfferTargetGroup
from plugins.catalogue.rules import local_today, stale_before

SHOW = ("", "public", "unpublished", "stale", "ended")  # the staff's extra filter

# PostgreSQL's generated columns (migration 0001), not model fields: bound to Offer only to be
# written as columns of the offer in the query.
from peewee import Field  # noqa: E402

_SEARCH_VECTOR = Field(column_name="search_vector")
_SEARCH_VECTOR.bind(Offer, "search_vector", set_attribute=False)
_FACET_VECTOR = Field(column_name="facet_vector")
_FACET_VECTOR.bind(Offer, "facet_vector", set_attribute=False)
_PG_WORD = "(to_tsquery('danish', %s) || to_tsquery('simple', %s))"


def _flag(params, name: str) -> bool:
    return params.get(name, "") in ("1", "on", "yes", "true")


@dataclasses.dataclass(frozen=True)
class OfferQuery:
    q: str = ""
    municipality: str = ""   # a municipality's code
    district: int = 0
    age: str = ""            # whole years, as typed ('' for any age)
    target_group: str = ""
    weekday: int = 0         # 1 Monday … 7 Sunday
    category: str = ""
    free: bool = False
    online: bool = False
    volunteer: bool = False  # volunteer roles: "for volunteers"
    show: str = ""           # staff: '', public, unpublished, stale, ended
    page: int = 1
    after: int = 0
    before: int = 0

    @classmethod
    def from_params(cls, params, target_groups, staff: bool = False) -> "OfferQuery":
        """Read the query string leniently: a value that is not one of the choices is dropped."""
        code = params.get("municipality", "").strip()
        group = params.get("target_group", "")
        category = params.get("category", "")
        age = params.get("age", "").strip()
        weekday = params.get("weekday", "").strip()
        show = params.get("show", "")
        after = int_param(params, "after")
        return cls(
            q=params.get("q", "").strip()[:200],
            municipality=code if code.isdecimal() and len(code) == 4 else "",
            district=int_param(params, "district"),
            age=age if age.isdecimal() and len(age) <= 3 and int(age) <= MAX_AGE else "",
            target_group=group if group in target_groups else "",
            weekday=int(weekday) if weekday in ("1", "2", "3", "4", "5", "6", "7") else 0,
            category=category if category in CATEGORIES else "",
            free=_flag(params, "free"), online=_flag(params, "online"), volunteer=_flag(params, "volunteer"),
            show=show if staff and show in SHOW else "",
            page=min(int_param(params, "page", 1), MAX_PAGE),
            after=after,
            before=0 if after else int_param(params, "before"),
        )

    @property
    def keyed(self) -> bool:
        return bool(self.after or self.before)

    @property
    def filtered(self) -> bool:
        return any((self.q, self.municipality, self.district, self.age, self.target_group, self.weekday,
                    self.category, self.free, self.online, self.volunteer, self.show))

    def params(self, **changes) -> dict[str, str]:
        """The query string for this query with ``changes``; a page number alone drops the keys."""
        if "page" in changes:
            changes.setdefault("after", 0)
            changes.setdefault("before", 0)
        values = dataclasses.asdict(dataclasses.replace(self, **changes))
        out = {}
        for key, value in values.items():
            if value is True:
                out[key] = "1"
            elif value and not (key == "page" and value == 1):
                out[key] = str(value)
        return out


@dataclasses.dataclass
class OfferPage:
    items: list[Offer]
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
        return max(1, math.ceil(min(self.total, COUNT_CAP) / self.page_size))

    @property
    def numbered_pages(self) -> int:
        return self.pages

    @property
    def beyond_last_page(self) -> bool:
        return not self.items and self.page > 1


# What a list shows of each offer (not the long texts).
LISTED = (Offer.id, Offer.title, Offer.kind, Offer.category, Offer.cost_ore, Offer.mode, Offer.status,
          Offer.published, Offer.last_checked, Offer.min_age, Offer.max_age, Offer.city, Offer.schedule_note,
          Offer.organisation, Offer.municipality, Offer.district, Offer.deleted_at,
          Organisation.id, Organisation.name, Organisation.slug,
          Municipality.id, Municipality.code, Municipality.name, District.id, District.name)


def _select(*fields):
    return (Offer.select(*(fields or LISTED))
            .join(Organisation, on=(Offer.organisation == Organisation.id))
            .switch(Offer).join(Municipality, JOIN.LEFT_OUTER, on=(Offer.municipality == Municipality.id))
            .switch(Offer).join(District, JOIN.LEFT_OUTER, on=(Offer.district == District.id)))


@dataclasses.dataclass
class Plan:
    """The conditions of a search, split by where they are answered."""

    tokens: list[str]              # facet tokens (the index)
    rows: list                     # conditions on the offer's row
    words: list[str]
    empty: bool = False            # a well-formed filter that names nothing: no results, no query

    @property
    def indexed(self) -> bool:
        return bool(self.words or self.tokens)


def plan(query: OfferQuery, today: datetime.date, tenant=None, staff: bool = False) -> Plan:
    """The tokens and row conditions for ``query``. ``staff``: the actor's own offers
    (``tenant``, a ``core.tenancy`` condition or None for every offer) in any state;
    otherwise the public's: published, not ended, checked within 12 months."""
    tokens: list[str] = []
    rows: list = [Offer.deleted_at.is_null()]
    result = Plan(tokens, rows, terms(query.q))
    if query.municipality:
        municipality_id = municipality_ids(id(db.database.obj)).get(query.municipality)
        if municipality_id is None:
            result.empty = True
            return result
        tokens.append(facets.municipality(municipality_id))
    if query.district:
        tokens.append(facets.district(query.district))
    if query.target_group:
        tokens.append(facets.target_group(query.target_group))
    if query.weekday:
        tokens.append(facets.weekday(query.weekday))
    if query.category:
        tokens.append(facets.category(query.category))
    if query.free:
        tokens.append(facets.FREE)
    if query.online:
        tokens.append(facets.ONLINE)
    if query.volunteer:
        tokens.append(facets.kind("volunteer_role"))
    if query.age:
        age = int(query.age)
        rows.extend([Offer.min_age <= age, Offer.max_age >= age])
    cutoff = stale_before(today)
    if staff:
        if tenant is not None:
            rows.append(tenant)
        if query.show == "public":
            tokens.append(facets.PUBLIC)
            rows.append(Offer.last_checked >= cutoff)
        elif query.show == "unpublished":
            tokens.append(facets.DRAFT)
        elif query.show == "stale":
            rows.extend([Offer.last_checked < cutoff, Offer.status != "ended"])
        elif query.show == "ended":
            tokens.append(facets.status("ended"))
    else:
        rows.append(Offer.last_checked >= cutoff)
        if tokens or result.words:
            tokens.append(facets.PUBLIC)
        else:
            rows.extend([Offer.published == True, Offer.status != "ended"])  # noqa: E712
    return result


# --- the index, per backend -------------------------------------------------------------------

def sqlite_match_text(words: list[str], tokens: list[str]) -> str:
    """An FTS5 query: every word as a prefix in the offer's words, every token in its facets."""
    parts = []
    if words:
        parts.append("body: (" + " ".join('"' + word.replace('"', "") + '"*' for word in words) + ")")
    parts.extend(f'facets: "{token}"' for token in tokens)
    return " AND ".join(parts)


def postgres_match(words: list[str], tokens: list[str]) -> list:
    conditions = []
    if words:
        params: list[str] = []
        for word in words[:MAX_TERMS]:
            params += [f"{word}:*"] * 2
        conditions.append(NodeList((_SEARCH_VECTOR, SQL("@@ (" + " && ".join([_PG_WORD] * len(words)) + ")",
                                                         params))))
    if tokens:
        conditions.append(NodeList((_FACET_VECTOR, SQL("@@ to_tsquery('simple', %s)", [" & ".join(tokens)]))))
    return conditions


def _capped_count(conditions: list) -> int:
    limited = Offer.select(SQL("1")).where(*conditions).limit(COUNT_CAP + 1)
    return Offer.select(SQL("COUNT(*)")).from_(limited.alias("capped")).scalar()


def _sqlite_index_count(match_text: str) -> int:
    sql = "SELECT COUNT(*) FROM (SELECT 1 FROM catalogue_offer_search WHERE catalogue_offer_search MATCH ? LIMIT ?)"
    return db.database.execute_sql(sql, [match_text, COUNT_CAP + 1]).fetchone()[0]


def _key_of(offer_id: int) -> Tuple:
    title = Offer.select(Offer.title).where(Offer.id == offer_id)
    return Tuple(title, offer_id)


def _rows(conditions: list, order, page_size: int, offset: int = 0) -> list[Offer]:
    return list(_select().where(*conditions).order_by(*order).offset(offset or None).limit(page_size + 1))


def search(query: OfferQuery, page_size: int, today: datetime.date | None = None, *, staff: bool = False,
           tenant=None) -> OfferPage:
    today = today or local_today()
    how = plan(query, today, tenant, staff)
    if how.empty:
        return OfferPage([], 0, query.page, page_size)
    conditions = list(how.rows)
    if how.indexed and not db.is_postgres():
        match_text = sqlite_match_text(how.words, how.tokens)
        matches = SQL("(SELECT rowid FROM catalogue_offer_search WHERE catalogue_offer_search MATCH ?)", [match_text])
        only_live = len(conditions) == 1  # the index holds live offers only: no row condition left
        total = _sqlite_index_count(match_text) if only_live else None
        column = Offer.id
        if total is None:
            total = _capped_count([*conditions, Expression(Offer.id, OP.IN, matches)])
        if total > COUNT_CAP:
            # many matches: walk the title index in order and keep the matching rows ("+" keeps
            # SQLite from driving from the match list)
            column = NodeList((SQL("+"), Offer.id), glue="")
        conditions.append(Expression(column, OP.IN, matches))
    else:
        if how.indexed:
            conditions.extend(postgres_match(how.words, how.tokens))
        total = _capped_count(conditions)
    key = Tuple(Offer.title, Offer.id)
    if query.after:
        rows = _rows([*conditions, key > _key_of(query.after)], (Offer.title, Offer.id), page_size)
        has_next, has_previous = len(rows) > page_size, True
        rows = rows[:page_size]
    elif query.before:
        rows = _rows([*conditions, key < _key_of(query.before)], (Offer.title.desc(), Offer.id.desc()), page_size)
        has_previous, has_next = len(rows) > page_size, True
        rows = rows[:page_size][::-1]
    else:
        offset = (query.page - 1) * page_size
        if offset >= max(min(total, COUNT_CAP), 1):
            rows = []
        else:
            rows = _rows(conditions, (Offer.title, Offer.id), page_size, offset)
        has_next, has_previous = len(rows) > page_size, query.page > 1
        rows = rows[:page_size]
    attach(rows)
    return OfferPage(rows, total, query.page, page_size, has_next, has_previous)


def attach(offers: list[Offer]) -> None:
    """Set ``groups`` (target group keys) and ``sessions`` on each offer: two queries in all."""
    by_id = {offer.id: offer for offer in offers}
    for offer in offers:
        offer.groups, offer.sessions = [], []
    if not by_id:
        return
    for row in (OfferTargetGroup.select(OfferTargetGroup.offer, OfferTargetGroup.target_group)
                .where(OfferTargetGroup.offer.in_(list(by_id))).order_by(OfferTargetGroup.id)):
        by_id[row.offer_id].groups.append(row.target_group)
    for row in (OfferSession.select().where(OfferSession.offer.in_(list(by_id)))
                .order_by(OfferSession.weekday.is_null(), OfferSession.weekday, OfferSession.on_date,
                          OfferSession.starts_at, OfferSession.id)):
        by_id[row.offer_id].sessions.append(row)


def districts_of(municipality_code: str) -> list[District]:
    """The districts of a municipality, by name (for the district filter): one query."""
    municipality_id = municipality_ids(id(db.database.obj)).get(municipality_code)
    if municipality_id is None:
        return []
    return list(District.select(District.id, District.name).where(District.municipality == municipality_id)
                .order_by(District.name))




def text_condition(words: list[str], tokens: list[str]):
    """A WHERE condition on the offer for words and facet tokens, through the backend's index
    (for lists in id order, such as the open-data pages)."""
    if not words and not tokens:
        return None
    if db.is_postgres():
        conditions = postgres_match(words, tokens)
        return conditions[0] if len(conditions) == 1 else conditions[0] & conditions[1]
    matches = SQL("(SELECT rowid FROM catalogue_offer_search WHERE catalogue_offer_search MATCH ?)",
                  [sqlite_match_text(words, tokens)])
    return Expression(Offer.id, OP.IN, matches)


__all__ = ["COUNT_CAP", "OfferPage", "OfferQuery", "attach", "districts_of", "search", "text_condition"]
