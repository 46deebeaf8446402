"""One command line, one home per concept (issue 14, item 3): only `data_access/cli.py` prints or parses
arguments; `__main__` only calls it; permissions never depend on account storage or the command line."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

CORE = ROOT / "data_access"


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _imported_modules(tree: ast.Module) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_only_the_command_line_prints_or_parses_arguments() -> None:
    offenders: list[str] = []
    for path in sorted(CORE.glob("*.py")):
        if path.name == "cli.py":
            continue
        tree = _tree(path)
        offenders += [f"{path.name}:{node.lineno} print()" for node in ast.walk(tree)
                      if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print"]
        if "argparse" in _imported_modules(tree):
            offenders.append(f"{path.name} imports argparse")
    assert offenders == []
    # The guard sees what it is looking for: cli.py itself does both.
    cli = _tree(CORE / "cli.py")
    assert "argparse" in _imported_modules(cli)
    assert any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "print" for n in ast.walk(cli))


def test_main_module_only_calls_cli_main() -> None:
    tree = _tree(CORE / "__main__.py")
    assert _imported_modules(tree) == {"sys", "data_access.cli"}
    assert not [n for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef)]


def test_permissions_do_not_depend_on_accounts_or_the_command_line() -> None:
    imported = _imported_modules(_tree(CORE / "permissions.py"))
    assert not imported & {"data_access.accounts", "data_access.cli", "data_access.throttle"}
    assert not (CORE / "auth.py").exists() and not (CORE / "cli_user.py").exists()
