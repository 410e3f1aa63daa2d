"""The screening library's public types, shared by the review chain and the site inspector.

A Finding says what was found, where, how bad it is, and shows personal data only masked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Category(StrEnum):
    """What kind of problem a finding is (stable values: stored and shown in reports)."""

    POLITICAL = "political"          # 政治
    PORNOGRAPHY = "pornography"      # 色情
    GAMBLING = "gambling"            # 赌博
    VIOLENCE = "violence"            # 暴力
    ADVERTISING = "advertising"      # 广告
    EXPRESSION_ERROR = "expression_error"  # 严重表述错误
    PRIVACY = "privacy"              # 个人信息
    COMMERCIAL_LINK = "commercial_link"    # 商业链接
    UNSCREENED = "unscreened"        # 无法检查 (an attachment that could not be read)
    STATE_SECRET = "state_secret"    # 涉密标志 (密级 and 内部 markings)
    HIDDEN_CONTENT = "hidden_content"  # 隐藏内容 (暗链: links and text hidden from readers)
    UNSAFE_MARKUP = "unsafe_markup"  # 危险代码 (scripts, event handlers, frames in raw HTML)
    CONTENT_STANDARD = "content_standard"  # 内容规范 (repost sources, language usage, 国旗/国徽)


class Severity(StrEnum):
    """How serious a finding is. VETO findings would fail a national inspection outright."""

    INFO = "info"
    WARNING = "warning"
    SERIOUS = "serious"
    VETO = "veto"


@dataclass(frozen=True)
class Finding:
    """One problem found in one place.

    rule_id: stable id such as "privacy.resident_id" or "term.gambling".
    location: where, e.g. "title", "body", "attachment:通知.pdf#page=2", or a URL.
    offset: character offset within the located text (-1 when not meaningful).
    evidence: the matched text, masked where it is personal data.
    context: the text around the match (personal data in it masked), for a reviewer.
    suggestion: the correct wording, where the rule knows it (严重表述错误).
    """

    rule_id: str
    category: Category
    severity: Severity
    location: str
    evidence: str
    offset: int = -1
    context: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    suggestion: str = ""
