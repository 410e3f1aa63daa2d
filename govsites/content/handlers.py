"""Signal receivers for content invariants that must hold however a page is saved."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save, pre_save
from django.utils import timezone
from django.utils.translation import gettext as _

from .exceptions import PubDateImmutable


def _to_ms(moment: Any) -> Any:
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000) if moment else moment


def _guard_item(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    from .identifiers import allocate_index_number
    from .models import ColumnPage, ContentItem

    if raw or not isinstance(instance, ContentItem):
        return
    if instance.pk:
        stored = (ContentItem.objects.filter(pk=instance.pk)
                  .values_list("first_published_at", flat=True).first())
        # A revision's JSON keeps datetimes to the millisecond (DjangoJSONEncoder), so a page
        # published from a revision saved after its first publication carries the same
        # instant without its microseconds; that is not a change of 发布日期.
        if stored is not None and _to_ms(instance.first_published_at) != _to_ms(stored):
            raise PubDateImmutable(
                _("发布日期在首次发布时已确定（%(date)s），不能修改。")
                % {"date": timezone.localtime(stored).strftime("%Y-%m-%d %H:%M")})
    if instance.alias_of_id:
        return
    if instance.owner_organisation_id is None:
        parent = instance.get_parent() if instance.path else None
        if parent is not None and isinstance(parent.specific, ColumnPage):
            instance.owner_organisation = parent.specific.effective_owner()
    if instance.publisher_id is None and instance.owner_organisation_id is not None:
        instance.publisher_id = instance.owner_organisation_id
    # An item reprinted from outside the cluster (来源网址) keeps its issuer's numbering: it gets
    # no 索引号 of ours.
    if (not instance.index_no and instance.owner_organisation_id is not None
            and not instance.source_url):
        when = instance.first_published_at or timezone.now()
        instance.index_no = allocate_index_number(
            organisation=instance.owner_organisation,
            year=timezone.localtime(when).year, page_id=instance.pk)
        instance._index_no_allocated = True


def _persist_index_no(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """A save limited by update_fields would drop a number allocated in pre_save; write it."""
    from .models import ContentItem

    if raw or not getattr(instance, "_index_no_allocated", False):
        return
    instance._index_no_allocated = False
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and "index_no" not in update_fields:
        ContentItem.objects.filter(pk=instance.pk).update(index_no=instance.index_no)


def connect() -> None:
    """Connect the receivers (called from ContentConfig.ready)."""
    pre_save.connect(_guard_item, dispatch_uid="content.guard_item")
    post_save.connect(_persist_index_no, dispatch_uid="content.persist_index_no")
    from . import chrome

    chrome.connect()
