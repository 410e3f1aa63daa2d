"""A server-side CAPTCHA with no third-party service: a small sum in words, checked once.

The question is text, so screen readers, 适老化 mode and keyboard users can answer it; the
answer is kept only as a digest in the visitor's session, expires after ten minutes and is
spent by the first check, right or wrong.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from govsites.core.audit import sm3_hex

SESSION_KEY = "interaction_captcha"
LIFETIME_SECONDS = 600
NUMBERS = "零一二三四五六七八九十"


def _digest(answer: str) -> str:
    return sm3_hex(("captcha:" + answer.strip()).encode())


def new_question(request: Any) -> str:
    """Draw a new question, remember its answer in the session, and return the question."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    request.session[SESSION_KEY] = {"digest": _digest(str(a + b)),
                                    "expires": time.time() + LIFETIME_SECONDS}
    return f"{NUMBERS[a]}加{NUMBERS[b]}等于几？（请填阿拉伯数字）"


def check(request: Any, answer: str) -> bool:
    """Say whether the answer is right; the question is spent either way."""
    stored = request.session.pop(SESSION_KEY, None)
    if not stored or stored.get("expires", 0) < time.time():
        return False
    return secrets.compare_digest(stored["digest"], _digest(answer))
