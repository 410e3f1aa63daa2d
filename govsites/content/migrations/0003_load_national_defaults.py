"""Load the national default vocabularies: 主题分类 (22 classes) and column-type rules."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"

# A frozen copy of the column-type rules as they shipped (the model is removed by 0005, which
# turns any administrator's edits into rule overrides; the values now live in govsites.rules).
COLUMN_TYPE_RULES_SOURCE = (
    "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》单项否决第4项（栏目不更新）：动态、要闻类栏目2周，"
    "通知公告、政策文件类一级栏目6个月；专题专栏到期后归档为平台默认做法。其余类别无国家时限，留空由栏目负责人设定。")
COLUMN_TYPE_RULES = [
    {"column_type": "工作动态", "update_interval_days": 14, "archive_after_days": None},
    {"column_type": "通知公告", "update_interval_days": 183, "archive_after_days": None},
    {"column_type": "政策文件", "update_interval_days": 183, "archive_after_days": None},
    {"column_type": "专题专栏", "update_interval_days": 183, "archive_after_days": 183},
]


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
    for rule in COLUMN_TYPE_RULES:
        ColumnTypeRule.objects.get_or_create(
            column_type=rule["column_type"],
            defaults={"update_interval_days": rule["update_interval_days"],
                      "archive_after_days": rule["archive_after_days"],
                      "source": COLUMN_TYPE_RULES_SOURCE[:200]})


class Migration(migrations.Migration):
    dependencies = [("content", "0002_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
