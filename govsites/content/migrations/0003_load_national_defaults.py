"""Load the national default vocabularies: 主题分类 (22 classes) and column-type rules."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def load(apps, schema_editor):
    Topic = apps.get_model("content", "Topic")
    ColumnTypeRule = apps.get_model("content", "ColumnTypeRule")
    topics = json.loads((DATA / "topics.json").read_text(encoding="utf-8"))
    for order, top in enumerate(topics["topics"]):
        parent, _ = Topic.objects.get_or_create(
            code=top["code"], defaults={"name": top["name"], "sort_order": order})
        for sub_order, child in enumerate(top["children"]):
            Topic.objects.get_or_create(
                code=child["code"],
                defaults={"name": child["name"], "parent": parent, "sort_order": sub_order})
    rules = json.loads((DATA / "column_type_rules.json").read_text(encoding="utf-8"))
    for rule in rules["rules"]:
        ColumnTypeRule.objects.get_or_create(
            column_type=rule["column_type"],
            defaults={"update_interval_days": rule["update_interval_days"],
                      "archive_after_days": rule["archive_after_days"],
                      "source": rules["source"][:200]})


class Migration(migrations.Migration):
    dependencies = [("content", "0002_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
