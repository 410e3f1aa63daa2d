"""The admin-editable dictionary: national defaults, cache invalidation, validation, admin."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from govsites.screening.models import AllowedContext, AllowedDomain, RuleSetting, Term
from govsites.screening.rules import national_rules, national_term_entries
from govsites.screening.selectors import category_severity, default_screener
from govsites.screening.services import load_national_defaults
from govsites.screening.types import Category, Severity

pytestmark = pytest.mark.django_db

INJECTED = (
    "《澳门梦想之城:政府网站和政务新媒体管理办法》已经市政府同意，现印发给你们，请认真贯彻执行。"
)


def test_migration_loads_every_national_default() -> None:
    assert Term.objects.filter(is_national_default=True).count() == len(national_term_entries())
    assert Term.objects.filter(text="澳门梦想之城", category="gambling").exists()
    assert AllowedDomain.objects.filter(domain="gov.cn", include_subdomains=True).exists()
    assert AllowedContext.objects.filter(phrase="打击赌博网站").exists()
    assert set(RuleSetting.objects.values_list("rule_id", flat=True)) == set(national_rules())


def test_default_screener_from_the_database_catches_the_dandong_injection() -> None:
    findings = default_screener().scan_text(INJECTED, location="body")
    assert [(f.rule_id, f.evidence, f.severity) for f in findings] == [
        ("term.gambling", "澳门梦想之城", Severity.VETO)
    ]


def test_default_screener_is_reused_until_the_dictionary_changes() -> None:
    first = default_screener()
    assert default_screener() is first
    Term.objects.create(text="示例违规词", category="advertising")
    second = default_screener()
    assert second is not first
    assert [f.evidence for f in second.scan_text("出现示例违规词", location="t")] == ["示例违规词"]


def test_disabling_or_deleting_a_term_removes_it_from_the_screener() -> None:
    term = Term.objects.get(text="澳门梦想之城")
    term.enabled = False
    term.save()
    assert default_screener().scan_text(INJECTED, location="body") == []
    term.enabled = True
    term.save()
    assert len(default_screener().scan_text(INJECTED, location="body")) == 1
    term.delete()
    assert default_screener().scan_text(INJECTED, location="body") == []


def test_allowed_context_added_in_the_admin_suppresses_the_term() -> None:
    text = "严禁澳门梦想之城类网站"
    assert len(default_screener().scan_text(text, location="t")) == 1
    AllowedContext.objects.create(phrase="严禁澳门梦想之城", category="gambling")
    assert default_screener().scan_text(text, location="t") == []


def test_allowed_domain_added_in_the_admin_stops_the_link_finding() -> None:
    html = '<a href="https://www.example-bank.com.cn/pay">缴费</a>'
    assert [f.rule_id for f in default_screener().scan_html(html, location="b")] == [
        "link.commercial"
    ]
    domain = AllowedDomain(domain="*.example-bank.com.cn", include_subdomains=False)
    domain.full_clean()
    domain.save()
    assert domain.domain == "example-bank.com.cn"
    assert domain.include_subdomains is True
    assert default_screener().scan_html(html, location="b") == []


def test_rule_setting_changes_severity_and_can_switch_a_rule_off() -> None:
    RuleSetting.objects.filter(rule_id="privacy.mobile").update(severity="serious")
    # update() bypasses signals; a save through the admin or the model bumps the version.
    setting = RuleSetting.objects.get(rule_id="term.gambling")
    setting.severity = "serious"
    setting.save()
    screener = default_screener()
    (finding,) = screener.scan_text(INJECTED, location="body")
    assert finding.severity == Severity.SERIOUS
    assert category_severity(Category.GAMBLING) == Severity.SERIOUS
    assert [f.severity for f in screener.scan_text("手机13812345678", location="t")] == [
        Severity.SERIOUS
    ]
    setting.enabled = False
    setting.save()
    assert default_screener().scan_text(INJECTED, location="body") == []


def test_term_severity_overrides_the_category_rule() -> None:
    term = Term.objects.get(text="澳门梦想之城")
    term.severity = "warning"
    term.save()
    (finding,) = default_screener().scan_text(INJECTED, location="body")
    assert finding.severity == Severity.WARNING


def test_single_character_terms_and_contexts_are_refused() -> None:
    with pytest.raises(ValidationError):
        Term(text=" 赌 ", category="gambling").full_clean()
    with pytest.raises(ValidationError):
        AllowedContext(phrase="禁").full_clean()
    Term(text="网络赌场", category="gambling").full_clean()


def test_unknown_rule_ids_are_refused_and_categories_follow_the_rule() -> None:
    with pytest.raises(ValidationError):
        RuleSetting(rule_id="term.unknown", category="gambling", severity="veto").full_clean()
    setting = RuleSetting.objects.get(rule_id="privacy.bank_card")
    setting.category = "gambling"
    setting.full_clean()
    assert setting.category == "privacy"


def test_loading_national_defaults_again_keeps_local_edits_and_restores_deleted_rows() -> None:
    Term.objects.filter(text="台湾政府").update(suggestion="本地修改")
    Term.objects.filter(text="北朝鲜").delete()
    report = load_national_defaults()
    assert report.terms == 1
    assert Term.objects.get(text="台湾政府").suggestion == "本地修改"
    assert Term.objects.get(text="北朝鲜").suggestion == "朝鲜"


def test_load_defaults_command_reports_what_it_added() -> None:
    AllowedDomain.objects.filter(domain="people.com.cn").delete()
    from io import StringIO

    out = StringIO()
    call_command("screening_load_defaults", stdout=out)
    assert "domains +1" in out.getvalue()


def test_admin_lists_the_dictionary_for_a_superuser(client: Any, django_user_model: Any) -> None:
    user = django_user_model.objects.create_superuser(
        username="admin", password="pw-123456-Strong!", email="admin@example.gov.cn",
    )
    from govsites.testing import login_verified

    login_verified(client, user)  # administrators pass two-factor before the admin opens
    for name in ("screening_terms", "screening_contexts", "screening_domains",
                 "screening_rules"):
        response = client.get(f"/admin/{name}/")
        assert response.status_code == 200, name
    response = client.get("/admin/screening_terms/?q=澳门梦想之城")
    assert "澳门梦想之城" in response.content.decode()


# -- one screener for every caller ---------------------------------------------------------

def test_current_screener_is_the_cached_screener_callers_already_use() -> None:
    from govsites.screening.selectors import current_screener

    assert current_screener() is default_screener()
    assert current_screener() is current_screener()


def test_a_term_added_in_the_admin_is_found_disguised_too() -> None:
    from govsites.screening.selectors import current_screener

    Term.objects.create(text="示例违规词语", category="gambling")
    findings = current_screener().scan_text("点击 示 例 违 规 词 语 注册", location="t")
    assert [(f.extra["term"], f.evidence) for f in findings] == [
        ("示例违规词语", "示 例 违 规 词 语")]


def test_a_worker_process_handed_the_screener_uses_the_admins_dictionary() -> None:
    import pickle

    from govsites.screening.selectors import current_ruleset, current_screener

    Term.objects.create(text="示例违规词语", category="advertising")
    AllowedContext.objects.create(phrase="举报示例违规词语", category="advertising")
    payload = pickle.dumps(current_screener())
    worker_copy = pickle.loads(payload)  # what a worker gets: the rules, compiled afresh
    assert worker_copy is not current_screener()
    assert worker_copy.ruleset == current_ruleset()
    assert [f.evidence for f in worker_copy.scan_text("出现示例违规词语", location="t")] == [
        "示例违规词语"]
    assert worker_copy.scan_text("请举报示例违规词语", location="t") == []


def test_an_unmigrated_database_gives_a_clear_error_not_a_raw_one(monkeypatch: Any) -> None:
    from django.db import OperationalError

    from govsites.screening import selectors

    def missing() -> str:
        raise OperationalError("no such table: screening_rulesetversion")

    monkeypatch.setattr(selectors, "ruleset_version_token", missing)
    with pytest.raises(selectors.DictionaryUnavailable, match="govsites migrate"):
        selectors.current_screener()
