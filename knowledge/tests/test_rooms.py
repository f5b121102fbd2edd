"""The knowledge room imports ``contracts`` only of ours (CONVENTIONS.md): the desk and the portal
import it, never the reverse."""

from __future__ import annotations

import ast
from pathlib import Path

OURS = {"sma", "contracts", "cases", "escalation", "warranty", "knowledge", "portal", "reports", "api"}
ALLOWED = {"contracts", "knowledge"}


def test_knowledge_imports_only_contracts() -> None:
    root = Path(__file__).resolve().parent.parent
    wrong = []
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top in OURS and top not in ALLOWED:
                    wrong.append(f"{path.name}: {name}")
    assert not wrong, wrong
