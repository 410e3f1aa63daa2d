"""The rule registry: every checklist rule with its source, status, parameters and enforcement.

The registry is data shipped with the product (`data/registry/*.json`, one file per area, an
`index.json` with the version), built from the platform's rule checklist. Each rule carries:

- its checklist id (ID-01 … DT-04), a statement, and its sources by public name;
- a status: ENCODED (enforced, with the tests that exercise it), PARTIAL, ABSENT, or
  OTHER-ISSUE (belongs to another open capability, named by its issue number; `index.json`
  lists the open capability issues, and naming any other one is an error of the registry);
- the parameters it owns, each with its national default, unit, evidence label and the code
  that reads it (`module:qualname#token`), or, for a capability not built yet, the issue that
  will read it (`awaiting`).

Variant files (`data/variants/<name>.json`) hold one city's or province's values for some of
those parameters, each with the article it comes from. Both are loaded once and validated.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
REGISTRY_DIR = DATA_DIR / "registry"
VARIANTS_DIR = DATA_DIR / "variants"

NATIONAL = "national"
STATUSES = ("ENCODED", "PARTIAL", "ABSENT", "OTHER-ISSUE")
STATUS_LABELS = {"ENCODED": "已实现", "PARTIAL": "部分实现", "ABSENT": "未实现",
                 "OTHER-ISSUE": "属其他功能"}
EVIDENCE_LABELS = ("[P]", "[S]", "[G]", "[R]", "[?]", "[platform]")
TYPES = ("int", "number", "bool", "text", "list", "dict")
RULE_ID_RE = re.compile(r"^(ID|CC|RS|PA|IS|IA|DS|RP|NM|DT)-\d{2}$")
KEY_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
READER_RE = re.compile(r"^(?P<module>[a-z_][\w.]*):(?P<qualname>[A-Za-z_][\w.]*)(#(?P<token>\w+))?$")
TEST_RE = re.compile(r"^govsites/[\w/]+/tests/test_\w+\.py::\w+(::\w+)?$")


class RegistryError(ValueError):
    """The shipped rule data is malformed (a bug of the data, reported when it is loaded)."""


@dataclass(frozen=True)
class Source:
    """Where a rule comes from: a document by its public name and the part of it."""

    document: str
    part: str
    evidence: str

    def __str__(self) -> str:
        return f"{self.document}{self.part}"


@dataclass(frozen=True)
class Awaiting:
    """A parameter no code reads yet: the open issue whose capability will read it."""

    issue: int
    what: str


@dataclass(frozen=True)
class Parameter:
    """One value a rule owns, with its national default and the code that reads it."""

    key: str
    rule_id: str
    label: str
    type: str
    default: Any
    unit: str
    evidence: str
    nullable: bool
    readers: tuple[str, ...]
    awaiting: Awaiting | None
    note: str
    cluster_only: bool = False

    def check(self, value: Any) -> str:
        """Return why a value does not fit this parameter (in Chinese), or "" when it fits."""
        if value is None:
            return "" if self.nullable else "该参数不能为空"
        return _shape_error(self.type, self.default, value)


@dataclass(frozen=True)
class Rule:
    """One checklist rule."""

    rule_id: str
    area: str
    statement: str
    sources: tuple[Source, ...]
    status: str
    issue: int | None
    enforced_in: tuple[str, ...]
    tests: tuple[str, ...]
    params: tuple[Parameter, ...]
    note: str
    observed: str = ""
    checklist_status: str = ""

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def source_text(self) -> str:
        return "；".join(str(s) for s in self.sources)


@dataclass(frozen=True)
class Area:
    code: str
    title: str


@dataclass(frozen=True)
class VariantValue:
    key: str
    value: Any
    article: str
    note: str


@dataclass(frozen=True)
class Variant:
    """A city's or province's values over the national defaults, each with its article."""

    name: str
    title: str
    document: str
    registry_version: str
    values: dict[str, VariantValue] = field(default_factory=dict)

    def value_of(self, key: str) -> VariantValue | None:
        return self.values.get(key)


@dataclass(frozen=True)
class OpenIssue:
    """A capability still being built: the only issues a rule or a parameter may wait for."""

    number: int
    title: str


@dataclass(frozen=True)
class Registry:
    version: str
    areas: tuple[Area, ...]
    rules: dict[str, Rule]
    params: dict[str, Parameter]
    open_issues: tuple[OpenIssue, ...] = ()

    @property
    def open_issue_numbers(self) -> frozenset[int]:
        return frozenset(issue.number for issue in self.open_issues)

    def rule(self, rule_id: str) -> Rule:
        try:
            return self.rules[rule_id]
        except KeyError:
            raise RegistryError(f"规则 {rule_id} 不在规则登记表中") from None

    def parameter(self, key: str) -> Parameter:
        try:
            return self.params[key]
        except KeyError:
            raise UnknownParameter(key) from None

    def in_area(self, area: str) -> Iterator[Rule]:
        return (r for r in self.rules.values() if r.area == area)


class UnknownParameter(KeyError):
    """A reader asked for a parameter the registry does not declare."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key

    def __str__(self) -> str:
        return f"规则参数“{self.key}”未在规则登记表中声明"


