"""An index on when each yearly count last changed, so the newest change is found without reading
every count (the federation's published totals ask for it before each feed page; issue 12)."""


def up(migrator, db):
    db.execute_sql('CREATE INDEX IF NOT EXISTS membership_count_updated_at ON membership_count (updated_at)')


def down(migrator, db):
    db.execute_sql('DROP INDEX IF EXISTS membership_count_updated_at')
