"""The monitoring package ships product code only: fakes that only tests use live in tests/."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]


def test_no_product_module_of_monitoring_defines_a_fake() -> None:
    offenders = []
    for module in sorted(PACKAGE.rglob("*.py")):
        if "tests" in module.relative_to(PACKAGE).parts:
            continue
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and node.name.startswith("Fake"):
                offenders.append(f"{module.relative_to(PACKAGE)}: {node.name}")
    assert offenders == []
