"""Admin screens of the review chain: 我的待办, findings of a step, force publication and its
report, and each site's review policy. Views parse input, call one service, render."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from wagtail.admin import messages
from wagtail.models import Page

from govsites import rules
from govsites.content.models import ContentItem
from govsites.sites.models import SiteProfile

from . import policies, routing, selectors, services
from .choices import AppliesFrom
from .exceptions import ForcePublishRefused
from .forms import ForcePublishForm, RetrospectiveApprovalForm
from .models import ForcePublication, ProofreadTask, ReviewPolicy, ReviewTaskState, RoleReviewTask


def pending_rows(pending: list[selectors.PendingReview], user: Any) -> list[dict[str, Any]]:
    """Return pending steps with the workflow actions each offers the user."""
    return [{"pending": p, "actions": p.task_state.task.specific.get_actions(p.item, user)}
            for p in pending]


def my_tasks(request: HttpRequest) -> HttpResponse:
    """我的待办: the steps waiting for me (overdue first) and the items I submitted."""
    return render(request, "workflow/my_tasks.html", {
        "pending_rows": pending_rows(selectors.pending_reviews_for(request.user), request.user),
        "submitted": selectors.submitted_items_for(request.user),
    })


def whereabouts_message(where: selectors.Whereabouts) -> str:
    """Say in one sentence where an item went after a review action."""
    from django.utils.translation import gettext as _
    from wagtail.models import WorkflowState

    if where.status == WorkflowState.STATUS_APPROVED:
        return _("审核通过。该信息已完成全部审核步骤并发布。")
    if where.status == WorkflowState.STATUS_NEEDS_CHANGES:
        return _("已退回修改，等待提交人%(who)s修改后重新提交。") % {
            "who": where.submitted_by or _("（未知）")}
    if where.status != WorkflowState.STATUS_IN_PROGRESS or not where.step_name:
        return _("操作已完成。")
    if not where.reviewers:
        return _("审核通过。该信息已转到“%(step)s”，但该步骤暂无审核人，请联系站点管理员。") % {
            "step": where.step_name}
    message = _("审核通过。该信息已转到“%(step)s”，由%(who)s办理") % {
        "step": where.step_name,
        "who": "、".join(str(getattr(u, "real_name", "") or u) for u in where.reviewers)}
    if where.due_on:
        message += _("，办理期限%(due)s") % {"due": where.due_on.isoformat()}
    return message + "。"


def after_review(request: HttpRequest, workflow_state_id: int) -> HttpResponse:
    """After approving or returning an item: say where it went, then show 我的待办."""
    from wagtail.models import WorkflowState

    state = WorkflowState.objects.filter(pk=workflow_state_id).first()
    if state is not None and selectors.took_part_in(request.user, state):
        messages.success(request, whereabouts_message(selectors.whereabouts(state)))
    return redirect("govsites_workflow:my_tasks")


def step_findings(request: HttpRequest, task_state_id: int) -> HttpResponse:
    """What screening found on a step's revision, with any reasons given for overriding."""
    state = get_object_or_404(ReviewTaskState.objects.select_related("workflow_state", "task"),
                              pk=task_state_id)
    if not policies.may_see_findings(request.user, state):
        raise PermissionDenied
    page = state.workflow_state.content_object
    return render(request, "workflow/findings.html", {
        "task_state": state, "item": page.specific if page is not None else None,
        "findings": selectors.findings_of(state),
    })


def force_publish(request: HttpRequest, page_id: int) -> HttpResponse:
    """Ask for the reason, then publish the item's latest saved revision without the chain."""
    item = get_object_or_404(Page, pk=page_id).specific
    if not isinstance(item, ContentItem):
        raise PermissionDenied
    refusal = policies.refusal_to_force_publish(request.user, item)
    if refusal:
        messages.error(request, refusal)
        return redirect("wagtailadmin_pages:edit", item.pk)
    form = ForcePublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.force_publish(item=item, reason=form.cleaned_data["reason"],
                                   acting_user=request.user)
        except ForcePublishRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"“{item.title}”已强制发布，等待事后审批。")
            return redirect("wagtailadmin_pages:edit", item.pk)
    return render(request, "workflow/force_publish.html", {
        "item": item, "form": form, "workflow_state": item.current_workflow_state,
        "latest_revision": item.get_latest_revision(),
    })


