"""Coverage of the registry, computed from the registry itself, and its honesty checks.

- Counts per area and status (ENCODED / PARTIAL / ABSENT / OTHER-ISSUE).
- Every ENCODED rule names the code that enforces it and at least one test; each test id must
  resolve to a test function in the source tree (parsed, not imported), each enforcement point
  to an importable object or a template.
- Every parameter is read: each declared reader (`module:qualname#token`) must exist and
  mention the parameter (its key as a string, or the token as a name or string in its source).
  A parameter nothing reads yet must say which open issue will read it (`awaiting`).
- A rule left to another capability (OTHER-ISSUE), or not finished (PARTIAL, ABSENT), and a
  parameter awaiting its reader name an issue that is still open (`index.json`'s
  `open_issues`): once a capability is resolved its rules are re-read against its code.
- Code that asks the rule set for a key (`value(key)` with a literal key) asks for a declared one.
- Sources are cited by public names, never by paths of a working copy.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import io
import re
import textwrap
import tokenize
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .registry import READER_RE, STATUSES, Registry, Rule, Variant

PACKAGE_DIR = Path(__file__).resolve().parents[1]
ROOT_DIR = PACKAGE_DIR.parent
FORBIDDEN_SOURCE_TEXT = ("Ref §", "/work/", "shared/", "../", "requirements-reference")
VALUE_CALL_RE = re.compile(r"""\bvalue\(\s*["']([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)["']""")


@dataclass
class AreaCount:
    code: str
    title: str
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class CoverageReport:
    version: str
    areas: list[AreaCount]
    problems: list[str]
    tests_checked: int
    readers_checked: int
    params_read: int
    params_awaiting: dict[int, list[str]]

    @property
    def ok(self) -> bool:
        return not self.problems

    def totals(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for area in self.areas:
            total.update(area.counts)
        return total


# --- resolving names -------------------------------------------------------------------------

def resolve_object(path: str) -> Any:
    """Import `module:qualname` and return the object; raise LookupError when it does not exist."""
    module_name, _, qualname = path.partition(":")
    try:
        obj: Any = importlib.import_module(module_name)
    except ImportError as exc:
        raise LookupError(f"模块 {module_name} 无法导入：{exc}") from exc
    for part in qualname.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise LookupError(f"{module_name} 中没有 {qualname}") from None
    return obj


def _template_exists(name: str) -> bool:
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template

    try:
        get_template(name)
    except TemplateDoesNotExist:
        return False
    return True


def check_enforcement(point: str) -> str:
    """Return why an enforcement point does not resolve, or ""."""
    if point.startswith("template:"):
        name = point.removeprefix("template:")
        return "" if _template_exists(name) else f"模板 {name} 不存在"
    try:
        resolve_object(point)
    except LookupError as exc:
        return str(exc)
    return ""


@lru_cache(maxsize=256)
def _test_names(path: Path) -> frozenset[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test_"):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) \
                        and item.name.startswith("test_"):
                    names.add(f"{node.name}::{item.name}")
    return frozenset(names)


def check_test(node_id: str, root: Path = ROOT_DIR) -> str:
    """Return why a pytest node id (path::name or path::Class::name) does not resolve, or ""."""
    file_part, _, name = node_id.partition("::")
    path = root / file_part
    if not path.is_file():
        return f"测试文件 {file_part} 不存在"
    if name not in _test_names(path):
        return f"{file_part} 中没有测试 {name}"
    return ""


def _mentions(source: str, wanted: set[str]) -> bool:
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.NAME and tok.string in wanted:
            return True
        if tok.type == tokenize.STRING:
            try:
                literal = ast.literal_eval(tok.string)
            except (ValueError, SyntaxError):
                continue
            if isinstance(literal, str) and literal in wanted:
                return True
    return False


def check_reader(reader: str, key: str) -> str:
    """Return why a declared reader does not read the parameter, or ""."""
    match = READER_RE.match(reader)
    if match is None:
        return f"读取位置“{reader}”格式不对"
    target = f"{match['module']}:{match['qualname']}"
    try:
        obj = resolve_object(target)
    except LookupError as exc:
        return str(exc)
    try:
        source = inspect.getsource(obj)
    except (OSError, TypeError) as exc:
        return f"无法读取 {target} 的源代码：{exc}"
    wanted = {key}
    if match["token"]:
        wanted.add(match["token"])
    try:
        mentioned = _mentions(textwrap.dedent(source), wanted)
    except (tokenize.TokenError, IndentationError) as exc:
        return f"无法解析 {target} 的源代码：{exc}"
    if not mentioned:
        return f"{target} 没有读取 {key}（源代码中找不到 {'、'.join(sorted(wanted))}）"
    return ""


def undeclared_keys(registry: Registry, files: Iterable[Path], *,
                    root: Path = ROOT_DIR) -> list[str]:
    """Keys asked of the rule set with `value("…")` in the product's code but not declared."""
    problems = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        for key in VALUE_CALL_RE.findall(text):
            if key not in registry.params:
                problems.append(f"{path.relative_to(root)} 读取了未登记的参数 {key}")
    return problems


def product_files() -> list[Path]:
    """The product's Python files (tests and migrations excluded)."""
    return sorted(p for p in PACKAGE_DIR.rglob("*.py")
                  if "tests" not in p.parts and "migrations" not in p.parts)


# --- the report ------------------------------------------------------------------------------

def _open_issues_text(registry: Registry) -> str:
    return "、".join(str(n) for n in sorted(registry.open_issue_numbers)) or "无"


def issue_problems(rule: Rule, registry: Registry) -> list[str]:
    """Why a rule or one of its parameters waits for an issue that is not open, if it does."""
    open_now = registry.open_issue_numbers
    problems = []
    if rule.status != "ENCODED" and rule.issue is not None and rule.issue not in open_now:
        problems.append(f"{rule.rule_id}：状态为{rule.status_label}，负责的议题{rule.issue}"
                        f"已不在开放的议题中（开放的议题：{_open_issues_text(registry)}）；"
                        "请按已建成的代码重新核对该规则的状态")
    for param in rule.params:
        if param.awaiting is not None and param.awaiting.issue not in open_now:
            problems.append(f"{param.key}：待议题{param.awaiting.issue}读取，但该议题已不在开放的"
                            f"议题中（开放的议题：{_open_issues_text(registry)}）；"
                            "请注明读取位置，或由议题17负责")
    return problems


def _rule_problems(rule: Rule, root: Path) -> tuple[list[str], int]:
    problems: list[str] = []
    tests = 0
    for text in [s.document + s.part for s in rule.sources] + [rule.note, rule.observed]:
        for bad in FORBIDDEN_SOURCE_TEXT:
            if bad in text:
                problems.append(f"{rule.rule_id}：出处或说明中含有“{bad}”，请按公开名称引用")
    if rule.status == "ENCODED":
        if not rule.tests:
            problems.append(f"{rule.rule_id}：已实现的规则须注明测试")
        if not rule.enforced_in:
            problems.append(f"{rule.rule_id}：已实现的规则须注明实施位置")
    if rule.status in ("PARTIAL", "ABSENT", "OTHER-ISSUE") and not rule.issue:
        problems.append(f"{rule.rule_id}：未完成的规则须注明负责的议题")
    for test in rule.tests:
        tests += 1
        why = check_test(test, root)
        if why:
            problems.append(f"{rule.rule_id}：{why}")
    for point in rule.enforced_in:
        why = check_enforcement(point)
        if why:
            problems.append(f"{rule.rule_id}：实施位置 {point}：{why}")
    return problems, tests


def build_report(registry: Registry, variants: dict[str, Variant], *,
                 root: Path = ROOT_DIR, files: Iterable[Path] | None = None) -> CoverageReport:
    """Count and check the registry (and the variants against it)."""
    areas = {a.code: AreaCount(a.code, a.title) for a in registry.areas}
    problems: list[str] = []
    tests = readers = read = 0
    awaiting: dict[int, list[str]] = {}
    for rule in registry.rules.values():
        areas[rule.area].counts[rule.status] += 1
        found, n = _rule_problems(rule, root)
        problems += found + issue_problems(rule, registry)
        tests += n
        for param in rule.params:
            if param.readers and param.awaiting:
                problems.append(f"{param.key}：已有读取位置，不应同时标为待读取")
            if not param.readers and not param.awaiting:
                problems.append(f"{param.key}：参数没有任何代码读取（未读取的参数是登记表的错误）")
            if param.awaiting:
                awaiting.setdefault(param.awaiting.issue, []).append(param.key)
            if param.readers:
                read += 1
            for reader in param.readers:
                readers += 1
                why = check_reader(reader, param.key)
                if why:
                    problems.append(f"{param.key}：{why}")
    for name, variant in variants.items():
        if variant.registry_version != registry.version:
            problems.append(f"规则变体 {name} 按登记表 {variant.registry_version} 编写，"
                            f"当前登记表为 {registry.version}：请核对后更新")
    problems += undeclared_keys(registry, product_files() if files is None else files)
    return CoverageReport(version=registry.version, areas=list(areas.values()),
                          problems=problems, tests_checked=tests, readers_checked=readers,
                          params_read=read, params_awaiting=awaiting)


def status_columns() -> tuple[str, ...]:
    return STATUSES
