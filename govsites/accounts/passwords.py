"""Password rules of 等保 2.0 level 3 (GB/T 22239-2019 8.1.4.1 身份鉴别).

The validators plug into AUTH_PASSWORD_VALIDATORS, so Wagtail's user forms, its password
change panel and `changepassword` all apply them. History and the expiry clock are kept by
`remember_password_change`: called by accounts.services for the platform's own paths, and by
a handler (accounts.handlers) only where Django or Wagtail set the password themselves.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

#: Weak passwords, base words, pinyin surnames and syllables (source described in the file).
WEAK_PASSWORDS_FILE = Path(__file__).resolve().parent / "data" / "weak_passwords.txt"

#: Keyboard rows (US layout, as Chinese keyboards are), their columns, and the shifted keys
#: folded onto the unshifted ones so that "!@#$" is the walk "1234".
KEYBOARD_ROWS = ("1234567890-=", "qwertyuiop[]\\", "asdfghjkl;'", "zxcvbnm,./")
SHIFTED = str.maketrans("!@#$%^&*()_+{}|:\"<>?~", "1234567890-=[]\\;',./`")
KEYBOARD_COLUMNS = tuple("".join(row[i] for row in KEYBOARD_ROWS if i < len(row))
                         for i in range(10))
SEQUENCES = (string.ascii_lowercase, string.digits)
LEET = str.maketrans("@$0134578", "asoieastb")


def _classes(password: str) -> int:
    """Count the character classes used: lower case, upper case, digits, other symbols."""
    has_lower = any(c in string.ascii_lowercase for c in password)
    has_upper = any(c in string.ascii_uppercase for c in password)
    has_digit = any(c.isdigit() for c in password)
    has_other = any(not (c in string.ascii_letters or c.isdigit()) for c in password)
    return sum((has_lower, has_upper, has_digit, has_other))


class CharacterClassesValidator:
    """Require GOVSITES_PASSWORD_MIN_CLASSES of: lower case, upper case, digits, symbols."""

    def validate(self, password: str, user: Any = None) -> None:
        if _classes(password) < settings.GOVSITES_PASSWORD_MIN_CLASSES:
            raise ValidationError(self.get_error_message(), code="password_too_simple")

    def get_error_message(self) -> str:
        return _("密码须至少包含大写字母、小写字母、数字、特殊符号中的 %(n)d 类。") % {
            "n": settings.GOVSITES_PASSWORD_MIN_CLASSES}

    def get_help_text(self) -> str:
        return self.get_error_message()


def _runs(text: str, length: int) -> list[str]:
    return [text[i:i + length] for i in range(len(text) - length + 1)]


def _walks(lines: tuple[str, ...], length: int) -> frozenset[str]:
    found: set[str] = set()
    for line in lines:
        for run in _runs(line, length):
            found.update((run, run[::-1]))
    return frozenset(found)


class PatternValidator:
    """Refuse keyboard walks (qwer, asdf, zxcv, 1qaz, !@#$), sequences (abcd, 1234, 4321) and
    repeated characters (aaaa, 1111) of GOVSITES_PASSWORD_PATTERN_RUN characters or more."""

    def validate(self, password: str, user: Any = None) -> None:
        run = settings.GOVSITES_PASSWORD_PATTERN_RUN
        folded = password.lower().translate(SHIFTED)
        pieces = set(_runs(folded, run))
        if pieces & _walks(SEQUENCES, run):
            raise ValidationError(_("密码不能包含连续的字母或数字（如 abcd、1234、4321）。"),
                                  code="password_sequence")
        if pieces & _walks(KEYBOARD_ROWS + KEYBOARD_COLUMNS, run):
            raise ValidationError(_("密码不能包含键盘上相邻的按键（如 qwer、asdf、zxcv、1qaz、!@#$）。"),
                                  code="password_keyboard_walk")
        if any(len(set(piece)) == 1 for piece in pieces):
            raise ValidationError(_("密码不能包含连续重复的字符（如 aaaa、1111）。"),
                                  code="password_repeated")

    def get_help_text(self) -> str:
        return _("不能包含键盘相邻按键、连续字母或数字、连续重复的字符。")


class WeakPasswordList:
    """The shipped list of weak passwords, base words and pinyin, read once."""

    def __init__(self, text: str) -> None:
        sections: dict[str, set[str]] = {}
        current = sections.setdefault("", set())
        for raw in text.splitlines():
            line = raw.split("#", 1)[0].strip()
            if line.startswith("[") and line.endswith("]"):
                current = sections.setdefault(line[1:-1], set())
            elif line:
                current.update(line.split())
        self.passwords = frozenset(_skeleton(p) for p in sections.get("passwords", ()))
        self.base_words = frozenset(sections.get("base_words", ()))
        self.surnames = frozenset(sections.get("surnames", ()))
        self.syllables = frozenset(sections.get("syllables", ()))

    def is_pinyin_name(self, letters: str) -> bool:
        """A surname followed by one or two given-name syllables (zhangwei, wangfang, liuyang)."""
        return any(letters.startswith(s) and self._syllables(letters[len(s):], 1, 2)
                   for s in self.surnames)

    def _syllables(self, rest: str, low: int, high: int) -> bool:
        if not rest:
            return low <= 0
        if high == 0:
            return False
        return any(rest.startswith(syl) and self._syllables(rest[len(syl):], low - 1, high - 1)
                   for syl in self.syllables)


@lru_cache(maxsize=1)
def weak_password_list() -> WeakPasswordList:
    return WeakPasswordList(WEAK_PASSWORDS_FILE.read_text(encoding="utf-8"))


def _skeleton(password: str) -> str:
    """Lower case with the symbols dropped: Admin@123 → admin123."""
    return re.sub(r"[^0-9a-z]", "", password.lower())


def _skeletons(password: str) -> set[str]:
    """The skeleton, and the one that reads '@' and '$' as letters (P@ssw0rd → passw0rd)."""
    lowered = password.lower()
    return {_skeleton(lowered), _skeleton(lowered.replace("@", "a").replace("$", "s"))}


def _letters_left(skeleton: str, words: frozenset[str]) -> int:
    """Count the letters of `skeleton` outside every occurrence of a word (read as typed or
    with leet digits: passw0rd is password)."""
    covered = [False] * len(skeleton)
    for text in (skeleton, skeleton.translate(LEET)):
        for word in words:
            start = text.find(word)
            while start != -1:
                covered[start:start + len(word)] = [True] * len(word)
                start = text.find(word, start + 1)
    return sum(1 for c, hidden in zip(skeleton, covered, strict=True)
               if c.isalpha() and not hidden)


def _weak_skeleton(skeleton: str) -> bool:
    weak = weak_password_list()
    if skeleton in weak.passwords or skeleton.translate(LEET) in weak.passwords:
        return True
    # Digits and symbols around base words and at most two other letters: Gov@2024,
    # zhengfu2024#Z, RootPass99, 11111111Aa.
    if _letters_left(skeleton, weak.base_words) <= 2:
        return True
    # A pinyin name with digits around it: zhangwei1990, Wangfang@0815.
    match = re.fullmatch(r"\d*([a-z]+)\d*", skeleton)
    return match is not None and weak.is_pinyin_name(match.group(1))


class CommonPasswordValidator:
    """Refuse the shipped weak passwords and their patterns (data/weak_passwords.txt):

    - a listed password, ignoring letter case and symbols (Admin@123, Passw0rd!);
    - base words with digits, symbols and at most two other letters (Gov@2024, zhengfu2024#Z,
      2024admin, P@ssw0rd1); digits with at most two letters (11111111Aa, 19900101Aa!);
    - a pinyin name with digits (zhangwei1990, Wangfang@0815).
    """

    def validate(self, password: str, user: Any = None) -> None:
        if self.is_weak(password):
            raise ValidationError(
                _("该密码过于常见，容易被猜中（常见密码、单位或系统名称加数字、拼音姓名加生日等），请换一个。"),
                code="password_too_common")

    @staticmethod
    def is_weak(password: str) -> bool:
        return any(_weak_skeleton(s) for s in _skeletons(password))

    def get_help_text(self) -> str:
        return _("不能使用常见密码、单位或系统名称加数字、拼音姓名加生日等容易猜到的密码。")


class UsernameNotContainedValidator:
    """Refuse a password that contains the username (in any letter case)."""

    def validate(self, password: str, user: Any = None) -> None:
        username = (user.get_username() if user is not None else "") or ""
        if len(username) >= 3 and username.casefold() in password.casefold():
            raise ValidationError(self.get_help_text(), code="password_contains_username")

    def get_help_text(self) -> str:
        return _("密码不能包含用户名。")


class PasswordHistoryValidator:
    """Refuse any of the user's last GOVSITES_PASSWORD_HISTORY passwords (the current one too)."""

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None:
            return
        for old_hash in recent_password_hashes(user, history_length()):
            if check_password(password, old_hash):
                raise ValidationError(self.get_help_text(), code="password_reused")

    def get_help_text(self) -> str:
        n = history_length()
        return ngettext("新密码不能与最近 %(n)d 次使用的密码相同。",
                        "新密码不能与最近 %(n)d 次使用的密码相同。", n) % {"n": n}


def history_length() -> int:
    """How many past passwords are kept and refused (setting GOVSITES_PASSWORD_HISTORY)."""
    return int(settings.GOVSITES_PASSWORD_HISTORY)


def recent_password_hashes(user: Any, count: int) -> list[str]:
    """Return the hashes of the user's last `count` passwords, newest first."""
    from .models import PasswordHistory

    hashes = list(PasswordHistory.objects.filter(user_id=user.pk)
                  .values_list("password", flat=True)[:count])
    current = getattr(user, "password", "")
    if current and current not in hashes:
        hashes.insert(0, current)
    return hashes[:count]


def remember_password_change(user: Any, *, audited: bool = True) -> None:
    """Record a newly set password: history row, change time and (unless new) an audit record."""
    from django.db import transaction

    from govsites.core import audit

    from .context import current_actor
    from .models import PasswordHistory, User

    now = timezone.now()
    with transaction.atomic():
        PasswordHistory.objects.create(user_id=user.pk, password=user.password)
        keep = list(PasswordHistory.objects.filter(user_id=user.pk)
                    .values_list("pk", flat=True)[:max(history_length(), 1)])
        PasswordHistory.objects.filter(user_id=user.pk).exclude(pk__in=keep).delete()
        User.objects.filter(pk=user.pk).update(password_changed_at=now)
        user.password_changed_at = now
        if not audited:
            return
        actor = current_actor() or user
        audit.record(action="accounts.password.change", actor=actor, obj=user,
                     organisation=user.organisation_id,
                     details={"by_self": getattr(actor, "pk", None) == user.pk})


def max_age() -> dt.timedelta | None:
    """Return how long a staff password stays valid (rule accounts.password.max_age_days for the
    whole cluster, RS-17; 0 disables)."""
    from govsites import rules

    days = int(rules.value("accounts.password.max_age_days"))
    return dt.timedelta(days=days) if days > 0 else None


class MinimumLengthValidator:
    """At least accounts.password.min_length characters (rule data for the whole cluster, RS-17),
    read when a password is checked, so an administrator's override applies at once."""

    def _min_length(self) -> int:
        from govsites import rules

        return int(rules.value("accounts.password.min_length"))

    def validate(self, password: str, user: Any = None) -> None:
        length = self._min_length()
        if len(password) < length:
            raise ValidationError(
                ngettext("密码至少需要 %(min_length)d 个字符。",
                         "密码至少需要 %(min_length)d 个字符。", length),
                code="password_too_short", params={"min_length": length})

    def get_help_text(self) -> str:
        length = self._min_length()
        return ngettext("密码至少需要 %(min_length)d 个字符。",
                        "密码至少需要 %(min_length)d 个字符。", length) % {"min_length": length}


def password_expired(user: Any, now: dt.datetime | None = None) -> bool:
    """Say whether a user must change their password before doing anything else."""
    if not getattr(user, "is_authenticated", False):
        return False
    if not user.has_usable_password():
        return False
    limit = max_age()
    if limit is None:
        return False
    changed = user.password_changed_at
    if changed is None:
        return True
    return (now or timezone.now()) >= changed + limit
