"""The national default review workflow, as data (the data migration holds a frozen copy).

三审: the 信息员's submission is the first level; 审核负责人 and 分管领导 of the owning body
follow (一般; 分管领导 also records the 保密审查, RS-09). The unit's 主要领导 (RS-03/04) and the
government office's 分管领导 (RS-07, for the kinds of item a variant lists) apply where the
rule set says so. 重大 adds the owning 人民政府's 分管领导, 特级 also its 主要领导. 三校: three
proofreading passes, off unless a site turns them on. Screening comes first so reviewers
never read an item that has not been checked.
"""

from __future__ import annotations

from typing import Any

DEFAULT_WORKFLOW_NAME = "三审三校"

#: (model, name, fields) in workflow order.
DEFAULT_STEPS: list[tuple[str, str, dict[str, Any]]] = [
    ("screeningtask", "内容检查",
     {"role": "reviewer", "scope": "organisation", "applies_from": "normal",
      "deadline_working_days": 1}),
    ("proofreadtask", "一校",
     {"role": "editor", "scope": "organisation", "applies_from": "normal",
      "deadline_working_days": 1, "pass_number": 1}),
    ("proofreadtask", "二校",
     {"role": "reviewer", "scope": "organisation", "applies_from": "normal",
      "deadline_working_days": 1, "pass_number": 2}),
    ("proofreadtask", "三校",
     {"role": "deputy_head", "scope": "organisation", "applies_from": "normal",
      "deadline_working_days": 1, "pass_number": 3}),
    ("rolereviewtask", "审核负责人审核",
     {"role": "reviewer", "scope": "organisation", "applies_from": "normal",
      "deadline_working_days": 2}),
    ("rolereviewtask", "分管领导审核",
     {"role": "deputy_head", "scope": "organisation", "applies_from": "normal",
      "deadline_working_days": 2, "secrecy_review": True}),
    ("rolereviewtask", "单位主要领导审核",
     {"role": "head", "scope": "organisation", "applies_from": "never",
      "deadline_working_days": 2}),
    ("rolereviewtask", "政府办公室分管领导审核",
     {"role": "deputy_head", "scope": "government_office", "applies_from": "normal",
      "deadline_working_days": 2}),
    ("rolereviewtask", "本级政府分管领导审核",
     {"role": "deputy_head", "scope": "government", "applies_from": "major",
      "deadline_working_days": 2}),
    ("rolereviewtask", "本级政府主要领导审核",
     {"role": "head", "scope": "government", "applies_from": "critical",
      "deadline_working_days": 3}),
]
