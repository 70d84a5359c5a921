"""English is complete: every string of the interface, as extracted from the code now, has a translation."""

from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
METHOD_MAP = [("app/**.py", "python"), ("app/templates/**.html", "jinja2"), ("app/templates/**.txt", "jinja2")]
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}


def interface_strings() -> set:
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), METHOD_MAP, keywords=KEYWORDS, options_map={"app/templates/**.html": {}}):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


def test_every_interface_string_has_an_english_translation():
    with open(ROOT / "app/translations/en/LC_MESSAGES/messages.po", "rb") as source:
        catalog = read_po(source)
    translated = {m.id for m in catalog if m.id and not m.fuzzy
                  and (m.string if isinstance(m.string, str) else all(m.string))}
    missing = {message for message in interface_strings() if message not in translated}
    assert not missing, f"run `make messages` and translate: {sorted(map(str, missing))[:20]}"


def test_translations_keep_their_placeholders():
    import re

    with open(ROOT / "app/translations/en/LC_MESSAGES/messages.po", "rb") as source:
        catalog = read_po(source)
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(re.findall(r"%\(\w+\)s", ids[-1]))
        for string in strings:
            assert set(re.findall(r"%\(\w+\)s", string)) == expected, message.id
