"""The audit action names search writes (registered with core's vocabulary at startup)."""

from govsites.core.audit_actions import register_action

INDEX_REBUILD = "search.index.rebuild"


def register() -> None:
    """Register search's audit actions; called from SearchConfig.ready()."""
    register_action(INDEX_REBUILD, "重建站内搜索索引")
