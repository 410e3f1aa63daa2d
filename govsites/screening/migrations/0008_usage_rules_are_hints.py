"""The language-usage checks (CC-33) are 提示 (info) nationally: shown to the reviewer, never
holding an item. Rows still at the former default (warning) move; a city's choice stays."""

from django.db import migrations

USAGE_RULES = ("usage.unit", "usage.punctuation", "usage.number")


def to_info(apps, schema_editor):
    RuleSetting = apps.get_model("screening", "RuleSetting")
    RuleSetting.objects.filter(rule_id__in=USAGE_RULES, severity="warning").update(severity="info")


def to_warning(apps, schema_editor):
    RuleSetting = apps.get_model("screening", "RuleSetting")
    RuleSetting.objects.filter(rule_id__in=USAGE_RULES, severity="info").update(severity="warning")


class Migration(migrations.Migration):

    dependencies = [
        ("screening", "0007_flag_emblem_rule"),
    ]

    operations = [
        migrations.RunPython(to_info, to_warning),
    ]
