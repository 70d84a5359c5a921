"""The shape of the code, kept by a test: layers, the services' domains and their allowed dependencies, no
import cycle, and no import inside a function to hide one."""

import ast
import re
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app"

# Each domain of app/services and the domains it may import; `common` knows no domain. `demo` (the demo loader)
# sits above them all.
ALLOWED = {
    "common": set(),
    "payments": {"common"},
    "legal": {"common"},
    "catalog": {"common"},
    "support": {"common"},
    "accounts": {"common", "legal"},
    "commerce": {"common", "legal", "accounts", "payments", "catalog"},
    "billing": {"common", "legal", "accounts", "payments", "commerce"},
    "exits": {"common", "payments", "commerce", "billing"},
    "learning": {"common", "commerce", "catalog", "mentoring"},
    "community": {"common", "commerce", "learning", "catalog"},
    "privacy": {"common", "legal", "learning", "accounts", "commerce"},
    "mentoring": {"common", "accounts", "commerce", "catalog"},
    "guardianship": {"common", "legal", "accounts", "payments", "commerce", "billing", "exits"},
}
TOP_OF_SERVICES = {"demo"}
# What a service may never import: it is request-free and knows nothing of forms or views.
REQUEST_NAMES = {"request", "session", "g"}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def app_modules() -> dict[str, Path]:
    return {module_name(path): path for path in APP.rglob("*.py")}


MODULES = app_modules()


def resolve(importer: str, node: ast.ImportFrom | ast.Import) -> list[str]:
    """The app modules an import statement names (`from app.services.common import clock` names
    app.services.common.clock; `from app.services.common.clock import now` names app.services.common.clock)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names if alias.name.split(".")[0] == "app"]
    base = node.module or ""
    if node.level:
        package = importer if MODULES[importer].name == "__init__.py" else importer.rsplit(".", 1)[0]
        for _ in range(node.level - 1):
            package = package.rsplit(".", 1)[0]
        base = f"{package}.{base}" if base else package
    if base.split(".")[0] != "app":
        return []
    named = [f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in MODULES]
    return named or [base]


def imports_of(module: str) -> tuple[set[str], list[tuple[int, str]]]:
    """Module-level imports of app modules, and imports of app modules made inside a function."""
    tree = ast.parse(MODULES[module].read_text())
    top: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            top.update(resolve(module, node))
        elif isinstance(node, ast.If):  # `if TYPE_CHECKING:` blocks count as module level
            for inner in ast.walk(node):
                if isinstance(inner, (ast.Import, ast.ImportFrom)):
                    top.update(resolve(module, inner))
    inside: list[tuple[int, str]] = []
    for function in ast.walk(tree):
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for inner in ast.walk(function):
                if isinstance(inner, (ast.Import, ast.ImportFrom)):
                    inside += [(inner.lineno, name) for name in resolve(module, inner)]
    return top, inside


GRAPH = {module: imports_of(module)[0] for module in MODULES}


def domain_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[:2] != ["app", "services"] or len(parts) < 3:
        return None
    return parts[2]


def test_every_service_module_lives_in_a_domain_package():
    loose = [module for module, path in MODULES.items()
             if domain_of(module) is not None and len(module.split(".")) == 3 and path.name != "__init__.py"
             and domain_of(module) not in TOP_OF_SERVICES]
    assert loose == []
    packages = {path.parent.name for path in (APP / "services").glob("*/__init__.py")}
    assert packages == set(ALLOWED)


def test_each_domain_says_what_it_owns():
    for domain in ALLOWED:
        docstring = ast.get_docstring(ast.parse((APP / "services" / domain / "__init__.py").read_text()))
        assert docstring and len(docstring) > 40, domain


def test_domains_import_only_what_they_may():
    wrong = []
    for module, imported in GRAPH.items():
        domain = domain_of(module)
        if domain is None or domain in TOP_OF_SERVICES:
            continue
        for target in imported:
            target_domain = domain_of(target)
            if target_domain in TOP_OF_SERVICES:
                wrong.append(f"{module} -> {target}")
            elif target_domain and target_domain != domain and target_domain not in ALLOWED[domain]:
                wrong.append(f"{module} -> {target}")
    assert wrong == []


@pytest.mark.parametrize("layer, forbidden", [
    ("app.models", ("app.services", "app.views", "app.forms", "app.web", "app.jobs", "app.cli")),
    ("app.services", ("app.views", "app.forms", "app.web", "app.jobs", "app.cli")),
    ("app.forms", ("app.views", "app.web")),
])
def test_lower_layers_never_import_higher_ones(layer, forbidden):
    wrong = [f"{module} -> {target}" for module, imported in GRAPH.items()
             if module == layer or module.startswith(layer + ".")
             for target in imported if target.startswith(forbidden)]
    assert wrong == []


def test_services_never_touch_the_request():
    wrong = []
    for module, path in MODULES.items():
        if domain_of(module) is None:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module == "flask":
                wrong += [f"{module}: flask.{alias.name}" for alias in node.names if alias.name in REQUEST_NAMES]
    assert wrong == []


def test_no_import_cycle_between_modules():
    # Importing a package runs its __init__, so an edge to app.services.billing.renewals also reaches
    # app.services.billing (and app.services); cycles through an __init__ count.
    edges: dict[str, set[str]] = defaultdict(set)
    for module, imported in GRAPH.items():
        for target in imported:
            if target in MODULES and target != module:
                edges[module].add(target)
    cycles = []
    state: dict[str, int] = {}

    def visit(module: str, stack: list[str]) -> None:
        state[module] = 1
        for target in sorted(edges[module]):
            if state.get(target) == 1:
                cycles.append(" -> ".join(stack[stack.index(target):] + [target]))
            elif target not in state:
                visit(target, stack + [target])
        state[module] = 2

    for module in sorted(MODULES):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_no_app_import_inside_a_function():
    """An import inside a function is how a cycle hides; the application factory is the one place that wires
    everything together at call time."""
    wrong = [f"{module}:{line} imports {name}" for module in MODULES if module != "app"
             for line, name in imports_of(module)[1]]
    assert wrong == []


@pytest.mark.parametrize("pattern, home", [
    (r"ZoneInfo\(|\"Europe/Paris\"", "app/time_zone.py"),  # Paris time
    (r"HX-Request\"\)|htmx\.boosted|headers\.get\(\"HX-", "app/views/_render.py"),  # is this an htmx swap?
    (r"\.paginate\(|^class Page\b|\boffset\(", "app/services/common/pages.py"),  # one page of a list
    (r"\bis_staff\b", "app/views/staff.py"),  # the views' one test of who reaches the back office
])
def test_shared_plumbing_has_one_home(pattern, home):
    where = APP / "views" if home.startswith("app/views") else APP
    found = sorted({str(path.relative_to(ROOT)) for path in where.rglob("*.py")
                    if re.search(pattern, path.read_text(), re.MULTILINE)})
    assert found == [home]
