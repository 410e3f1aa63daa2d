"""Language usage (文字规范, CC-33, 梅州 第26条): 国家法定计量单位, punctuation and numbers.

Three checks, their words in `data/usage.json` (edit it and redeploy; severities and switches
are the admin's 检查规则 rows like every other rule):

- `usage.unit`: a unit that is not a 法定计量单位 (公尺, 公分, 市斤, 英寸, 华氏度 …) right after a
  number (3公尺, 五十市斤), with the legal unit to use as the suggestion; without a number
  before it the word is ordinary prose (公分母, 磅礴) and is not reported;
- `usage.punctuation`: a half-width comma, semicolon, colon, question or exclamation mark between
  two Chinese characters (通知,各单位), with the full-width mark as the suggestion, and the same
  sentence mark doubled (。。 ，，; ……, —— and ！！ excepted as the data says);
- `usage.number`: full-width digits (２０２６年) and a year mixing Chinese and Arabic numerals
  (二0二六年).

Only plain text is read (the caller hands HTML through `markup.read_html`). A finding is a
`Category.CONTENT_STANDARD` (内容规范) finding with the rule's severity (warning nationally): a reviewer
decides, nothing is held.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache

from .rules import DATA_DIR, Ruleset, national_rules
from .types import Category, Finding

UNIT = "usage.unit"
PUNCTUATION = "usage.punctuation"
NUMBER = "usage.number"
USAGE_RULES = (UNIT, PUNCTUATION, NUMBER)

_CJK = "\u3400-\u9fff"
_WIDE_DIGITS = re.compile("[０-９]+")
_HALF_TO_FULL = str.maketrans(",;:?!", "，；：？！")
_WIDE_TO_ASCII = str.maketrans("０１２３４５６７８９", "0123456789")


@dataclass(frozen=True)
class UsageData:
    """The words of data/usage.json."""

    units: dict[str, str]  # a unit that is not legal → the legal one
    number_characters: str  # what may stand right before a unit (digits, 一二三 …)
    doubled_marks: str  # sentence marks that must not be doubled
    chinese_numerals: str


@cache
def usage_data() -> UsageData:
    """Return the words of data/usage.json."""
    with (DATA_DIR / "usage.json").open(encoding="utf-8") as handle:
        data = json.load(handle)
    return UsageData(units={str(k): str(v) for k, v in data["units"].items()},
                     number_characters=str(data["number_characters"]),
                     doubled_marks=str(data["doubled_marks"]),
                     chinese_numerals=str(data["chinese_numerals"]))


class UsageChecker:
    """Compiled usage checks for one data file; immutable."""

    def __init__(self, data: UsageData | None = None) -> None:
        data = data or usage_data()
        self.data = data
        units = "|".join(re.escape(u) for u in sorted(data.units, key=len, reverse=True))
        numbers = re.escape(data.number_characters)
        self._unit = re.compile(f"(?<=[{numbers}])(?:{units})") if units else None
        self._half_marks = re.compile(f"(?<=[{_CJK}])[,;:?!](?=[{_CJK}])")
        marks = re.escape(data.doubled_marks)
        self._doubled = re.compile(f"([{marks}])\\1+") if marks else None
        numerals = re.escape(data.chinese_numerals)
        self._numerals = frozenset(data.chinese_numerals)
        self._year = re.compile(f"(?<![0-9{numerals}])[0-9{numerals}]{{4}}(?=年)")

    def find(self, text: str) -> list[tuple[str, int, int, str]]:
        """Return (rule id, start, end, suggestion) for every usage problem in text."""
        found: list[tuple[str, int, int, str]] = []
        if self._unit is not None:
            for match in self._unit.finditer(text):
                found.append((UNIT, match.start(), match.end(), self.data.units[match.group()]))
        for match in self._half_marks.finditer(text):
            found.append((PUNCTUATION, match.start(), match.end(),
                          match.group().translate(_HALF_TO_FULL)))
        if self._doubled is not None:
            for match in self._doubled.finditer(text):
                found.append((PUNCTUATION, match.start(), match.end(), match.group(1)))
        for match in _WIDE_DIGITS.finditer(text):
            found.append((NUMBER, match.start(), match.end(),
                          match.group().translate(_WIDE_TO_ASCII)))
        for match in self._year.finditer(text):
            year = match.group()
            chinese = sum(1 for char in year if char in self._numerals)
            if 0 < chinese < len(year):  # 二0二六: both kinds in one year
                found.append((NUMBER, match.start(), match.end(), "年份统一用阿拉伯数字或汉字数字"))
        return sorted(found, key=lambda hit: hit[1])


@cache
def default_usage_checker() -> UsageChecker:
    """The checker for the shipped data file."""
    return UsageChecker()


def usage_findings(text: str, *, location: str, ruleset: Ruleset,
                   checker: UsageChecker | None = None) -> list[Finding]:
    """Return the usage findings of plain text, with the ruleset's severities and switches."""
    if not text:
        return []
    rules = {rule_id: ruleset.rule(rule_id) for rule_id in USAGE_RULES}
    if not any(rule.enabled for rule in rules.values()):
        return []
    findings = []
    for rule_id, start, end, suggestion in (checker or default_usage_checker()).find(text):
        rule = rules[rule_id]
        if not rule.enabled:
            continue
        findings.append(Finding(
            rule_id=rule_id, category=Category.CONTENT_STANDARD, severity=rule.severity,
            location=location, evidence=text[start:end], offset=start,
            context=text[max(0, start - 20):end + 20], suggestion=suggestion,
            extra={"checklist": ",".join(national_rules()[rule_id].checklist)}))
    return findings
