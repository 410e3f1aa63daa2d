from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "govsites.workflow"
    label = "govsites_workflow"
    verbose_name = "审核流程"
