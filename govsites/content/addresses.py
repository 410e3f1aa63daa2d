"""Item addresses: short, stable public addresses in the scheme Chinese government sites use.

An item (every ContentItem type) is published at GOVSITES_ITEM_ADDRESS, by default
`/{column}/{yyyymm}/t{yyyymmdd}_{id}.html`: its column's address, the month and day of its
first publication (Beijing time) and its page id. Nothing in it comes from the title, so an
edited title keeps the address; when the scheme or the column changes, the publisher's
address registry answers every former address with a 301 (publishing/publisher.py).

Columns and home pages keep their directory addresses (`/zwgk/gzdt/`).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

DEFAULT_ITEM_ADDRESS = "/{column}/{yyyymm}/t{yyyymmdd}_{id}.html"
_FIELDS = {
    "yyyy": r"\d{4}", "yyyymm": r"\d{6}", "yyyymmdd": r"\d{8}", "mm": r"\d{2}", "dd": r"\d{2}",
    "id": r"(?P<id>\d+)",
}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_LITERAL = re.compile(r"^[A-Za-z0-9_\-./]*$")


@functools.cache
def _scheme(pattern: str) -> tuple[str, re.Pattern[str]]:
    """Return (the part after '/{column}/', a regex matching it) for a configured pattern."""
    prefix = "/{column}/"
    if not pattern.startswith(prefix):
        raise ImproperlyConfigured(f"GOVSITES_ITEM_ADDRESS must start with {prefix!r}")
    tail = pattern[len(prefix):]
    names = _PLACEHOLDER.findall(tail)
    if names.count("id") != 1 or tail.endswith("/") or not tail:
        raise ImproperlyConfigured("GOVSITES_ITEM_ADDRESS must hold {id} once and end in a file name")
    unknown = set(names) - set(_FIELDS)
    if unknown:
        raise ImproperlyConfigured(f"GOVSITES_ITEM_ADDRESS: unknown fields {sorted(unknown)}")
    literals = _PLACEHOLDER.split(tail)[::2]
    if not all(_LITERAL.match(part) for part in literals) or "//" in tail:
        raise ImproperlyConfigured("GOVSITES_ITEM_ADDRESS may hold only letters, digits, - _ . /")
    regex = "".join(re.escape(part) if i % 2 == 0 else _FIELDS[part]
                    for i, part in enumerate(_PLACEHOLDER.split(tail)))
    return tail, re.compile(f"^{regex}$")


def item_scheme() -> str:
    """The configured address pattern (validated)."""
    pattern = str(getattr(settings, "GOVSITES_ITEM_ADDRESS", "") or DEFAULT_ITEM_ADDRESS)
    _scheme(pattern)
    return pattern


def item_tail(page_id: int, published: dt.datetime | None) -> str:
    """The part of an item's address below its column, e.g. `202612/t20261201_42.html`.

    The date is the first publication in Beijing time; an item never published (a preview)
    is dated today.
    """
    tail, _regex = _scheme(item_scheme())
    when = timezone.localtime(published or timezone.now())
    values = {"yyyy": f"{when:%Y}", "yyyymm": f"{when:%Y%m}", "yyyymmdd": f"{when:%Y%m%d}",
              "mm": f"{when:%m}", "dd": f"{when:%d}", "id": str(page_id)}
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], tail)


def item_id_in(tail: str) -> int | None:
    """The page id an address tail below a column names, or None when it is no item address."""
    _tail, regex = _scheme(item_scheme())
    match = regex.match(tail)
    return int(match.group("id")) if match else None


def item_path(slug_path: str, page_id: int, published: dt.datetime | None) -> str:
    """Turn Wagtail's directory address of an item (`/zwgk/gzdt/some-slug/`) into its public
    address (`/zwgk/gzdt/202612/t20261201_42.html`)."""
    column = slug_path.rstrip("/").rpartition("/")[0] + "/"
    return column + item_tail(page_id, published)


@functools.cache
def _item_models() -> tuple[type, ...]:
    from django.apps import apps

    from .models import ContentItem

    return tuple(m for m in apps.get_models() if issubclass(m, ContentItem))


def _item_content_type_ids() -> set[int]:
    from django.contrib.contenttypes.models import ContentType

    # ContentType's own cache, which Django clears when the table is flushed.
    return {ct.pk for ct in ContentType.objects.get_for_models(*_item_models()).values()}


def is_item(page: Any) -> bool:
    """Whether a page (specific or not) is an item of the resource library."""
    from .models import ContentItem

    if isinstance(page, ContentItem):
        return True
    return getattr(page, "content_type_id", None) in _item_content_type_ids()


def public_path(page: Any, slug_path: str) -> str:
    """A page's public address from its Wagtail directory address (items get their own)."""
    if is_item(page):
        return item_path(slug_path, int(page.pk), page.first_published_at)
    return slug_path
