"""Per programme × year money totals, kept by the database (issue 12: /budgets at 100,000+ payments).

``budget_total`` holds, per programme and budget year, the live sign-on fees granted that
calendar year, the live grants for the year and the payments paid against the year's
commitments. The overview pages (/budgets, a programme's page, the API's budgets) read these
few rows instead of summing every fee, grant and payment on each request (0.6 s of SQL at
200,000 payments).

Triggers keep the rows: after a fee, grant or payment row is inserted, updated (its amount,
year, programme, status or soft delete) or deleted, the old row's share is taken away and
the new row's added, in the statement's own transaction. So the totals are right whoever
writes the money (the rules in ``core.rules.money``, a soft delete, a bulk load, a restore),
and a write that rolls back takes its change to the totals with it. Two writers queue on the
programme's lock (the rules), and on PostgreSQL also on the totals row itself, so concurrent
increments are never lost.

The migration fills the table from the sums of what is there (the backfill), then adds the
triggers. ``pg_dump`` puts triggers after the data, so a restore does not count twice.
"""
from peewee import *

# (table, totals column, year of a row, "counts" condition, amount) — with {r} for NEW or OLD
SOURCES = (
    ("sign_on_fee", "fees_ore", {"sqlite": "CAST(strftime('%Y', {r}.granted_on) AS INTEGER)",
                                 "postgres": "CAST(EXTRACT(YEAR FROM {r}.granted_on) AS INTEGER)"},
     "{r}.deleted_at IS NULL", ("programme_id", "granted_on", "amount_ore", "deleted_at")),
    ("programme_grant", "grants_ore", {"sqlite": "{r}.year", "postgres": "{r}.year"},
     "{r}.deleted_at IS NULL", ("programme_id", "year", "amount_ore", "deleted_at")),
    ("payment_request", "paid_ore", {"sqlite": "{r}.budget_year", "postgres": "{r}.budget_year"},
     "{r}.status = 'paid'", ("programme_id", "budget_year", "amount_ore", "status")),
)
COLUMNS = ("fees_ore", "grants_ore", "paid_ore")


def sums_sql(dialect: str) -> str:
    """Every programme × year's totals from the rows themselves: the backfill, and what a test compares with."""
    parts = []
    for table, column, year, counts, _ in SOURCES:
        values = ", ".join(f"amount_ore AS {c}" if c == column else f"0 AS {c}" for c in COLUMNS)
        parts.append(f"SELECT programme_id, {year[dialect].format(r=table)} AS year, {values} FROM {table} "
                     f"WHERE {counts.format(r=table)}")
    sums = ", ".join(f"SUM({c}) AS {c}" for c in COLUMNS)
    return f"SELECT programme_id, year, {sums} FROM ({' UNION ALL '.join(parts)}) AS money GROUP BY programme_id, year"


def _sqlite_triggers() -> list[str]:
    statements = []
    for table, column, year, counts, watched in SOURCES:
        old_year, new_year = year["sqlite"].format(r="old"), year["sqlite"].format(r="new")
        add = (f"INSERT OR IGNORE INTO budget_total (programme_id, year, fees_ore, grants_ore, paid_ore) "
               f"SELECT new.programme_id, {new_year}, 0, 0, 0 WHERE {counts.format(r='new')}; "
               f"UPDATE budget_total SET {column} = {column} + new.amount_ore "
               f"WHERE {counts.format(r='new')} AND programme_id = new.programme_id AND year = {new_year};")
        take = (f"UPDATE budget_total SET {column} = {column} - old.amount_ore "
                f"WHERE {counts.format(r='old')} AND programme_id = old.programme_id AND year = {old_year};")
        statements += [
            f"CREATE TRIGGER budget_total_{table}_insert AFTER INSERT ON {table} BEGIN {add} END",
            f"CREATE TRIGGER budget_total_{table}_update AFTER UPDATE OF {', '.join(watched)} ON {table} "
            f"BEGIN {take} {add} END",
            f"CREATE TRIGGER budget_total_{table}_delete AFTER DELETE ON {table} BEGIN {take} END",
        ]
    return statements


def _postgres_triggers() -> list[str]:
    statements = []
    for table, column, year, counts, watched in SOURCES:
        old_year, new_year = year["postgres"].format(r="OLD"), year["postgres"].format(r="NEW")
        statements += [
            f"""CREATE OR REPLACE FUNCTION budget_total_{table}() RETURNS trigger LANGUAGE plpgsql AS $body$
            BEGIN
                IF TG_OP <> 'INSERT' THEN
                    IF {counts.format(r='OLD')} THEN
                        UPDATE budget_total SET {column} = {column} - OLD.amount_ore
                        WHERE programme_id = OLD.programme_id AND year = {old_year};
                    END IF;
                END IF;
                IF TG_OP <> 'DELETE' THEN
                    IF {counts.format(r='NEW')} THEN
                        INSERT INTO budget_total (programme_id, year, fees_ore, grants_ore, paid_ore)
                        VALUES (NEW.programme_id, {new_year}, 0, 0, 0)
                        ON CONFLICT (programme_id, year) DO NOTHING;
                        UPDATE budget_total SET {column} = {column} + NEW.amount_ore
                        WHERE programme_id = NEW.programme_id AND year = {new_year};
                    END IF;
                END IF;
                RETURN NULL;
            END
            $body$""",
            f"CREATE TRIGGER budget_total_{table} AFTER INSERT OR UPDATE OF {', '.join(watched)} OR DELETE "
            f"ON {table} FOR EACH ROW EXECUTE FUNCTION budget_total_{table}()",
        ]
    return statements


def up(migrator, db):
    class Programme(Model):
        class Meta:
            database = db
            table_name = 'programme'

    class BudgetTotal(Model):
        programme = ForeignKeyField(Programme, backref='budget_totals', on_delete='CASCADE')
        year = IntegerField()
        fees_ore = BigIntegerField(default=0)
        grants_ore = BigIntegerField(default=0)
        paid_ore = BigIntegerField(default=0)

        class Meta:
            database = db
            table_name = 'budget_total'
            indexes = ((('programme', 'year'), True),)

    db.create_tables([BudgetTotal])
    dialect = "postgres" if isinstance(db, PostgresqlDatabase) else "sqlite"
    db.execute_sql(f"INSERT INTO budget_total (programme_id, year, fees_ore, grants_ore, paid_ore) {sums_sql(dialect)}")
    for statement in (_postgres_triggers() if dialect == "postgres" else _sqlite_triggers()):
        db.execute_sql(statement)


def down(migrator, db):
    if isinstance(db, PostgresqlDatabase):
        for table, *_ in SOURCES:
            db.execute_sql(f"DROP TRIGGER IF EXISTS budget_total_{table} ON {table}")
            db.execute_sql(f"DROP FUNCTION IF EXISTS budget_total_{table}()")
    else:
        for table, *_ in SOURCES:
            for event in ("insert", "update", "delete"):
                db.execute_sql(f"DROP TRIGGER IF EXISTS budget_total_{table}_{event}")
    db.execute_sql("DROP TABLE IF EXISTS budget_total")
