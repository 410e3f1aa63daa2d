"""Item bodies pass the allow-list sanitiser (content/richtext.py) when stored; this sanitises
the bodies already stored, in the pages and in every revision of them (drafts and held items
are rendered from their latest revision in the admin's draft view).
"""

from django.db import migrations

import govsites.content.fields

BATCH = 500


def sanitise_stored_bodies(apps, schema_editor):
    from govsites.content.richtext import sanitise_rich_text

    ContentItem = apps.get_model("content", "ContentItem")
    changed = []
    for item in ContentItem.objects.only("pk", "body").iterator(chunk_size=BATCH):
        clean = sanitise_rich_text(item.body or "")
        if clean != item.body:
            item.body = clean
            changed.append(item)
        if len(changed) >= BATCH:
            ContentItem.objects.bulk_update(changed, ["body"])
            changed = []
    ContentItem.objects.bulk_update(changed, ["body"])

    Revision = apps.get_model("wagtailcore", "Revision")
    changed = []
    for revision in (Revision.objects.filter(content_type__app_label="content")
                     .only("pk", "content").iterator(chunk_size=BATCH)):
        content = revision.content
        body = content.get("body") if isinstance(content, dict) else None
        if not isinstance(body, str):
            continue
        clean = sanitise_rich_text(body)
        if clean != body:
            revision.content = {**content, "body": clean}
            changed.append(revision)
        if len(changed) >= BATCH:
            Revision.objects.bulk_update(changed, ["content"])
            changed = []
    Revision.objects.bulk_update(changed, ["content"])


class Migration(migrations.Migration):

    dependencies = [
        ("content", "0005_column_type_rules_become_rule_overrides"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AlterField(
            model_name="contentitem",
            name="body",
            field=govsites.content.fields.SanitisedRichTextField(blank=True, verbose_name="正文"),
        ),
        migrations.RunPython(sanitise_stored_bodies, migrations.RunPython.noop, elidable=True),
    ]
