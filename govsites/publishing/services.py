"""Writes of the publishing app that an operator starts (each audited once)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction

from govsites.core import audit

from .rebuild import RebuildResult, rebuild


def rebuild_sites(*, acting_user: Any, site_ids: list[int] | None = None, jobs: int = 1,
                  progress: Callable[[int, int], None] | None = None) -> RebuildResult:
    """Rebuild the published tree of the chosen sites (all by default) from the database."""
    result = rebuild(site_ids=site_ids, jobs=jobs, progress=progress)
    with transaction.atomic():
        audit.record(action="publishing.rebuild", actor=acting_user, details={
            "sites": result.sites, "pages": result.stats.html_pages,
            "files_written": result.stats.files_written,
            "files_removed": result.stats.files_removed,
            "seconds": round(result.seconds, 2), "errors": result.stats.errors[:20]})
    return result


def _term_table_changed() -> None:
    """The 简繁 dictionary changed: drop the cached table and rebuild every 繁体 page."""
    from .tasks import rebuild_all
    from .variants import terms_changed

    terms_changed()
    transaction.on_commit(lambda: rebuild_all.enqueue())


def save_protected_term(*, acting_user: Any, term: str, replacement: str = "", note: str = "",
                        instance: Any = None) -> Any:
    """Create (instance None) or update a 简繁转换保护词; audited once; 繁体 pages rebuilt."""
    from .models import ProtectedTerm

    with transaction.atomic():
        created = instance is None
        item = ProtectedTerm() if created else ProtectedTerm.objects.select_for_update().get(
            pk=instance.pk)
        before = {"term": item.term, "replacement": item.replacement}
        item.term, item.replacement, item.note = term.strip(), replacement.strip(), note.strip()
        item.full_clean()
        item.save()
        audit.record(action="publishing.term.create" if created else "publishing.term.update",
                     actor=acting_user, obj=item, details={
                         "term": item.term, "replacement": item.replacement,
                         **({} if created else {"before": before})})
        _term_table_changed()
    return item


def delete_protected_term(*, acting_user: Any, instance: Any) -> None:
    """Delete a 简繁转换保护词; audited once; 繁体 pages rebuilt."""
    with transaction.atomic():
        audit.record(action="publishing.term.delete", actor=acting_user, obj=instance, details={
            "term": instance.term, "replacement": instance.replacement})
        instance.delete()
        _term_table_changed()


def record_manual_accessibility_check(*, site: Any, criterion: str, result: str,
                                      checked_on: Any, evaluator: str, acting_user: Any,
                                      note: str = "") -> Any:
    """Record an evaluator's result for one WCAG 2.0 success criterion on a site (PA-07);
    audited once. The criterion must be one of WCAG 2.0's 61, the date not in the future."""
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from .accessibility import MANUAL_RESULTS, wcag20_criteria
    from .models import ManualAccessibilityCheck

    criterion = criterion.strip()
    if criterion not in wcag20_criteria():
        raise ValidationError(f"“{criterion}”不是 WCAG 2.0 的成功准则编号（如 1.2.2）。")
    if result not in MANUAL_RESULTS:
        raise ValidationError("结果应为：" + "、".join(f"{k}（{v}）" for k, v in MANUAL_RESULTS.items()))
    if checked_on > timezone.localdate():
        raise ValidationError("评测日期不能晚于今天。")
    if not evaluator.strip():
        raise ValidationError("请填写评测人或机构。")
    with transaction.atomic():
        check = ManualAccessibilityCheck(site=site, criterion=criterion, result=result,
                                         checked_on=checked_on, evaluator=evaluator.strip(),
                                         note=note.strip())
        check.full_clean()
        check.save()
        audit.record(action="publishing.accessibility.manual_check", actor=acting_user,
                     obj=check, organisation=site.host_organisation,
                     details={"criterion": criterion, "result": result,
                              "checked_on": str(checked_on)})
    return check
