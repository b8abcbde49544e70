"""An index for the directory's default order (name, id) over live organisations, so browsing
page 50 of 100,000 organisations reads the index instead of sorting the table."""


def up(migrator, db):
    db.execute_sql("CREATE INDEX organisation_live_name ON organisation (name, id) WHERE deleted_at IS NULL")


def down(migrator, db):
    db.execute_sql("DROP INDEX organisation_live_name")
