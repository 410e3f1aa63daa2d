"""Our Wagtail task types: content screening, role review (三审) and proofreading (三校).

One workflow definition serves every department: a step names a role and a scope, and its
reviewers are found at run time from the organisation that owns the item. A step also says
from which importance it applies, so 一般 / 重大 / 特级 items take different paths through
the same workflow; sites may change that per step (ReviewPolicy).

The behaviour lives in `routing.py` (which steps apply), `policies.py` (who may act) and
`services.py` (what a step does, recorded); these classes connect Wagtail's task interface.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from wagtail.models import Task, TaskState

from govsites.accounts.roles import Role

from ..choices import AppliesFrom, ReviewerScope

#: Form fields named override_<finding id> carry the reason for overriding that finding.
OVERRIDE_PREFIX = "override_"


class ReviewTaskState(TaskState):
    """A step's state on one revision, with the reviewers' scope fixed when the step started."""

    role = models.CharField(_("审核角色"), max_length=20, choices=Role.choices, blank=True)
    organisation = models.ForeignKey(
        "govsites_sites.Organisation", verbose_name=_("审核单位"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("办理期限"), null=True, blank=True,
                              help_text=_("按工作日计算；节假日数据缺失时为空"))
    secrecy_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("保密审查人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+")
    secrecy_confirmed_at = models.DateTimeField(_("保密审查时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("审核步骤状态")
        verbose_name_plural = _("审核步骤状态")


class ReviewTaskBase(Task):
    """What every step of ours has: reviewer role and scope, importance threshold, deadline."""

    role = models.CharField(_("审核角色"), max_length=20, choices=Role.choices,
                            default=Role.REVIEWER)
    scope = models.CharField(_("审核人范围"), max_length=20, choices=ReviewerScope.choices,
                             default=ReviewerScope.ORGANISATION)
    applies_from = models.CharField(
        _("适用范围"), max_length=10, choices=AppliesFrom.choices, default=AppliesFrom.NORMAL,
        help_text=_("全国默认值；各网站可在审核策略中改变"))
    deadline_working_days = models.PositiveSmallIntegerField(
        _("办理时限（工作日）"), default=2,
        help_text=_("规则集按步骤名称规定时限的，以规则集为准"))
    secrecy_review = models.BooleanField(
        _("保密审查"), default=False,
        help_text=_("通过时审核人须确认已进行保密审查（不涉及国家秘密，可以公开）"))

    admin_form_fields = [*Task.admin_form_fields, "role", "scope", "applies_from",
                         "deadline_working_days", "secrecy_review"]
    task_state_class = ReviewTaskState

    class Meta:
        abstract = True

    # Wagtail's task interface: services decide and record, policies say who may act ---------

    def start(self, workflow_state: Any, user: Any = None) -> Any:
        from ..services import start_review_step

        return start_review_step(task=self, workflow_state=workflow_state, acting_user=user)

    def on_action(self, task_state: Any, user: Any, action_name: str, **kwargs: Any) -> Any:
        from .. import services
        from ..exceptions import ReviewRefused

        comment = str(kwargs.get("comment") or "")
        with transaction.atomic():
            if action_name == "approve":
                reasons = {int(key.removeprefix(OVERRIDE_PREFIX)): str(value or "")
                           for key, value in kwargs.items()
                           if key.startswith(OVERRIDE_PREFIX)
                           and key.removeprefix(OVERRIDE_PREFIX).isdigit()}
                if reasons:
                    services.override_findings(task_state=task_state, reasons=reasons,
                                               acting_user=user)
                services.approve_task(task_state=task_state, acting_user=user, comment=comment,
                                      secrecy_confirmed=bool(kwargs.get("secrecy_confirmed")))
            elif action_name == "reject":
                services.reject_task(task_state=task_state, acting_user=user, comment=comment)
            else:
                raise ReviewRefused(str(_("未知的审核操作。")))
        from django.urls import reverse

        # Wagtail goes where this returns: a page that says where the item went (next step,
        # who holds it), then 我的待办.
        return reverse("govsites_workflow:after_review", args=[task_state.workflow_state_id])

    def get_actions(self, obj: Any, user: Any) -> list[tuple[str, str, bool]]:
        from ..policies import actions_for

        return actions_for(self, obj, user)

    def user_can_access_editor(self, obj: Any, user: Any) -> bool:
        from ..policies import can_act_as_reviewer

        return can_act_as_reviewer(self, obj, user)

    def locked_for_user(self, obj: Any, user: Any) -> bool:
        from ..policies import can_act_as_reviewer

        return not can_act_as_reviewer(self, obj, user)

    def user_can_lock(self, obj: Any, user: Any) -> bool:
        from ..policies import can_act_as_reviewer

        return can_act_as_reviewer(self, obj, user)

    def get_form_for_action(self, action: str) -> Any:
        from .. import forms

        if action == "reject":
            return forms.RejectForm
        if isinstance(self, ScreeningTask):
            return forms.ScreeningApproveForm
        if self.secrecy_review:
            return forms.SecrecyApproveForm
        return forms.ApproveForm

    def get_template_for_action(self, action: str) -> str:
        if action == "approve" and isinstance(self, ScreeningTask):
            return "workflow/modals/approve_screening.html"
        return "workflow/modals/review_action.html"

    def get_task_states_user_can_moderate(self, user: Any, **kwargs: Any) -> Any:
        from ..selectors import reviewable_task_state_ids

        return TaskState.objects.filter(pk__in=reviewable_task_state_ids(user, task=self))


class ScreeningTask(ReviewTaskBase):
    """内容检查: screen the revision and its attachments; clean items pass on by themselves.

    Findings stop the item. Its reviewers may approve only by overriding every finding with a
    written reason, which is kept on the finding.
    """

    class Meta:
        verbose_name = _("内容检查")
        verbose_name_plural = _("内容检查")

    @classmethod
    def get_description(cls) -> str:
        return str(_("自动检查标题、正文、其他文字和附件；无问题自动通过，"
                     "有问题须审核人逐条说明理由后方可通过"))


class RoleReviewTask(ReviewTaskBase):
    """审核: approval by holders of a role in the owning body or in its 人民政府 (三审)."""

    class Meta:
        verbose_name = _("角色审核")
        verbose_name_plural = _("角色审核")

    @classmethod
    def get_description(cls) -> str:
        return str(_("由信息责任单位（或其所属人民政府）中具有该角色的人员审核；"
                     "提交人不能审核自己提交的信息"))


class ProofreadTask(ReviewTaskBase):
    """校对 (三校): a proofreading pass; applies only where the site has proofreading on."""

    pass_number = models.PositiveSmallIntegerField(
        _("校次"), choices=[(1, _("一校")), (2, _("二校")), (3, _("三校"))], default=1)

    admin_form_fields = [*ReviewTaskBase.admin_form_fields, "pass_number"]

    class Meta:
        verbose_name = _("校对")
        verbose_name_plural = _("校对")

    @classmethod
    def get_description(cls) -> str:
        return str(_("三校中的一次校对；仅在网站审核策略启用校对时生效"))


class ReviewAssignment(models.Model):
    """A named reviewer added to one pending step (e.g. when a reviewer leaves their post)."""

    task_state = models.ForeignKey(ReviewTaskState, on_delete=models.CASCADE,
                                   related_name="assignments", verbose_name=_("审核步骤"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="review_assignments", verbose_name=_("审核人"))
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("转交人"))
    assigned_at = models.DateTimeField(_("转交时间"), auto_now_add=True)
    reason = models.CharField(_("原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("指定审核人")
        verbose_name_plural = _("指定审核人")
        constraints = [models.UniqueConstraint(fields=["task_state", "user"],
                                               name="review_assignment_state_user")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.task_state_id}"
