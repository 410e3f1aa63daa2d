"""System checks: the settings the review chain relies on."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

FINISH_ACTION = "govsites.workflow.finish.publish_reviewed_revision"


@checks.register(checks.Tags.compatibility)
def check_finish_action(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Warn when a finished review chain would publish with Wagtail's permission check."""
    if getattr(settings, "WAGTAIL_FINISH_WORKFLOW_ACTION", "") == FINISH_ACTION:
        return []
    return [checks.Warning(
        "A finished review chain publishes as its last approver, who may hold no page "
        "permissions (e.g. the government's 分管领导 on a department's item).",
        hint=f'Set WAGTAIL_FINISH_WORKFLOW_ACTION = "{FINISH_ACTION}".',
        id="govsites_workflow.W001",
    )]
