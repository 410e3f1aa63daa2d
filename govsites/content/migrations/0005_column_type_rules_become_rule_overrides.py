"""Column-type rules move into the rule set: any administrator's edit becomes a rule override.

The values that shipped (0003) equal the rule registry's national defaults, so an untouched
installation gets no override; an edited row becomes a cluster-wide override of the matching
parameter, with a reason saying where it came from (the inspector now reads it too).
"""

from django.db import migrations, models
from django.utils import timezone

# The registry's national defaults at the time of this migration (frozen).
STALE_DEFAULTS = {"工作动态": 14, "要闻": 14, "通知公告": 183, "政策文件": 183}
OTHER_DEFAULTS = {"专题专栏": 183}
ARCHIVE_DEFAULTS = {"专题专栏": 183}
REASON = "由原“分类与规则 → 栏目类别规则”中管理员的设置迁移而来（升级时自动转换）"


def convert(apps, schema_editor):
    ColumnTypeRule = apps.get_model("content", "ColumnTypeRule")
    RuleOverride = apps.get_model("govsites_rules", "RuleOverride")
    stale, other, archive = dict(STALE_DEFAULTS), dict(OTHER_DEFAULTS), dict(ARCHIVE_DEFAULTS)
    for rule in ColumnTypeRule.objects.all():
        interval = rule.update_interval_days
        if rule.column_type in STALE_DEFAULTS:
            if interval:
                stale[rule.column_type] = interval
        elif interval:
            other[rule.column_type] = interval
        else:
            other.pop(rule.column_type, None)
        if rule.archive_after_days:
            archive[rule.column_type] = rule.archive_after_days
        else:
            archive.pop(rule.column_type, None)
    now = timezone.now()
    for key, value, default in (("column.stale.max_age_days_by_type", stale, STALE_DEFAULTS),
                                ("column.update_interval_days_by_type", other, OTHER_DEFAULTS),
                                ("column.archive_after_days_by_type", archive, ARCHIVE_DEFAULTS)):
        if value != default and not RuleOverride.objects.filter(key=key, site=None).exists():
            RuleOverride.objects.create(key=key, site=None, value=value, reason=REASON,
                                        created_at=now)


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0004_imported_item_fingerprint"),
        ("govsites_rules", "0001_variant_choices_and_overrides"),
    ]
    operations = [
        migrations.RunPython(convert, migrations.RunPython.noop),
        migrations.DeleteModel(name="ColumnTypeRule"),
        migrations.AlterField(
            model_name="columnpage",
            name="update_interval_days",
            field=models.PositiveIntegerField(
                blank=True, null=True, verbose_name="应更新周期（天）",
                help_text="留空则按栏目类别的规则（设置 → 规则：栏目不更新时限，全国默认与本市规则变体）"),
        ),
    ]
