"""The network-life plugin's tables (frozen copies of ``plugins/network_life/models.py``): action
plans in versions with goals, indicators, targets and status entries; meetings with invitations,
minutes, follow-ups and the organisations present; calendar feeds."""
from peewee import *


def up(migrator, db):
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

    class Agreement(Model):
        class Meta:
            database = db
            table_name = 'agreement'

    class ActionPlan(Model):
        agreement = ForeignKeyField(Agreement, unique=True, on_delete='CASCADE')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'network_life_action_plan'

    class PlanVersion(Model):
        plan = ForeignKeyField(ActionPlan, on_delete='CASCADE')
        number = IntegerField()
        state = CharField(max_length=20, index=True)
        first_year = IntegerField()
        last_year = IntegerField()
        summary = TextField(default='')
        created_at = DateTimeField()
        created_by = CharField(max_length=200, default='')
        submitted_at = DateTimeField(null=True)
        submitted_by = CharField(max_length=200, default='')
        feedback = TextField(default='')
        feedback_at = DateTimeField(null=True)
        feedback_by = CharField(max_length=200, default='')
        approved_at = DateTimeField(null=True)
        approved_by = CharField(max_length=200, default='')
        superseded_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'network_life_plan_version'
            indexes = ((('plan', 'number'), True),)

    class PlanGoal(Model):
        version = ForeignKeyField(PlanVersion, on_delete='CASCADE')
        key = CharField(max_length=16)
        focus_area = IntegerField()
        title = CharField(max_length=200)
        description = TextField(default='')
        position = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'network_life_plan_goal'
            indexes = ((('version', 'key'), True),)

    class PlanIndicator(Model):
        goal = ForeignKeyField(PlanGoal, on_delete='CASCADE')
        key = CharField(max_length=16)
        what = CharField(max_length=200)
        unit = CharField(max_length=60, default='')
        direction = CharField(max_length=10, default='increase')
        baseline = IntegerField(null=True)
        position = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'network_life_plan_indicator'

    class PlanTarget(Model):
        indicator = ForeignKeyField(PlanIndicator, on_delete='CASCADE')
        year = IntegerField()
        value = IntegerField()
        class Meta:
            database = db
            table_name = 'network_life_plan_target'
            indexes = ((('indicator', 'year'), True),)

    class Meeting(Model):
        programme = ForeignKeyField(Programme, on_delete='CASCADE')
        organisation = ForeignKeyField(Organisation, null=True, on_delete='CASCADE')
        kind = CharField(max_length=30, index=True)
        title = CharField(max_length=200)
        starts_at = DateTimeField(index=True)
        ends_at = DateTimeField()
        mode = CharField(max_length=20, default='in_person')
        place = CharField(max_length=300, default='')
        online_url = CharField(max_length=500, default='')
        capacity = IntegerField(null=True)
        agenda = TextField(default='')
        status = CharField(max_length=20, default='scheduled')
        uid = CharField(max_length=120, unique=True)
        sequence = IntegerField(default=0)
        organiser = ForeignKeyField(Account, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        updated_at = DateTimeField()
        cancelled_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'network_life_meeting'

    class MeetingInvitation(Model):
        meeting = ForeignKeyField(Meeting, on_delete='CASCADE')
        account = ForeignKeyField(Account, null=True, on_delete='SET NULL')
        organisation = ForeignKeyField(Organisation, null=True, on_delete='CASCADE')
        name = CharField(max_length=200, default='')
        email = CharField(max_length=254)
        response = CharField(max_length=10, default='none')
        responded_at = DateTimeField(null=True)
        attended = BooleanField(null=True)
        checked_in_at = DateTimeField(null=True)
        sent_sequence = IntegerField(default=-1)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'network_life_meeting_invitation'
            indexes = ((('meeting', 'email'), True),)

    class MeetingMinutes(Model):
        meeting = ForeignKeyField(Meeting, unique=True, on_delete='CASCADE')
        summary = TextField(default='')
        decisions = TextField(default='')
        written_by = CharField(max_length=200, default='')
        written_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'network_life_meeting_minutes'

    class MeetingFollowUp(Model):
        meeting = ForeignKeyField(Meeting, on_delete='CASCADE')
        text = CharField(max_length=500)
        owner = ForeignKeyField(Account, null=True, on_delete='SET NULL')
        owner_name = CharField(max_length=200, default='')
        due_on = DateField(null=True)
        done_at = DateTimeField(null=True)
        position = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'network_life_meeting_follow_up'

    class MeetingPresence(Model):
        meeting = ForeignKeyField(Meeting, on_delete='CASCADE')
        organisation = ForeignKeyField(Organisation, on_delete='CASCADE')
        class Meta:
            database = db
            table_name = 'network_life_meeting_presence'
            indexes = ((('meeting', 'organisation'), True),)

    class PlanStatus(Model):
        plan = ForeignKeyField(ActionPlan, on_delete='CASCADE')
        focus_area = IntegerField()
        goal_key = CharField(max_length=16, default='')
        year = IntegerField()
        progress = CharField(max_length=20)
        note = TextField(default='')
        meeting = ForeignKeyField(Meeting, null=True, on_delete='SET NULL')
        recorded_at = DateTimeField()
        recorded_by = CharField(max_length=200, default='')
        class Meta:
            database = db
            table_name = 'network_life_plan_status'
            indexes = ((('plan', 'focus_area'), False),)

    class CalendarFeed(Model):
        account = ForeignKeyField(Account, unique=True, on_delete='CASCADE')
        salt = CharField(max_length=64)
        created_at = DateTimeField()
        reset_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'network_life_calendar_feed'

    db.create_tables([ActionPlan, PlanVersion, PlanGoal, PlanIndicator, PlanTarget, Meeting, MeetingInvitation,
                      MeetingMinutes, MeetingFollowUp, MeetingPresence, PlanStatus, CalendarFeed])
    db.execute_sql('CREATE INDEX network_life_meeting_programme_starts ON network_life_meeting (programme_id, starts_at)')
    db.execute_sql('CREATE INDEX network_life_meeting_organisation_starts ON network_life_meeting (organisation_id, starts_at)')


def down(migrator, db):
    for table in ('network_life_calendar_feed', 'network_life_plan_status', 'network_life_meeting_presence',
                  'network_life_meeting_follow_up', 'network_life_meeting_minutes', 'network_life_meeting_invitation',
                  'network_life_meeting', 'network_life_plan_target', 'network_life_plan_indicator',
                  'network_life_plan_goal', 'network_life_plan_version', 'network_life_action_plan'):
        migrator.migrate(migrator.drop_table(table))
