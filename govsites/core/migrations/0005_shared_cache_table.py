"""The table of Django's database cache, which the installation's processes share when there
is no Redis (settings/base.py CACHES: the embedded mode, `make run`).

Made here rather than by `createcachetable`, so that every database `migrate` prepares has it
(a fresh clone, a restored backup, the test databases), whatever the cache settings of the
process that migrates. Its columns are those `createcachetable` makes.
"""

from django.db import migrations

TABLE = "govsites_cache"


def create(apps, schema_editor):
    from django.core.management.commands.createcachetable import Command

    command = Command()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("core", "0004_audit_outbox")]

    operations = [migrations.RunPython(create, drop)]
