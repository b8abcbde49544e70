"""Who granted each role, and who confirmed it (issue 7, security item 2).

``role_assignment.granted_by`` is the account whose invitation made the assignment (empty for
the command line and the demo data: an operator's act), ``confirmed_by`` the second person who
confirmed it when the role-granting table (``core.auth.role_grants``) asks for one. Both
restrict deleting the account they name: a chain of grants cannot be laundered by deleting
the account in the middle of it.
Invitations get the same: ``needs_confirmation`` while a second person has yet to confirm,
``confirmed_by`` and ``confirmed_at`` once they have (only then is the mail sent).
"""
from peewee import *


def up(migrator, db):
    class Account(Model):
        class Meta:
            database = db
            table_name = 'account'

    migrator.migrate(
        migrator.add_column('role_assignment', 'granted_by_id',
                            ForeignKeyField(Account, null=True, on_delete='RESTRICT', field=Account.id)),
        migrator.add_column('role_assignment', 'confirmed_by_id',
                            ForeignKeyField(Account, null=True, on_delete='RESTRICT', field=Account.id)),
        migrator.add_column('invitation', 'needs_confirmation', BooleanField(default=False)),
        migrator.add_column('invitation', 'confirmed_by_id',
                            ForeignKeyField(Account, null=True, on_delete='SET NULL', field=Account.id)),
        migrator.add_column('invitation', 'confirmed_at', DateTimeField(null=True)),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column('invitation', 'confirmed_at'),
        migrator.drop_column('invitation', 'confirmed_by_id'),
        migrator.drop_column('invitation', 'needs_confirmation'),
        migrator.drop_column('role_assignment', 'confirmed_by_id'),
        migrator.drop_column('role_assignment', 'granted_by_id'),
    )
