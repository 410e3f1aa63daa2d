"""New categories and rule ids: 密级 markings (RS-10), hidden links and unsafe markup."""

from django.db import migrations, models


def add_rules(apps, schema_editor):
    """Add the RuleSetting rows of the new rule ids (密级 markings, hidden and unsafe markup)."""
    from govsites.screening.defaults import install_national_defaults

    install_national_defaults(
        term_model=apps.get_model("screening", "Term"),
        context_model=apps.get_model("screening", "AllowedContext"),
        domain_model=apps.get_model("screening", "AllowedDomain"),
        rule_model=apps.get_model("screening", "RuleSetting"),
    )


class Migration(migrations.Migration):

    dependencies = [
        ('screening', '0002_national_defaults'),
    ]

    operations = [
        migrations.AlterField(
            model_name='rulesetting',
            name='category',
            field=models.CharField(choices=[('political', '政治'), ('pornography', '色情'), ('gambling', '赌博'), ('violence', '暴力'), ('advertising', '广告'), ('expression_error', '严重表述错误'), ('privacy', '个人信息'), ('commercial_link', '商业链接'), ('unscreened', '无法检查'), ('state_secret', '涉密标志'), ('hidden_content', '隐藏内容'), ('unsafe_markup', '危险代码')], max_length=32, verbose_name='类别'),
        ),
        migrations.RunPython(add_rules, migrations.RunPython.noop),
    ]
