"""Who may see search statistics and manage synonyms and best bets."""

from __future__ import annotations

from typing import Any


def can_view_statistics(user: Any) -> bool:
    """Platform administrators and anyone granted the statistics permission."""
    return bool(user.is_active and (user.is_superuser
                                    or user.has_perm("govsites_search.view_querystat")))
