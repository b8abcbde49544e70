"""The knowledge plugin's tables (frozen copies of ``plugins/knowledge/models.py``) and their
full-text indexes, built the way the core's organisation search is (core migration 0012):

SQLite: an FTS5 table per searchable table holding the folded text (``partnerskab_fold``, the
core's ``core.folding.fold`` registered on every connection), kept by triggers. PostgreSQL: a
generated ``search_vector`` column over the same folding written in SQL (the core migration's
frozen ``fold_sql``), stemmed the Danish way and as written, with a GIN index. Later changes get
a new script, never edits here.
"""
import importlib

from peewee import (BigIntegerField, BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, Model,
                    PostgresqlDatabase, TextField)

fold_sql = importlib.import_module("core.migrations.0012_search_folding").fold_sql

# table -> (index columns, each a list of the table's columns joined with spaces)
SEARCHED = {
    "knowledge_learning": (("title", ("title",)), ("body", ("summary", "body"))),
    "knowledge_method": (("title", ("title",)), ("body", ("what", "for_whom", "steps", "what_it_takes", "evidence"))),
    "knowledge_harvested": (("title", ("title",)),
                            ("body", ("summary", "body", "organisation_name", "municipality_name", "programme_name",
                                      "focus_area_da", "focus_area_en"))),
}


def _joined(prefix: str, columns) -> str:
    return " || ' ' || ".join(f"coalesce({prefix}.{column}, '')" for column in columns)


def _sqlite_statements(table: str) -> tuple[list[str], list[str], list[str]]:
    """(create, triggers, fill) for one table's FTS5 index."""
    index = f"{table}_search"
    names = ", ".join(name for name, _columns in SEARCHED[table])

    def values(prefix):
        return ", ".join(f"partnerskab_fold({_joined(prefix, columns)})" for _name, columns in SEARCHED[table])
    watched = ", ".join(dict.fromkeys(column for _name, columns in SEARCHED[table] for column in columns))
    create = [f"CREATE VIRTUAL TABLE {index} USING fts5({names}, tokenize='unicode61 remove_diacritics 2')"]
    triggers = [
        f"""CREATE TRIGGER {index}_insert AFTER INSERT ON {table} BEGIN
               INSERT INTO {index}(rowid, {names}) VALUES (new.id, {values('new')});
           END""",
        f"""CREATE TRIGGER {index}_update AFTER UPDATE OF {watched} ON {table} BEGIN
               DELETE FROM {index} WHERE rowid = old.id;
               INSERT INTO {index}(rowid, {names}) VALUES (new.id, {values('new')});
           END""",
        f"""CREATE TRIGGER {index}_delete AFTER DELETE ON {table} BEGIN
               DELETE FROM {index} WHERE rowid = old.id;
           END""",
    ]
    fill = [f"INSERT INTO {index}(rowid, {names}) SELECT id, {values(table)} FROM {table}"]
    return create, triggers, fill


def sqlite_triggers(table: str) -> list[str]:
    return _sqlite_statements(table)[1]


def sqlite_fill(table: str) -> list[str]:
    return _sqlite_statements(table)[2]


