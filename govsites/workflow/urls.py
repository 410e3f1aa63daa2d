"""Admin URLs of the review chain (mounted under /admin/workflow/ by wagtail_hooks)."""

from django.urls import path

from . import admin_views

app_name = "govsites_workflow"

urlpatterns = [
    path("mine/", admin_views.my_tasks, name="my_tasks"),
    path("after/<int:workflow_state_id>/", admin_views.after_review, name="after_review"),
    path("findings/<int:task_state_id>/", admin_views.step_findings, name="findings"),
    path("force-publish/<int:page_id>/", admin_views.force_publish, name="force_publish"),
    path("force-publications/", admin_views.force_publications, name="force_publications"),
    path("policies/", admin_views.review_policies, name="review_policies"),
    path("policies/<int:site_id>/", admin_views.review_policy_edit, name="review_policy_edit"),
]
