"""Template translations: Flask-Babel's, looked up once per rendering language instead of once per string.

Flask-Babel finds the catalogue anew for every `_()` call (about 30 µs); a page has a hundred of them. Here
the catalogue is kept in `g` for the request, and `force_language` (for mail and PDFs in the reader's or
recipient's language) swaps it for the duration of the block.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, g, has_app_context
from flask_babel import force_locale, get_locale, get_translations

_CACHED = ("_translations", "_language")


def _translations():
    translations = g.get("_translations")
    if translations is None:
        translations = g._translations = get_translations()
    return translations


def current_language() -> str:
    """"fr" or "en": the language the current page (or mail, or PDF) is rendered in."""
    if not has_app_context():
        return "fr"
    language = g.get("_language")
    if language is None:
        locale = get_locale()
        language = g._language = locale.language if locale is not None else "fr"
    return language


@contextmanager
def force_language(language: str) -> Iterator[None]:
    previous = {name: g.pop(name) for name in _CACHED if name in g}
    try:
        with force_locale(language):
            yield
    finally:
        for name in _CACHED:
            g.pop(name, None)
        for name, value in previous.items():
            setattr(g, name, value)


def init_app(app: Flask) -> None:
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]  # added by the jinja2.ext.i18n extension
        gettext=lambda message: _translations().ugettext(message),
        ngettext=lambda singular, plural, n: _translations().ungettext(singular, plural, n),
        newstyle=True,
    )
