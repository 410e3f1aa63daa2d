"""Column listing pages whose older pages never change when something new is published.

Chinese government sites (TRS WCM and its imitators) publish a column as `index.html`,
`index_1.html`, `index_2.html` … numbered from the newest end: page 1 is the newest and
`index_1.html` the second page. Every new item then shifts every page by one, so the whole
listing is regenerated on each publication, and the cost grows with the column.

Here page 1 is still the newest (`index.html`, the column's own address), but the older pages
are fixed groups of LIST_PAGE_SIZE items counted from the oldest end: `?page=1`
(`index_1.html`) holds the first 20 items ever published, `?page=2` the next 20, and so on.
`index.html` holds the rest: the newest complete group plus the items after it (20 to 39
items). A new item changes only `index.html`; once every 20 items a group completes, one new
older page appears and the page before it gains a link to it. Older pages show the dates they
cover instead of a total page count, which would change with every group.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

PAGE_NUMBER_MAX_DIGITS = 9


@dataclass
class ListingPage:
    """One page of a column listing: number 0 is the newest page (index.html)."""

    number: int
    total: int
    size: int
    object_list: list[Any] = field(default_factory=list)

    @property
    def groups(self) -> int:
        """Complete groups of `size` items (the newest of them is part of index.html)."""
        return self.total // self.size

    @property
    def older_pages(self) -> int:
        """How many older pages exist (index_1.html … index_N.html)."""
        return max(0, self.groups - 1)

    @property
    def older(self) -> int | None:
        """The next older page's number, or None."""
        if self.number == 0:
            return self.older_pages or None
        return self.number - 1 or None

    @property
    def newer(self) -> int | None:
        """The next newer page's number (0: index.html), or None on index.html."""
        if self.number == 0:
            return None
        return self.number + 1 if self.number + 1 <= self.older_pages else 0

    @property
    def is_newest(self) -> bool:
        return self.number == 0


def page_number(value: str | None) -> int:
    """The older page asked for with ?page= (0 for anything else, e.g. '²' or 5,000 digits)."""
    if not value or not value.isascii() or not value.isdigit():
        return 0
    if len(value) > PAGE_NUMBER_MAX_DIGITS:
        return 0
    return int(value)


def listing_page(items: QuerySet[Any], number: int, size: int) -> ListingPage:
    """Page `number` of a newest-first queryset (an unknown number gives the newest page)."""
    total = items.count()
    page = ListingPage(number=0, total=total, size=size)
    if 1 <= number <= page.older_pages:
        page.number = number
        start = total - number * size  # newest-first index of the group's newest item
        page.object_list = list(items[start:start + size])
    else:
        keep = total - page.older_pages * size
        page.object_list = list(items[:keep])
    return page


def group_of(items: QuerySet[Any], item: Any, size: int) -> int:
    """The older page that holds (or would hold) an item: 1 + (items older than it) // size."""
    when = item.first_published_at
    if when is None:
        return 0
    older = items.filter(Q(first_published_at__lt=when)
                         | Q(first_published_at=when, pk__lt=item.pk)).count()
    return older // size + 1
