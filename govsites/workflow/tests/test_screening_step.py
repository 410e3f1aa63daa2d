"""The screening step: clean items pass, findings stop the item until each is overridden with
a written reason; attachments are screened through the step."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from govsites.content.models import ContentAttachment
from govsites.core.models import AuditRecord
from govsites.screening.tests.builders import make_docx, make_pdf
from govsites.workflow import selectors, services
from govsites.workflow.exceptions import ReviewRefused
from govsites.workflow.forms import ScreeningApproveForm
from govsites.workflow.models import ScreeningFinding

from .conftest import VALID_ID, act, current_state, current_step_name, draft, submit


def attach(item: Any, filename: str, data: bytes, title: str = "") -> None:
    document = get_document_model()(title=title or filename)
    document.file.save(filename, ContentFile(data), save=False)
    document.save()
    ContentAttachment.objects.create(item=item, document=document, title=title, sort_order=0)


def test_clean_item_passes_screening_by_itself(cluster: Any) -> None:
    item = draft(cluster.dept_column)
    submit(item, cluster.dept_editor)
    assert current_step_name(item) == "审核负责人审核"


def test_a_hint_is_kept_and_shown_but_does_not_hold_the_item(cluster: Any) -> None:
    """A half-width comma (CC-33, 提示 nationally) asked the reviewer for a written reason."""
    item = draft(cluster.dept_column, title="关于道路施工的通知", summary="各单位,请配合")
    submit(item, cluster.dept_editor)
    assert current_step_name(item) == "审核负责人审核"
    [hint] = ScreeningFinding.objects.filter(revision__object_id=str(item.pk))
    assert (hint.rule_id, hint.severity, hint.is_open) == ("usage.punctuation", "info", False)


def test_a_city_that_makes_the_hint_a_warning_holds_the_item_until_it_is_explained(
        cluster: Any) -> None:
    from govsites.screening.models import RuleSetting

    setting = RuleSetting.objects.get(rule_id="usage.punctuation")
    setting.severity = "warning"
    setting.save()  # as the admin saves it: the screener is rebuilt
    item = draft(cluster.dept_column, title="关于道路施工的通知", summary="各单位,请配合")
    submit(item, cluster.dept_editor)
    assert current_step_name(item) == "内容检查"
    assert [f.rule_id for f in selectors.open_findings(current_state(item))] == [
        "usage.punctuation"]


def test_finding_stops_the_item_and_lists_each_finding_with_its_place(cluster: Any) -> None:
    item = draft(cluster.dept_column, title="关于张三的情况说明",
                 body=f"<p>当事人身份证号码{VALID_ID}，已核实。</p>",
                 summary=f"摘要中也有{VALID_ID}")
    submit(item, cluster.dept_editor)

    state = current_state(item)
    assert state.task.name == "内容检查"
    findings = selectors.open_findings(state)
    places = sorted((f.rule_id, f.location, f.evidence) for f in findings)
    assert places == [("privacy.resident_id", "body", "110101********1233"),
                      ("privacy.resident_id", "summary", "110101********1233")]
    assert all(VALID_ID not in f.context for f in findings)


def test_screening_step_cannot_be_approved_while_a_finding_is_unexplained(cluster: Any) -> None:
    item = draft(cluster.dept_column, body=f"<p>身份证号{VALID_ID}</p>")
    submit(item, cluster.dept_editor)

    with pytest.raises(ReviewRefused, match="1处检查发现的问题未说明理由"):
        act(item, cluster.dept_reviewer, "approve", comment="可以发布")

    assert current_step_name(item) == "内容检查"


def test_override_without_a_reason_is_refused(cluster: Any) -> None:
    item = draft(cluster.dept_column, body=f"<p>身份证号{VALID_ID}</p>")
    submit(item, cluster.dept_editor)
    finding = selectors.open_findings(current_state(item))[0]

    with pytest.raises(ReviewRefused, match="逐条填写理由"):
        act(item, cluster.dept_reviewer, "approve", **{f"override_{finding.pk}": "   "})

    finding.refresh_from_db()
    assert finding.is_open
    assert not AuditRecord.objects.filter(action="workflow.screening.override").exists()


def test_override_with_a_reason_is_kept_and_lets_the_item_go_on(cluster: Any) -> None:
    item = draft(cluster.dept_column, body=f"<p>身份证号{VALID_ID}</p>")
    submit(item, cluster.dept_editor)
    finding = selectors.open_findings(current_state(item))[0]

    act(item, cluster.dept_reviewer, "approve",
        **{f"override_{finding.pk}": "号码为示例数据，非真实个人信息"})

    finding.refresh_from_db()
    assert finding.overridden_by == cluster.dept_reviewer
    assert finding.override_reason == "号码为示例数据，非真实个人信息"
    assert finding.overridden_at is not None
    assert current_step_name(item) == "审核负责人审核"
    record = AuditRecord.objects.get(action="workflow.screening.override")
    assert record.details["findings"][0]["reason"] == "号码为示例数据，非真实个人信息"


def test_modal_form_asks_for_a_reason_for_every_open_finding(cluster: Any) -> None:
    item = draft(cluster.dept_column, body=f"<p>{VALID_ID}</p>", summary=f"{VALID_ID}")
    submit(item, cluster.dept_editor)
    state = current_state(item)
    first, second = selectors.open_findings(state)

    partial = ScreeningApproveForm({"task_state_id": state.pk,
                                    f"override_{first.pk}": "理由一",
                                    f"override_{second.pk}": ""})
    complete = ScreeningApproveForm({"task_state_id": state.pk,
                                     f"override_{first.pk}": "理由一",
                                     f"override_{second.pk}": "理由二"})

    assert not partial.is_valid()
    assert f"override_{second.pk}" in partial.errors
    assert complete.is_valid()


def test_pdf_attachment_with_an_id_number_stops_the_item(cluster: Any) -> None:
    item = draft(cluster.dept_column)
    attach(item, "名单.pdf", make_pdf([["第一页没有问题"], [f"身份证号：{VALID_ID}"]]),
           title="获奖名单")
    submit(item, cluster.dept_editor)

    state = current_state(item)
    assert state.task.name == "内容检查"
    [finding] = selectors.open_findings(state)
    assert finding.rule_id == "privacy.resident_id"
    assert finding.location == "attachment:获奖名单#page=2"
    assert state.screening_runs.get().attachments_scanned == 1


def test_docx_attachment_with_an_id_number_stops_the_item(cluster: Any) -> None:
    item = draft(cluster.dept_column)
    attach(item, "通知.docx", make_docx(["各单位：", f"联系人身份证{VALID_ID}"]))
    submit(item, cluster.dept_editor)

    [finding] = selectors.open_findings(current_state(item))
    assert finding.location.startswith("attachment:通知.docx")
    assert finding.evidence == "110101********1233"


def test_clean_attachment_does_not_stop_the_item(cluster: Any) -> None:
    item = draft(cluster.dept_column)
    attach(item, "通知.pdf", make_pdf([["请各单位按时报送材料。"]]))
    submit(item, cluster.dept_editor)
    assert current_step_name(item) == "审核负责人审核"


def test_unchanged_finding_keeps_its_override_after_an_edit(cluster: Any) -> None:
    item = draft(cluster.dept_column, body=f"<p>身份证号{VALID_ID}</p>")
    submit(item, cluster.dept_editor)
    finding = selectors.open_findings(current_state(item))[0]
    act(item, cluster.dept_reviewer, "approve", **{f"override_{finding.pk}": "公开的联系人"})
    latest = item.get_latest_revision().as_object()
    latest.summary = "补充摘要"
    latest.save_revision(user=cluster.dept_reviewer)

    act(item, cluster.dept_reviewer)  # approving the old revision sends it back through screening

    carried = ScreeningFinding.objects.exclude(pk=finding.pk).get()
    assert carried.override_carried_from == finding
    assert carried.override_reason == "公开的联系人"
    assert current_step_name(item) == "审核负责人审核"


def test_new_finding_after_an_edit_stops_the_item_again(cluster: Any) -> None:
    item = draft(cluster.dept_column)
    submit(item, cluster.dept_editor)
    latest = item.get_latest_revision().as_object()
    latest.body = f"<p>新增身份证号{VALID_ID}</p>"
    latest.save_revision(user=cluster.dept_reviewer)

    act(item, cluster.dept_reviewer)

    assert current_step_name(item) == "内容检查"
    assert len(selectors.open_findings(current_state(item))) == 1


def test_override_refused_on_a_step_that_is_not_screening(cluster: Any) -> None:
    item = draft(cluster.dept_column)
    submit(item, cluster.dept_editor)
    with pytest.raises(ReviewRefused, match="只有内容检查步骤"):
        services.override_findings(task_state=current_state(item), reasons={1: "理由"},
                                   acting_user=cluster.dept_reviewer)


def test_attachment_missing_from_storage_stops_the_item(cluster: Any) -> None:
    item = draft(cluster.dept_column)
    attach(item, "通知.pdf", make_pdf([["请按时报送。"]]))
    document = item.attachments.get().document
    document.file.storage.delete(document.file.name)
    submit(item, cluster.dept_editor)

    [finding] = selectors.open_findings(current_state(item))
    assert finding.rule_id == "attachment.unreadable"
    assert finding.location == "attachment:通知.pdf"
