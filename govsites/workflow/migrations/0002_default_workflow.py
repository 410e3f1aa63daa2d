"""Create the national default review workflow (三审三校) and give it to every existing site.

Sites created later get it from `govsites.workflow.services.ensure_default_workflow`.
The steps are a frozen copy of `govsites/workflow/defaults.py` at the time of writing.
"""

from django.db import migrations

NAME = "三审三校"
STEPS = [
    ("screeningtask", "内容检查",
     {"role": "reviewer", "scope": "organisation", "applies_from": "normal",
      "deadline_working_days": 1}),
    ("proofreadtask", "一校",
     {"role": "editor", "scope": "organisation", "applies_from": "normal",
      "deadline_working_days": 1, "pass_number": 1}),
    ("proofreadtask", "二校",
     {"role": "reviewer", "scope": "organisation", "applies_from": "normal",
      "deadline_working_days": 1, "pass_number": 2}),
    ("proofreadtask", "三校",
     {"role": "deputy_head", "scope": "organisation", "applies_from": "normal",
      "deadline_working_days": 1, "pass_number": 3}),
    ("rolereviewtask", "审核负责人审核",
     {"role": "reviewer", "scope": "organisation", "applies_from": "normal",
      "deadline_working_days": 2}),
    ("rolereviewtask", "分管领导审核",
     {"role": "deputy_head", "scope": "organisation", "applies_from": "normal",
      "deadline_working_days": 2}),
    ("rolereviewtask", "本级政府分管领导审核",
     {"role": "deputy_head", "scope": "government", "applies_from": "major",
      "deadline_working_days": 2}),
    ("rolereviewtask", "本级政府主要领导审核",
     {"role": "head", "scope": "government", "applies_from": "critical",
      "deadline_working_days": 3}),
]
MODELS = {"screeningtask": "ScreeningTask", "proofreadtask": "ProofreadTask",
          "rolereviewtask": "RoleReviewTask"}


def create_default_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    SiteHomePage = apps.get_model("content", "SiteHomePage")
    if Workflow.objects.filter(name=NAME).exists():
        return
    workflow = Workflow.objects.create(name=NAME, active=True)
    for order, (model_name, name, fields) in enumerate(STEPS):
        content_type, _ = ContentType.objects.get_or_create(app_label="govsites_workflow",
                                                            model=model_name)
        model = apps.get_model("govsites_workflow", MODELS[model_name])
        task = model.objects.create(name=name, active=True, content_type=content_type, **fields)
        WorkflowTask.objects.create(workflow=workflow, task_id=task.pk, sort_order=order)
    for home_id in SiteHomePage.objects.values_list("pk", flat=True):
        WorkflowPage.objects.update_or_create(page_id=home_id, defaults={"workflow": workflow})


def remove_default_workflow(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    for workflow in Workflow.objects.filter(name=NAME):
        task_ids = list(workflow.workflow_tasks.values_list("task_id", flat=True))
        workflow.delete()
        Task.objects.filter(pk__in=task_ids).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("govsites_workflow", "0001_initial"),
        ("content", "0003_load_national_defaults"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_default_workflow, remove_default_workflow)]
