"""The surveys' tables (frozen copies of ``plugins/surveys/models.py`` as they were when this
script was written). Responses and answers have no running number: on SQLite their tables are
WITHOUT ROWID, so rows are stored in the order of their random keys, not of their arrival."""
from peewee import *


def up(migrator, db):
    sqlite = not isinstance(db, PostgresqlDatabase)

    class Programme(Model):
        class Meta:
            database = db
            table_name = 'programme'

    class Organisation(Model):
        class Meta:
            database = db
            table_name = 'organisation'

    class Survey(Model):
        programme = ForeignKeyField(Programme, on_delete='CASCADE')
        series = CharField(max_length=60)
        year = IntegerField()
        title = CharField(max_length=200)
        introduction = TextField(default='')
        anonymous = BooleanField(default=True)
        status = CharField(max_length=10, default='draft')
        opened_on = DateField(null=True)
        closes_on = DateField(null=True)
        closed_on = DateField(null=True)
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'survey'
            indexes = ((('programme', 'series', 'year'), True),)

    class SurveyQuestion(Model):
        survey = ForeignKeyField(Survey, on_delete='CASCADE')
        key = CharField(max_length=40)
        position = IntegerField(default=0)
        kind = CharField(max_length=20)
        text = CharField(max_length=500)
        help = TextField(default='')
        options = TextField(default='[]')
        rows = TextField(default='[]')
        scale_min = IntegerField(null=True)
        scale_max = IntegerField(null=True)
        scale_low = CharField(max_length=100, default='')
        scale_high = CharField(max_length=100, default='')
        focus_area = IntegerField(null=True)
        required = BooleanField(default=False)

        class Meta:
            database = db
            table_name = 'survey_question'
            indexes = ((('survey', 'key'), True),)

    class SurveyInvitation(Model):
        survey = ForeignKeyField(Survey, on_delete='CASCADE')
        organisation = ForeignKeyField(Organisation, on_delete='CASCADE')
        invited_on = DateField()
        answered = BooleanField(default=False)

        class Meta:
            database = db
            table_name = 'survey_invitation'
            indexes = ((('survey', 'organisation'), True),)

    class SurveyResponse(Model):
        id = CharField(max_length=32, primary_key=True)
        survey = ForeignKeyField(Survey, on_delete='CASCADE')
        organisation = ForeignKeyField(Organisation, null=True, on_delete='CASCADE')

        class Meta:
            database = db
            table_name = 'survey_response'
            without_rowid = sqlite

    class SurveyAnswer(Model):
        response = ForeignKeyField(SurveyResponse, on_delete='CASCADE')
        question = ForeignKeyField(SurveyQuestion, on_delete='CASCADE')
        item = CharField(max_length=40, default='')
        choice = CharField(max_length=40, default='')
        number = IntegerField(null=True)
        text = TextField(default='')

        class Meta:
            database = db
            table_name = 'survey_answer'
            primary_key = CompositeKey('response', 'question', 'item')
            without_rowid = sqlite

    db.create_tables([Survey, SurveyQuestion, SurveyInvitation, SurveyResponse, SurveyAnswer])


def down(migrator, db):
    for table in ('survey_answer', 'survey_response', 'survey_invitation', 'survey_question', 'survey'):
        migrator.migrate(migrator.drop_table(table))
