"""The pathway plugin's tables (frozen copies of ``plugins/pathways/models.py``)."""
from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, Model


def up(migrator, db):
    class Programme(Model):
        class Meta:
            database = db
            table_name = "programme"

    class Organisation(Model):
        class Meta:
            database = db
            table_name = "organisation"

    class PathwayReport(Model):
        programme = ForeignKeyField(Programme, on_delete="CASCADE")
        organisation = ForeignKeyField(Organisation, on_delete="CASCADE")
        period = CharField(max_length=7)
        status = CharField(max_length=20, default="submitted")
        revision = IntegerField(default=1)
        submitted_at = DateTimeField()
        checked_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "pathway_report"
            indexes = ((("programme", "organisation", "period"), True),)

    class PathwayCount(Model):
        report = ForeignKeyField(PathwayReport, on_delete="CASCADE")
        step = CharField(max_length=40)
        entered = IntegerField(default=0)
        moved_on = IntegerField(default=0)
        left = IntegerField(default=0, column_name="left_pathway")

        class Meta:
            database = db
            table_name = "pathway_count"
            indexes = ((("report", "step"), True),)

    db.create_tables([PathwayReport, PathwayCount])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("pathway_count"))
    migrator.migrate(migrator.drop_table("pathway_report"))
