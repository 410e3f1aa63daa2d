"""Create one Django group per platform role (the role's scope is the user's organisation)."""

from django.db import migrations

ROLE_GROUPS = ["信息员", "审核负责人", "分管领导", "主要领导", "站点管理员", "平台管理员", "监管员", "值班员"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_GROUPS:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