# --- value shapes ----------------------------------------------------------------------------

def _shape_error(kind: str, default: Any, value: Any) -> str:
    if kind == "bool":
        return "" if isinstance(value, bool) else "应为“是”或“否”（true/false）"
    if kind == "int":
        ok = isinstance(value, int) and not isinstance(value, bool)
        if not ok:
            return "应为整数"
        return "" if value >= 0 else "不能为负数"
    if kind == "number":
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if not ok:
            return "应为数字"
        return "" if value >= 0 else "不能为负数"
    if kind == "text":
        return "" if isinstance(value, str) else "应为文字"
    if kind == "list":
        if not isinstance(value, list):
            return "应为列表（JSON 数组）"
        sample = default[0] if isinstance(default, list) and default else None
        if sample is not None:
            for item in value:
                if not _same_json_kind(sample, item):
                    return f"列表中的“{item}”与默认值的元素类型不同"
        return ""
    if kind == "dict":
        if not isinstance(value, dict):
            return "应为键值表（JSON 对象）"
        samples = list(default.values()) if isinstance(default, dict) else []
        if samples:
            for k, item in value.items():
                if item is not None and not any(_same_json_kind(s, item) for s in samples):
                    return f"“{k}”的值与默认值的类型不同"
        return ""
    return f"未知的参数类型 {kind}"


def _same_json_kind(a: Any, b: Any) -> bool:
    def kind(x: Any) -> str:
        if isinstance(x, bool):
            return "bool"
        if isinstance(x, int | float):
            return "number"
        if isinstance(x, str):
            return "text"
        if isinstance(x, list):
            return "list"
        if isinstance(x, dict):
            return "dict"
        return "null"
    return kind(a) == kind(b)


# --- loading ---------------------------------------------------------------------------------

def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise RegistryError(f"无法读取规则数据 {path.name}：{exc}") from exc


def _parse_param(rule_id: str, key: str, spec: dict[str, Any]) -> Parameter:
    if not KEY_RE.match(key):
        raise RegistryError(f"{rule_id}：参数名“{key}”不合格式（小写、以点分隔）")
    kind = spec.get("type", "")
    if kind not in TYPES:
        raise RegistryError(f"{rule_id}：参数 {key} 的类型“{kind}”未知")
    evidence = spec.get("evidence", "")
    if evidence not in EVIDENCE_LABELS:
        raise RegistryError(f"{rule_id}：参数 {key} 的依据标记“{evidence}”未知")
    readers = tuple(spec.get("readers", []))
    for reader in readers:
        if not READER_RE.match(reader):
            raise RegistryError(f"{rule_id}：参数 {key} 的读取位置“{reader}”应为 module:qualname#token")
    awaiting = None
    if spec.get("awaiting"):
        awaiting = Awaiting(issue=int(spec["awaiting"]["issue"]), what=spec["awaiting"]["what"])
    param = Parameter(
        key=key, rule_id=rule_id, label=spec.get("label", ""), type=kind,
        default=spec.get("default"), unit=spec.get("unit", ""), evidence=evidence,
        nullable=bool(spec.get("nullable", False)), readers=readers, awaiting=awaiting,
        note=spec.get("note", ""), cluster_only=bool(spec.get("cluster_only", False)),
    )
    if not param.label:
        raise RegistryError(f"{rule_id}：参数 {key} 缺少中文名称")
    problem = param.check(param.default)
    if problem:
        raise RegistryError(f"{rule_id}：参数 {key} 的全国默认值不合格式：{problem}")
    return param


