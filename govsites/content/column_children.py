"""What a column (栏目) may hold, by its 栏目类别: item types, and whether sub-columns.

The table is data (content/data/column_children.json), not code: a 工作动态 column offers only
articles and no sub-columns, a 政策文件 column policy documents and sub-columns, and so on.
Page types take part through `ColumnChildMixin`, whose `can_exist_under` Wagtail asks both when
it lists the types to add under a page and when it checks a move.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).resolve().parent / "data" / "column_children.json"


@dataclass(frozen=True)
class ColumnChildren:
    """The item types (lower-case app_label.modelname) and sub-columns one column type allows."""

    items: frozenset[str]
    subcolumns: bool


NOTHING = ColumnChildren(items=frozenset(), subcolumns=True)


@functools.cache
def column_children_table() -> dict[str, ColumnChildren]:
    """Return the table of the data file, keyed by 栏目类别."""
    raw = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return {
        column_type: ColumnChildren(items=frozenset(label.lower() for label in row["items"]),
                                    subcolumns=bool(row["subcolumns"]))
        for column_type, row in raw["types"].items()
    }


def children_for(column_type: str) -> ColumnChildren:
    """Return what a column of this type may hold (sub-columns only, for a type not listed)."""
    return column_children_table().get(column_type, NOTHING)


def column_allows(parent: Any, model: Any) -> bool:
    """Say whether a page of `model` may sit under `parent` as far as the parent's type goes.

    Only columns restrict their children; any other parent leaves it to the page types'
    own subpage_types/parent_page_types.
    """
    from .models import ColumnPage

    if not issubclass(parent.specific_class, ColumnPage):
        return True
    column = parent if isinstance(parent, ColumnPage) else parent.specific
    allowed = children_for(column.column_type)
    if issubclass(model, ColumnPage):
        return allowed.subcolumns
    return model._meta.label_lower in allowed.items


class ColumnChildMixin:
    """For page types that live in columns: follow the column type's table (see module doc)."""

    @classmethod
    def can_exist_under(cls, parent: Any) -> bool:
        return bool(super().can_exist_under(parent)  # type: ignore[misc]
                    and column_allows(parent, cls))
