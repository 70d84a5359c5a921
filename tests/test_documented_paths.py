"""Every file of the code that the documentation points at exists, so that a move cannot leave a page pointing
nowhere (the compliance matrix says where each clause is implemented)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), *sorted((ROOT / "bench").glob("*.md"))]
PATH = re.compile(r"(?<![\w/.-])((?:app|tests|tools|bench|migrations|static)/[\w./*-]*[\w*])")
GENERATED = {"bench/results/latest.json"}  # written by `make bench`


def exists(path: str) -> bool:
    """A file, a glob (`cgs.*.md`), a module (`app/services/billing/renewals`) or a name defined in a module
    (`app/views/_render.cached_page`, `app/services/exits/withdrawal.WITHDRAWAL_PERIOD`)."""
    if path in GENERATED or any(ROOT.glob(path)) or (ROOT / f"{path}.py").exists():
        return True
    module, _, name = path.rpartition(".")
    source = ROOT / f"{module}.py"
    if not name or not source.exists():
        return False
    return re.search(rf"^(\s*(def|class) {name}\b|{name}\b.*=)", source.read_text(), re.MULTILINE) is not None


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_every_path_a_document_names_exists(document):
    missing = sorted({path for path in PATH.findall(document.read_text()) if not exists(path)})
    assert missing == []
