"""Search that Danes type (issue 7): the index holds folded text, so 'born', 'boern' and 'Børn'
find the same organisations, as do 'Haandbold'/'Håndbold' and 'Faellesskab'/'Fællesskab'; and
search whose cost does not grow with the data (issue 12).

SQLite's index holds live organisations only (a soft delete takes the row out) and, besides the
folded text, a ``facets`` column with the municipality, the kind and the target groups as tokens
('m12 kassociation gchildren'),
so 'klub' in one municipality is one intersection of two posting lists instead of every 'klub'
in the country checked against the municipality. Three partial indexes give the directory's
order (name, id) within a municipality and within a kind.

SQLite: the FTS5 table keeps its own copy of the folded name, city and description, written by
triggers through ``partnerskab_fold`` (``core.folding.fold``, registered on every connection the
app opens; a writer that does not register it, such as the sqlite3 shell, cannot change an
organisation's searchable text). PostgreSQL: the generated tsvector is rebuilt over the same
folding written in SQL. Frozen copies of the folding table and steps: later changes get a new
script, never edits here.
"""
from peewee import PostgresqlDatabase

FOLD_FROM = ('ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝàáâãäåæçèéêëìíîïðñòóôõöøùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĐđĒēĔ'
             'ĕĖėĘęĚěĜĝĞğĠġĢģĤĥĦħĨĩĪīĬĭĮįıĴĵĶķĹĺĻļĽľŁłŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŦŧŨũŪūŬŭŮů'
             'ŰűŲųŴŵŶŷŸŹźŻżŽžſƀƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǠǡǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗ'
             'ȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳ')
FOLD_TO = ('aaaaaaaceeeeiiiidnoooooouuuuyaaaaaaaceeeeiiiidnoooooouuuuyyaaaaaaccccccccddddeee'
           'eeeeeeegggggggghhhhiiiiiiiiijjkkllllllllnnnnnnoooooorrrrrrssssssssttttttuuuuuuuu'
           'uuuuwwyyyzzzzzzsboouuaaiioouuuuuuuuuuaaaaggkkoooojggnnaaaaaaeeeeiiiioooorrrruuuu'
           'sstthhaaeeooooooooyy')
DIGRAPHS = (("ae", "a"), ("oe", "o"), ("aa", "a"))


def fold_sql(expression: str) -> str:
    sql = f"lower(translate(coalesce({expression}, ''), '{FOLD_FROM}', '{FOLD_TO}'))"
    for digraph, letter in DIGRAPHS:
        sql = f"replace({sql}, '{digraph}', '{letter}')"
    return sql


def _facets(prefix: str) -> str:
    groups = ("coalesce((SELECT ' ' || group_concat('g' || replace(g.target_group, '_', ''), ' ') "
              f"FROM organisation_target_group g WHERE g.organisation_id = {prefix}.id), '')")
    return f"'m' || coalesce({prefix}.municipality_id, 0) || ' k' || replace({prefix}.kind, '_', '') || {groups}"


def _folded_row(prefix: str) -> str:
    folded = ", ".join(f"partnerskab_fold({prefix}.{column})" for column in ("name", "city", "description"))
    return f"{folded}, {_facets(prefix)}"


def _refresh_groups(organisation_id: str) -> str:
    return (f"UPDATE organisation_search SET facets = (SELECT {_facets('o')} FROM organisation o "
            f"WHERE o.id = {organisation_id}) WHERE rowid = {organisation_id};")


COLUMNS = "rowid, name, city, description, facets"
INDEXES = [
    "CREATE INDEX organisation_live_municipality_name ON organisation (municipality_id, name, id) "
    "WHERE deleted_at IS NULL",
    "CREATE INDEX organisation_live_kind_name ON organisation (kind, name, id) WHERE deleted_at IS NULL",
]
DROP_INDEXES = ["DROP INDEX IF EXISTS organisation_live_municipality_name",
                "DROP INDEX IF EXISTS organisation_live_kind_name"]


SQLITE_UP = [
    "DROP TRIGGER IF EXISTS organisation_search_update",
    "DROP TRIGGER IF EXISTS organisation_search_delete",
    "DROP TRIGGER IF EXISTS organisation_search_insert",
    "DROP TABLE IF EXISTS organisation_search",
    """CREATE VIRTUAL TABLE organisation_search USING fts5(
           name, city, description, facets, tokenize='unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER organisation_search_insert AFTER INSERT ON organisation WHEN new.deleted_at IS NULL BEGIN
           INSERT INTO organisation_search({COLUMNS}) VALUES (new.id, {_folded_row('new')});
       END""",
    """CREATE TRIGGER organisation_search_delete AFTER DELETE ON organisation BEGIN
           DELETE FROM organisation_search WHERE rowid = old.id;
       END""",
    f"""CREATE TRIGGER organisation_search_update
           AFTER UPDATE OF name, city, description, kind, municipality_id, deleted_at ON organisation BEGIN
           DELETE FROM organisation_search WHERE rowid = old.id;
           INSERT INTO organisation_search({COLUMNS}) SELECT new.id, {_folded_row('new')} WHERE new.deleted_at IS NULL;
       END""",
    f"""CREATE TRIGGER organisation_search_group_insert AFTER INSERT ON organisation_target_group BEGIN
           {_refresh_groups('new.organisation_id')}
       END""",
    f"""CREATE TRIGGER organisation_search_group_delete AFTER DELETE ON organisation_target_group BEGIN
           {_refresh_groups('old.organisation_id')}
       END""",
    f"""INSERT INTO organisation_search({COLUMNS})
        SELECT id, {_folded_row('organisation')} FROM organisation WHERE deleted_at IS NULL""",
    *INDEXES,
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS organisation_search_group_insert",
               "DROP TRIGGER IF EXISTS organisation_search_group_delete", *SQLITE_UP[:4], *DROP_INDEXES]


def _weighted(column: str, weight: str) -> str:
    folded = fold_sql(column)
    return (f"setweight(to_tsvector('danish', {folded}), '{weight}') || "
            f"setweight(to_tsvector('simple', {folded}), '{weight}')")


POSTGRES_UP = [
    "DROP INDEX IF EXISTS organisation_search_vector",
    "ALTER TABLE organisation DROP COLUMN IF EXISTS search_vector",
    f"""ALTER TABLE organisation ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
           {_weighted('name', 'A')} ||
           {_weighted('city', 'B')} ||
           {_weighted('description', 'C')}) STORED""",
    "CREATE INDEX organisation_search_vector ON organisation USING GIN (search_vector)",
    *INDEXES,
]
POSTGRES_DOWN = POSTGRES_UP[:2] + DROP_INDEXES


def _run(db, statements):
    for statement in statements:
        db.execute_sql(statement)


def up(migrator, db):
    _run(db, POSTGRES_UP if isinstance(db, PostgresqlDatabase) else SQLITE_UP)


def down(migrator, db):
    _run(db, POSTGRES_DOWN if isinstance(db, PostgresqlDatabase) else SQLITE_DOWN)
