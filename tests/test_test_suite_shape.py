"""The shape of the test suite: a test module is never another's library (what tests share lives in conftest.py
fixtures or in support modules such as tests/factories.py), each shared helper is written once, and the suite's
memory of rendered PDFs (tests/rendered_once.py) gives one back only for the same HTML."""

import ast
from collections import Counter
from pathlib import Path

from tests.rendered_once import RenderedOnce

TESTS = Path(__file__).parent
ROOT = TESTS.parent


def modules() -> dict[str, ast.Module]:
    """Every Python module under tests/, parsed, by its dotted name."""
    parsed = {}
    for path in sorted(TESTS.rglob("*.py")):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        parsed[name] = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return parsed


def imported_names(tree: ast.Module) -> set[str]:
    """The dotted names of every module an import statement of `tree` may load, at any depth (in functions too);
    for `from package import name`, both the package and `package.name`, which may be a module."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def is_test_module(name: str) -> bool:
    return name.startswith("tests.") and name.rsplit(".", 1)[-1].startswith("test_")


def test_no_module_imports_a_test_module():
    parsed = modules()
    offences = sorted(f"{importer} imports {imported}" for importer, tree in parsed.items()
                      for imported in imported_names(tree) if is_test_module(imported) and imported in parsed)
    assert not offences, "a test module is imported; move what is shared to a conftest.py or a support module:\n" + \
        "\n".join(offences)


def test_each_shared_page_helper_is_defined_once():
    definitions = Counter(node.name for tree in modules().values() for node in ast.walk(tree)
                          if isinstance(node, ast.FunctionDef) and node.name in {"soup_of", "make_user"})
    assert definitions == {"soup_of": 1, "make_user": 1}, definitions


def test_the_checks_see_an_import_of_a_test_module_in_either_form():
    # The two ways the suite used to import test modules, so that the check above cannot pass by missing them.
    tree = ast.parse("from tests.browser import test_keyboard\n"
                     "def f():\n    from tests.services.test_billing import subscribe\n")
    assert {name for name in imported_names(tree) if is_test_module(name)} == {
        "tests.browser.test_keyboard", "tests.services.test_billing"}


def test_a_pdf_is_given_back_only_for_the_same_html_and_variant():
    rendered = []

    def render(html: str, variant: str) -> bytes:
        rendered.append((html, variant))
        return f"{variant}|{html}".encode()

    once = RenderedOnce(render)
    assert once("<p>a</p>") == once("<p>a</p>") == b"pdf/ua-1|<p>a</p>"
    assert once("<p>b</p>") == b"pdf/ua-1|<p>b</p>"
    assert once("<p>a</p>", "pdf/a-3b") == b"pdf/a-3b|<p>a</p>"
    once.fresh = True  # a test that watches WeasyPrint's messages
    once("<p>a</p>")
    assert rendered == [("<p>a</p>", "pdf/ua-1"), ("<p>b</p>", "pdf/ua-1"), ("<p>a</p>", "pdf/a-3b"),
                        ("<p>a</p>", "pdf/ua-1")]
