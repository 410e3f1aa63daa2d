"""The rule ids of internal documents and 处置预案 (RS-15: secret.restricted_distribution,
secret.internal_plan)."""

from django.db import migrations


def add_rules(apps, schema_editor):
    """Add the RuleSetting rows of the new rule ids."""
    from govsites.screening.defaults import install_national_defaults

    install_national_defaults(
        term_model=apps.get_model("screening", "Term"),
        context_model=apps.get_model("screening", "AllowedContext"),
        domain_model=apps.get_model("screening", "AllowedDomain"),
        rule_model=apps.get_model("screening", "RuleSetting"),
    )


class Migration(migrations.Migration):

    dependencies = [
        ('screening', '0008_usage_rules_are_hints'),
    ]

    operations = [
        migrations.RunPython(add_rules, migrations.RunPython.noop),
    ]
