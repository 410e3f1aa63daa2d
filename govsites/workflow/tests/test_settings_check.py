"""The review chain tells the operator which Wagtail setting it needs."""

from __future__ import annotations

from django.test import override_settings

from govsites.workflow.checks import FINISH_ACTION, check_finish_action


def test_check_warns_while_the_finish_action_is_wagtails_default() -> None:
    with override_settings(WAGTAIL_FINISH_WORKFLOW_ACTION="wagtail.workflows.publish_workflow_state"):
        [warning] = check_finish_action()
    assert warning.id == "govsites_workflow.W001"


def test_check_is_quiet_once_the_finish_action_is_ours() -> None:
    with override_settings(WAGTAIL_FINISH_WORKFLOW_ACTION=FINISH_ACTION):
        assert check_finish_action() == []


def test_a_site_registered_later_gets_the_review_chain_when_the_setting_is_on(settings, db,
                                                                              django_capture_on_commit_callbacks):
    from wagtail.models import WorkflowPage

    from govsites import testing
    from govsites.workflow.selectors import is_review_workflow

    settings.GOVSITES_ASSIGN_REVIEW_WORKFLOW_ON_SITE_CREATE = True
    with django_capture_on_commit_callbacks(execute=True):
        profile = testing.make_site()
    link = WorkflowPage.objects.get(page=profile.site.root_page)
    assert is_review_workflow(link.workflow)
