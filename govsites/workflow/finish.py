"""What happens when a review chain finishes: publish the reviewed revision.

Wagtail's default finish action publishes as the last approver and checks that this person
may publish the page. In our chain the approvals *are* the authority to publish, and the last
approver is often a leader of another body (the 人民政府's 分管领导 for a department's 重大
item) who holds no page permissions there. So a finished review workflow publishes without the
page-permission check; any other workflow keeps Wagtail's behaviour.

Settings: WAGTAIL_FINISH_WORKFLOW_ACTION = "govsites.workflow.finish.publish_reviewed_revision"
"""

from __future__ import annotations

from typing import Any

from wagtail.workflows import publish_workflow_state


def publish_reviewed_revision(workflow_state: Any, user: Any = None) -> None:
    """Publish the latest revision of an item whose review chain has finished."""
    from .selectors import is_review_workflow

    if not is_review_workflow(workflow_state.workflow):
        publish_workflow_state(workflow_state, user=user)
        return
    revision = workflow_state.content_object.get_latest_revision()
    revision.publish(user=user, skip_permission_checks=True)
