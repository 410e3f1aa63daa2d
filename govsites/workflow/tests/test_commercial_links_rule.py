"""CC-29: a link to a commercial website stops the item at the screening step. Nationally the
reviewer may keep it with a written reason; under 丹东 2019 (第28条: 不得链接商业网站) the
reason is refused and the link must go."""

from __future__ import annotations

from typing import Any

import pytest

from govsites.core.models import AuditRecord
from govsites.rules import services as rule_services
from govsites.workflow import selectors
from govsites.workflow.exceptions import ReviewRefused

from .conftest import act, current_state, current_step_name, draft, submit

pytestmark = pytest.mark.django_db
BODY = '<p>详见<a href="https://www.taobao.com/shop/1">网店</a>。</p>'
REASON = "该链接为合作单位指定的报名入口"


def _held_on_a_commercial_link(cluster: Any) -> tuple[Any, Any]:
    item = draft(cluster.dept_column, title="报名通知", body=BODY)
    submit(item, cluster.dept_editor)
    findings = selectors.open_findings(current_state(item))
    [finding] = [f for f in findings if f.category == "commercial_link"]
    return item, finding


def test_nationally_a_reviewer_may_keep_a_commercial_link_with_a_reason(cluster: Any) -> None:
    item, finding = _held_on_a_commercial_link(cluster)
    act(item, cluster.dept_reviewer, "approve", **{f"override_{finding.pk}": REASON})
    finding.refresh_from_db()
    assert finding.override_reason == REASON
    assert current_step_name(item) != "内容检查"


@pytest.mark.parametrize("scope", ["cluster", "site"])
def test_under_dandong_a_commercial_link_cannot_be_kept(cluster: Any, scope: str) -> None:
    site = cluster.department_site if scope == "site" else None
    rule_services.choose_variant(variant="dandong-2019", reason="本市施行该管理办法", site=site,
                                 acting_user=None)
    item, finding = _held_on_a_commercial_link(cluster)
    with pytest.raises(ReviewRefused, match="不得链接商业网站"):
        act(item, cluster.dept_reviewer, "approve", **{f"override_{finding.pk}": REASON})
    finding.refresh_from_db()
    assert finding.is_open
    assert current_step_name(item) == "内容检查"
    assert not AuditRecord.objects.filter(action="workflow.screening.override").exists()


def test_an_override_of_the_parameter_lifts_the_ban_for_one_site(cluster: Any) -> None:
    rule_services.choose_variant(variant="dandong-2019", reason="本市施行该管理办法", site=None,
                                 acting_user=None)
    rule_services.set_override(key="link.commercial.override_allowed", value=True,
                               reason="该站点经批准保留合作单位链接",
                               site=cluster.department_site, acting_user=None)
    item, finding = _held_on_a_commercial_link(cluster)
    act(item, cluster.dept_reviewer, "approve", **{f"override_{finding.pk}": REASON})
    assert current_step_name(item) != "内容检查"