def sqlite_drop_triggers(table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_search_{event}" for event in ("insert", "update", "delete")]


def _weighted(columns, weight: str) -> str:
    folded = fold_sql(" || ' ' || ".join(f"coalesce({column}, '')" for column in columns))
    return (f"setweight(to_tsvector('danish', {folded}), '{weight}') || "
            f"setweight(to_tsvector('simple', {folded}), '{weight}')")


def postgres_index(table: str) -> str:
    return f"CREATE INDEX {table}_search_vector ON {table} USING GIN (search_vector)"


def _postgres_statements(table: str) -> list[str]:
    (_t, title), (_b, body) = SEARCHED[table]
    return [f"ALTER TABLE {table} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
            f"{_weighted(title, 'A')} || {_weighted(body, 'B')}) STORED", postgres_index(table)]


def up(migrator, db):
    class Municipality(Model):
        class Meta:
            database = db
            table_name = 'municipality'

    class Organisation(Model):
        class Meta:
            database = db
            table_name = 'organisation'

    class Programme(Model):
        class Meta:
            database = db
            table_name = 'programme'

    class Account(Model):
        class Meta:
            database = db
            table_name = 'account'

    class Learning(Model):
        change_number = BigIntegerField(index=True, default=0)
        deleted_at = DateTimeField(null=True)
        title = CharField(max_length=200)
        summary = TextField()
        body = TextField(default='')
        municipality = ForeignKeyField(Municipality, null=True, on_delete='RESTRICT')
        organisation = ForeignKeyField(Organisation, null=True, on_delete='RESTRICT')
        programme = ForeignKeyField(Programme, null=True, on_delete='RESTRICT')
        meeting_ref = CharField(max_length=100, default='')
        meeting_label = CharField(max_length=200, default='')
        meeting_url = CharField(max_length=300, default='')
        focus_area = CharField(max_length=120, default='')
        target_group = CharField(max_length=40, default='')
        method = CharField(max_length=40, default='')
        visibility = CharField(max_length=20, default='network', index=True)
        author = ForeignKeyField(Account, null=True, on_delete='SET NULL')
        author_name = CharField(max_length=200, default='')
        source = CharField(max_length=500, default='')
        illustrative = BooleanField(default=False)
        created_at = DateTimeField()
        updated_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'knowledge_learning'

    class Method(Model):
        change_number = BigIntegerField(index=True, default=0)
        deleted_at = DateTimeField(null=True)
        learning = ForeignKeyField(Learning, unique=True, on_delete='RESTRICT')
        title = CharField(max_length=200)
        method_key = CharField(max_length=40, default='other')
        what = TextField(default='')
        for_whom = TextField(default='')
        steps = TextField(default='')
        what_it_takes = TextField(default='')
        evidence = TextField(default='')
        municipality = ForeignKeyField(Municipality, null=True, on_delete='RESTRICT')
        organisation = ForeignKeyField(Organisation, null=True, on_delete='RESTRICT')
        programme = ForeignKeyField(Programme, null=True, on_delete='RESTRICT')
        focus_area = CharField(max_length=120, default='')
        target_group = CharField(max_length=40, default='')
        visibility = CharField(max_length=20, default='network', index=True)
        author = ForeignKeyField(Account, null=True, on_delete='SET NULL')
        author_name = CharField(max_length=200, default='')
        created_at = DateTimeField()
        updated_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'knowledge_method'

    class Comment(Model):
        learning = ForeignKeyField(Learning, on_delete='CASCADE')
        author = ForeignKeyField(Account, null=True, on_delete='SET NULL')
        author_name = CharField(max_length=200, default='')
        body = TextField()
        created_at = DateTimeField(index=True)

        class Meta:
            database = db
            table_name = 'knowledge_comment'

    class HarvestedKnowledge(Model):
        item = BigIntegerField(unique=True)
        modified = BigIntegerField()
        kind = CharField(max_length=20)
        peer = CharField(max_length=100)
        remote_id = CharField(max_length=100)
        title = CharField(max_length=200)
        summary = TextField(default='')
        body = TextField(default='')
        municipality_code = CharField(max_length=4, default='')
        municipality_name = CharField(max_length=100, default='')
        organisation_name = CharField(max_length=200, default='')
        programme_name = CharField(max_length=200, default='')
        focus_area = CharField(max_length=120, default='', index=True)
        focus_area_da = CharField(max_length=200, default='')
        focus_area_en = CharField(max_length=200, default='')
        target_group = CharField(max_length=40, default='')
        method_key = CharField(max_length=40, default='', index=True)
        url = CharField(max_length=300, default='')
        year = IntegerField(null=True)

        class Meta:
            database = db
            table_name = 'knowledge_harvested'

    db.create_tables([Learning, Method, Comment, HarvestedKnowledge])
    # the pages' lists: live rows by visibility and time, a municipality's and a programme's
    for statement in (
            "CREATE INDEX knowledge_learning_programme ON knowledge_learning (programme_id, id)",
            "CREATE INDEX knowledge_learning_municipality ON knowledge_learning (municipality_id, id)",
            "CREATE INDEX knowledge_method_programme ON knowledge_method (programme_id, id)"):
        db.execute_sql(statement)
    for table in SEARCHED:
        if isinstance(db, PostgresqlDatabase):
            statements = _postgres_statements(table)
        else:
            create, triggers, fill = _sqlite_statements(table)
            statements = create + triggers + fill
        for statement in statements:
            db.execute_sql(statement)


def down(migrator, db):
    if not isinstance(db, PostgresqlDatabase):
        for table in SEARCHED:
            for statement in sqlite_drop_triggers(table):
                db.execute_sql(statement)
            db.execute_sql(f"DROP TABLE IF EXISTS {table}_search")
    for table in ('knowledge_harvested', 'knowledge_comment', 'knowledge_method', 'knowledge_learning'):
        migrator.migrate(migrator.drop_table(table))