def _parse_rule(area: str, spec: dict[str, Any]) -> Rule:
    rule_id = spec.get("id", "")
    if not RULE_ID_RE.match(rule_id) or not rule_id.startswith(area + "-"):
        raise RegistryError(f"{area}：规则编号“{rule_id}”不合格式")
    status = spec.get("status", "")
    if status not in STATUSES:
        raise RegistryError(f"{rule_id}：状态“{status}”未知")
    issue = spec.get("issue")
    if status == "OTHER-ISSUE" and not issue:
        raise RegistryError(f"{rule_id}：属其他功能的规则须注明负责的议题编号")
    sources = []
    for source in spec.get("sources", []):
        evidence = source.get("evidence", "")
        if evidence not in EVIDENCE_LABELS:
            raise RegistryError(f"{rule_id}：出处的依据标记“{evidence}”未知")
        sources.append(Source(document=source["document"], part=source.get("part", ""),
                              evidence=evidence))
    if not sources:
        raise RegistryError(f"{rule_id}：缺少出处")
    tests = tuple(spec.get("tests", []))
    for test in tests:
        if not TEST_RE.match(test):
            raise RegistryError(f"{rule_id}：测试编号“{test}”不合格式（path::name）")
    enforced = tuple(spec.get("enforced_in", []))
    params = tuple(_parse_param(rule_id, key, p) for key, p in spec.get("params", {}).items())
    return Rule(
        rule_id=rule_id, area=area, statement=spec.get("statement", ""), sources=tuple(sources),
        status=status, issue=int(issue) if issue else None, enforced_in=enforced, tests=tests,
        params=params, note=spec.get("note", ""), observed=spec.get("observed", ""),
        checklist_status=spec.get("checklist_status", ""),
    )


def load_registry(directory: Path = REGISTRY_DIR) -> Registry:
    """Read and validate the registry files of a directory (the shipped one by default)."""
    index = _read_json(directory / "index.json")
    areas: list[Area] = []
    rules: dict[str, Rule] = {}
    params: dict[str, Parameter] = {}
    for area_spec in index["areas"]:
        area = Area(code=area_spec["code"], title=area_spec["title"])
        areas.append(area)
        data = _read_json(directory / f"{area.code}.json")
        for rule_spec in data["rules"]:
            rule = _parse_rule(area.code, rule_spec)
            if rule.rule_id in rules:
                raise RegistryError(f"规则 {rule.rule_id} 重复")
            if not rule.statement:
                raise RegistryError(f"{rule.rule_id}：缺少规则内容")
            rules[rule.rule_id] = rule
            for param in rule.params:
                if param.key in params:
                    raise RegistryError(f"参数 {param.key} 同时属于 {params[param.key].rule_id} "
                                        f"和 {rule.rule_id}")
                params[param.key] = param
    open_issues = tuple(OpenIssue(number=int(spec["number"]), title=spec["title"])
                        for spec in index.get("open_issues", []))
    return Registry(version=str(index["version"]), areas=tuple(areas), rules=rules,
                    params=params, open_issues=open_issues)


def parse_variant(data: dict[str, Any], registry: Registry, *, origin: str) -> Variant:
    """Validate variant data against the registry (every key declared, every value fitting)."""
    name = data.get("name", "")
    if not name or name == NATIONAL:
        raise RegistryError(f"{origin}：规则变体须有名称（且不能叫 {NATIONAL}）")
    values: dict[str, VariantValue] = {}
    for key, entry in data.get("values", {}).items():
        if key not in registry.params:
            raise RegistryError(f"{origin}：参数“{key}”未在规则登记表中声明")
        if not isinstance(entry, dict) or "value" not in entry or not entry.get("article"):
            raise RegistryError(f"{origin}：参数 {key} 须写成 {{\"value\": …, \"article\": \"第x条\"}}")
        problem = registry.params[key].check(entry["value"])
        if problem:
            raise RegistryError(f"{origin}：参数 {key} 的取值不合格式：{problem}")
        values[key] = VariantValue(key=key, value=entry["value"], article=entry["article"],
                                   note=entry.get("note", ""))
    return Variant(name=name, title=data.get("title", name), document=data.get("document", ""),
                   registry_version=str(data.get("registry_version", "")), values=values)


def load_variant_file(path: Path, registry: Registry) -> Variant:
    """Read and validate one variant file."""
    return parse_variant(_read_json(path), registry, origin=path.name)


@lru_cache(maxsize=1)
def registry() -> Registry:
    """The shipped registry (read once per process)."""
    return load_registry()


@lru_cache(maxsize=1)
def variants() -> dict[str, Variant]:
    """The shipped variant files by name (read once per process)."""
    result: dict[str, Variant] = {}
    for path in sorted(VARIANTS_DIR.glob("*.json")):
        variant = load_variant_file(path, registry())
        if variant.name != path.stem:
            raise RegistryError(f"{path.name}：名称“{variant.name}”应与文件名一致")
        result[variant.name] = variant
    return result


def variant_names() -> list[str]:
    """The national defaults first, then every shipped variant."""
    return [NATIONAL, *variants()]
