"""The README's "Layout" section names what is really there, so that it cannot drift from the code."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app"
ENTRY = re.compile(r"^(?P<indent> *)(?P<name>\S+)(?:\s+(?P<text>.*))?$")


def layout_entries() -> dict[str, str]:
    """Each entry of the layout block (`app/services/`, `  billing/`, ...) with its description, continuation lines
    joined; a nested entry is keyed by its full path."""
    readme = (ROOT / "README.md").read_text()
    block = readme.split("## Layout", 1)[1].split("```", 2)[1]
    entries: dict[str, str] = {}
    parent, current = "", None
    for line in block.splitlines():
        if not line.strip():
            continue
        if line.startswith(" " * 20) and current is not None:  # a description's continuation
            entries[current] += " " + line.strip()
            continue
        match = ENTRY.match(line)
        assert match, line
        name = match["name"]
        if match["indent"]:
            current = parent + name
        else:
            current = name
            parent = name if name.endswith("/") else ""
        entries[current] = match["text"] or ""
    return entries


ENTRIES = layout_entries()


def modules_in(folder: Path) -> set[str]:
    return {path.stem for path in folder.glob("*.py") if path.stem != "__init__"} | {
        path.parent.name for path in folder.glob("*/__init__.py")}


def listed_modules(description: str) -> set[str]:
    """A domain's line starts with its modules, comma-separated, then ": " and what the domain owns."""
    names = description.split(":", 1)[0]
    return {name.strip() for name in names.split(",")}


def test_every_service_domain_and_module_is_in_the_layout():
    domains = {path.parent.name for path in (APP / "services").glob("*/__init__.py")}
    listed = {key.split("/")[2] for key in ENTRIES if key.startswith("app/services/") and key.count("/") == 3}
    assert listed == domains
    for domain in domains:
        assert listed_modules(ENTRIES[f"app/services/{domain}/"]) == modules_in(APP / "services" / domain), domain


def test_every_top_level_module_and_folder_of_the_app_is_in_the_layout():
    present = {f"app/{path.name}" for path in APP.glob("*.py")} | {
        f"app/{path.name}/" for path in APP.iterdir() if path.is_dir() and path.name != "__pycache__"}
    named = {key for key in ENTRIES if key.startswith("app/") and key.count("/") <= 2}
    named = {key if key.endswith((".py", "/")) else key + "/" for key in named}
    missing = {path for path in present if path not in named and not any(key.startswith(path) for key in named)}
    assert missing == set()


def test_every_view_module_is_named_in_the_layout():
    description = ENTRIES["app/views/"]
    missing = {name for name in modules_in(APP / "views")
               if not re.search(rf"(?<![\w/]){re.escape(name.lstrip('_'))}\b", description)}
    assert missing == set()


def test_every_entry_of_the_layout_exists():
    ghosts = [key for key in ENTRIES if "/" in key and not (ROOT / key.rstrip("/")).exists()
              and not (ROOT / key.split(" ")[0].rstrip("/")).exists()]
    assert ghosts == []