def force_publications(request: HttpRequest) -> HttpResponse:
    """The report of force publications: awaiting retrospective approval first."""
    if not policies.may_see_force_publications(request.user):
        raise PermissionDenied
    if request.method == "POST":
        record = get_object_or_404(ForcePublication, pk=request.POST.get("record"))
        form = RetrospectiveApprovalForm(request.POST)
        if form.is_valid():
            try:
                services.approve_retrospectively(record=record, acting_user=request.user,
                                                 comment=form.cleaned_data["comment"])
            except ForcePublishRefused as refused:
                messages.error(request, str(refused))
            else:
                messages.success(request, f"已事后审批“{record.item.title}”的强制发布。")
        return redirect("govsites_workflow:force_publications")
    awaiting = [(record, policies.refusal_to_approve_retrospectively(request.user, record))
                for record in selectors.force_publications_awaiting_approval()]
    return render(request, "workflow/force_publications.html", {
        "awaiting": awaiting, "approved": selectors.force_publications_approved(),
        "stalled": selectors.steps_without_reviewers(),
    })


def review_policies(request: HttpRequest) -> HttpResponse:
    """Every site's review policy, next to the national defaults."""
    if not request.user.has_perm("govsites_workflow.change_reviewpolicy"):
        raise PermissionDenied
    workflow = selectors.default_workflow()
    policies_by_site = {p.site_id: p for p in ReviewPolicy.objects.prefetch_related("steps")}
    rows = []
    for site in SiteProfile.objects.order_by("kind", "name"):
        policy = policies_by_site.get(site.pk)
        proofreading = (policy.proofreading_enabled if policy is not None
                        else rules.value("review.proofreading_enabled", site=site))
        rows.append({"site": site, "policy": policy, "proofreading": proofreading})
    return render(request, "workflow/review_policies.html", {
        "rows": rows, "workflow": workflow,
        "proofreading_default": rules.value("review.proofreading_enabled"),
        "steps": _configurable_steps(workflow),
    })


def _configurable_steps(workflow: Any) -> list[Any]:
    if workflow is None:
        return []
    return [task for task in workflow.tasks.filter(active=True).specific()
            if isinstance(task, RoleReviewTask | ProofreadTask)]


def review_policy_edit(request: HttpRequest, site_id: int) -> HttpResponse:
    """Edit one site's policy: 三校 on or off, and from which importance each step applies."""
    if not request.user.has_perm("govsites_workflow.change_reviewpolicy"):
        raise PermissionDenied
    site = get_object_or_404(SiteProfile, pk=site_id)
    workflow = selectors.default_workflow()
    steps = _configurable_steps(workflow)
    policy = ReviewPolicy.objects.filter(site=site).prefetch_related("steps").first()
    error = ""
    if request.method == "POST":
        wanted = {}
        for task in steps:
            value = request.POST.get(f"step_{task.pk}", task.applies_from)
            wanted[task.pk] = value if value in AppliesFrom.values else task.applies_from
        try:
            services.set_review_policy(site=site, acting_user=request.user,
                                       proofreading_enabled=bool(request.POST.get("proofreading")),
                                       applies_from=wanted)
        except ValidationError as invalid:
            error = "；".join(invalid.messages)
        else:
            messages.success(request, f"已保存“{site.name}”的审核策略。")
            return redirect("govsites_workflow:review_policies")
    rows = [{"task": task, "current": routing.effective_applies_from(task, policy, site=site)}
            for task in steps]
    proofreading = (policy.proofreading_enabled if policy is not None
                    else rules.value("review.proofreading_enabled", site=site))
    return render(request, "workflow/review_policy_edit.html", {
        "site": site, "policy": policy, "rows": rows, "choices": AppliesFrom.choices,
        "proofreading": proofreading,
        "error": error, "cancel_url": reverse("govsites_workflow:review_policies"),
    })
