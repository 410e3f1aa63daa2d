"""Who is acting in the current request, for records written far from the view.

A password saved by Wagtail's user form or account page reaches `User.save()` without the
request; the middleware sets this for the request's duration so the audit names the actor.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

_actor: ContextVar[Any] = ContextVar("govsites_acting_user", default=None)


def current_actor() -> Any:
    """Return the authenticated user of the current request, or None outside one."""
    return _actor.get()


def set_actor(user: Any) -> Any:
    """Set the acting user; return the token to pass to reset_actor."""
    return _actor.set(user)


def reset_actor(token: Any) -> None:
    _actor.reset(token)
