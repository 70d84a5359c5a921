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
        for index, string in enumerate(strings):
            source = ids[min(index, len(ids) - 1)]  # msgstr[0] translates the singular, the others the plural
            expected = set(re.findall(r"%\(\w+\)s", source))
            found = set(re.findall(r"%\(\w+\)s", string))
            # A plural form may leave the count out ("every month"), never add or lose another value.
            assert found - {"%(num)s"} == expected - {"%(num)s"} and found <= expected, message.id


def test_catalogues_pass_babels_own_checks():
    """What `pybabel compile` refuses (a placeholder a form cannot fill, a broken format) fails here first."""
    for language in ("en", "fr"):
        with open(ROOT / f"app/translations/{language}/LC_MESSAGES/messages.po", "rb") as source:
            catalog = read_po(source, locale=language)
        problems = [(message.id, [str(error) for error in errors]) for message, errors in catalog.check()]
        assert not problems, (language, problems[:5])


def test_template_translations_take_any_variable_name_and_escape_the_values(app):
    """`_()` in one call (app/i18n.py) behaves as Jinja's own: a variable may be called `message` or `num`, values
    are escaped, and `%%` always gives `%`."""
    template = app.jinja_env.from_string(
        '{{ _("Question %(num)s : %(message)s", num=2, message="<b>vide</b>") }}|{{ _("100 %%") }}|'
        '{{ ngettext("%(num)s cours", "%(num)s cours trouvés", 3) }}|'
        '{{ ngettext("%(num)s fois", "%(num)s fois", 2, num=5) }}')
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        assert template.render() == "Question 2 : &lt;b&gt;vide&lt;/b&gt;|100 %|3 cours trouvés|5 fois"
