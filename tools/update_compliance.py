"""Rewrite the "test(s)" column of docs/compliance.md from the tests themselves: every test marked
@pytest.mark.clause("CGS-...") is listed on its clause's row, as `path::test_name`. Run by `make compliance`.

Reads the tests' source (ast), never imports them. Recognises the marker written on the test, on its class,
in a module's `pytestmark`, or through a module-level name bound to it (`A2 = pytest.mark.clause("CGS-…")`).
"""

import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MATRIX = ROOT / "docs" / "compliance.md"


def _clauses_of(node: ast.expr, names: dict[str, list[str]]) -> list[str]:
    if isinstance(node, ast.Name):
        return names.get(node.id, [])
    if isinstance(node, ast.List | ast.Tuple):
        return [clause for item in node.elts for clause in _clauses_of(item, names)]
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "clause"
            and node.args and isinstance(node.args[0], ast.Constant)):
        return [node.args[0].value]
    return []


def _visit(body, names: dict[str, list[str]], inherited: list[str], prefix: str, found) -> None:
    for node in body:
        own = [clause for decorator in getattr(node, "decorator_list", []) for clause in _clauses_of(decorator, names)]
        if isinstance(node, ast.ClassDef):
            _visit(node.body, names, inherited + own, f"{prefix}{node.name}::", found)
        elif isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
            for clause in dict.fromkeys(inherited + own):
                found[clause].append(f"`{prefix}{node.name}`")


def marked_tests() -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names: dict[str, list[str]] = {}
        module_clauses: list[str] = []
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                clauses = _clauses_of(node.value, names)
                if node.targets[0].id == "pytestmark":
                    module_clauses += clauses
                elif clauses:
                    names[node.targets[0].id] = clauses
        _visit(tree.body, names, module_clauses, f"{path.relative_to(ROOT).as_posix()}::", found)
    return found


def rewrite(text: str, tests: dict[str, list[str]]) -> str:
    lines = []
    for line in text.splitlines():
        cells = line.split(" | ")
        if line.startswith("| CGS-") and len(cells) >= 4:
            clause = cells[0].removeprefix("| ").strip()
            listed = ", ".join(tests.get(clause, [])) or "—"
            line = " | ".join([*cells[:3], f"{listed} |"])
        lines.append(line)
    return "\n".join(lines) + "\n"


def main() -> int:
    tests = marked_tests()
    text = MATRIX.read_text(encoding="utf-8")
    rows = {line.split(" | ")[0].removeprefix("| ").strip() for line in text.splitlines() if line.startswith("| CGS-")}
    MATRIX.write_text(rewrite(text, tests), encoding="utf-8")
    unknown = sorted(set(tests) - rows)
    if unknown:
        print("Marked in tests but missing from the matrix:", ", ".join(unknown), file=sys.stderr)
        return 1
    print(f"{len(rows)} clauses, {sum(1 for clause in rows if tests.get(clause))} named by tests.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
