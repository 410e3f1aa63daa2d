"""The national layout of the annual report (国办公开办函〔2021〕30号): parts and table rows.

Table 三's result rows are exactly the `Result` choices, grouped as in the format; every
result is one row and every row one result (a test enumerates both directions).
"""

from __future__ import annotations

from dataclasses import dataclass

from .choices import ApplicantType, OrganisationSubtype, Result

#: Table 三's columns: 自然人, the five kinds of 法人或其他组织, then 总计.
COLUMNS: list[tuple[str, str]] = [
    (ApplicantType.NATURAL_PERSON.value, "自然人"),
    *[(s.value, str(s.label)) for s in OrganisationSubtype],
]


@dataclass(frozen=True)
class ResultGroup:
    """(一)…(六) of table 三's part 三: a heading and its result rows, numbered within it."""

    key: str
    heading: str
    results: tuple[Result, ...]


RESULT_GROUPS: tuple[ResultGroup, ...] = (
    ResultGroup("disclosed", "（一）予以公开", (Result.DISCLOSED,)),
    ResultGroup("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
                (Result.PARTIAL,)),
    ResultGroup("withheld", "（三）不予公开", (
        Result.WITHHELD_STATE_SECRET, Result.WITHHELD_BY_LAW, Result.WITHHELD_SECURITY,
        Result.WITHHELD_THIRD_PARTY, Result.WITHHELD_INTERNAL, Result.WITHHELD_PROCESS,
        Result.WITHHELD_ENFORCEMENT, Result.WITHHELD_INQUIRY)),
    ResultGroup("unavailable", "（四）无法提供", (
        Result.UNAVAILABLE_NOT_HELD, Result.UNAVAILABLE_NEEDS_CREATION,
        Result.UNAVAILABLE_UNCLEAR)),
    ResultGroup("not_handled", "（五）不予处理", (
        Result.NOT_HANDLED_PETITION, Result.NOT_HANDLED_REPEAT, Result.NOT_HANDLED_PUBLICATION,
        Result.NOT_HANDLED_EXCESSIVE, Result.NOT_HANDLED_CONFIRMATION)),
    ResultGroup("other", "（六）其他处理", (
        Result.OTHER_NO_CORRECTION, Result.OTHER_FEE_UNPAID, Result.OTHER)),
)

#: The short row label of a result inside its group (the text after "：" in its label).
def row_label(result: Result, index: int, group: ResultGroup) -> str:
    if len(group.results) == 1:
        return group.heading
    text = str(result.label).split("：", 1)[-1]
    return f"{index}.{text}"


#: Table 四's result columns (行政复议 and each kind of 行政诉讼).
REVIEW_COLUMNS: list[tuple[str, str]] = [
    ("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"),
    ("pending", "尚未审结"),
]
REVIEW_PARTS: list[tuple[str, str]] = [
    ("review", "行政复议"), ("litigation_direct", "行政诉讼：未经复议直接起诉"),
    ("litigation_after_review", "行政诉讼：复议后起诉"),
]

#: Table 二's figures entered by staff (they come from other systems); its 规章 and
#: 行政规范性文件 rows are counted from the library (library.py).
MANUAL_TABLE_TWO: list[tuple[str, str, str]] = [
    ("licensing", "第二十条第（五）项", "行政许可：本年处理决定数量"),
    ("punishment", "第二十条第（六）项", "行政处罚：本年处理决定数量"),
    ("enforcement", "第二十条第（六）项", "行政强制：本年处理决定数量"),
    ("fees_wan_yuan", "第二十条第（八）项", "行政事业性收费：本年收费金额（万元）"),
]

PART_TITLES = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]
