"""Removing personal data from what the public, the API and the logs see.

`redact()` masks resident ID numbers, mobile numbers, e-mail addresses (core's masker, the one
notifications use) and bank card numbers (the screening library's checks).
"""

from __future__ import annotations

import re

from govsites.core.notifications import mask_personal_data
from govsites.screening.privacy import is_bank_card_number

_LONG_NUMBER = re.compile(r"(?<!\d)\d{16,19}(?!\d)")


def redact(text: str) -> str:
    """Return text with personal numbers and addresses replaced by placeholders."""
    masked = mask_personal_data(text)
    return _LONG_NUMBER.sub(
        lambda m: "[银行卡号已隐去]" if is_bank_card_number(m.group(0)) else m.group(0), masked)


def mask_name(name: str) -> str:
    """张* / 欧阳**: a writer's name as public pages could show it (they show none)."""
    return name[:1] + "*" * max(1, len(name) - 1) if name else ""
