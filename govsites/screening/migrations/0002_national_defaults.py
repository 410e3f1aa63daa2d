"""Load the national default dictionary from govsites/screening/data/ (see data/README.md)."""

from django.db import migrations


def load(apps, schema_editor):
    from govsites.screening.defaults import install_national_defaults

    install_national_defaults(
        term_model=apps.get_model("screening", "Term"),
        context_model=apps.get_model("screening", "AllowedContext"),
        domain_model=apps.get_model("screening", "AllowedDomain"),
        rule_model=apps.get_model("screening", "RuleSetting"),
    )
    apps.get_model("screening", "RulesetVersion").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
