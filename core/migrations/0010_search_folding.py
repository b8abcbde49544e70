"""Search that Danes type (issue 7): the index holds folded text, so 'hillerod', 'hilleroed' and
'Hillerød' find the same organisations, as do 'Aarhus'/'Århus' and 'Naestved'/'Næstved'.

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


def _folded_row(prefix: str) -> str:
    return ", ".join(f"partnerskab_fold({prefix}.{column})" for column in ("name", "city", "description"))


SQLITE_UP = [
    "DROP TRIGGER IF EXISTS organisation_search_update",
    "DROP TRIGGER IF EXISTS organisation_search_delete",
    "DROP TRIGGER IF EXISTS organisation_search_insert",
    "DROP TABLE IF EXISTS organisation_search",
    """CREATE VIRTUAL TABLE organisation_search USING fts5(
           name, city, description, tokenize='unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER organisation_search_insert AFTER INSERT ON organisation BEGIN
           INSERT INTO organisation_search(rowid, name, city, description) VALUES (new.id, {_folded_row('new')});
       END""",
    """CREATE TRIGGER organisation_search_delete AFTER DELETE ON organisation BEGIN
           DELETE FROM organisation_search WHERE rowid = old.id;
       END""",
    f"""CREATE TRIGGER organisation_search_update AFTER UPDATE OF name, city, description ON organisation BEGIN
           DELETE FROM organisation_search WHERE rowid = old.id;
           INSERT INTO organisation_search(rowid, name, city, description) VALUES (new.id, {_folded_row('new')});
       END""",
    f"""INSERT INTO organisation_search(rowid, name, city, description)
        SELECT id, {_folded_row('organisation')} FROM organisation""",
]
SQLITE_DOWN = SQLITE_UP[:4]


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
]
POSTGRES_DOWN = POSTGRES_UP[:2]


def _run(db, statements):
    for statement in statements:
        db.execute_sql(statement)


def up(migrator, db):
    _run(db, POSTGRES_UP if isinstance(db, PostgresqlDatabase) else SQLITE_UP)


def down(migrator, db):
    _run(db, POSTGRES_DOWN if isinstance(db, PostgresqlDatabase) else SQLITE_DOWN)
