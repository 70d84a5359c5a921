"""Template translations: Flask-Babel's, looked up once per rendering language instead of once per string.

Flask-Babel finds the catalogue anew for every `_()` call (about 30 µs); a page has a hundred of them. Here
the catalogue is kept in `g` for the request, and `force_language` (for mail and PDFs in the reader's or
recipient's language) swaps it for the duration of the block.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, g, has_app_context
from flask_babel import force_locale, get_locale, get_translations
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

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


# Jinja's "newstyle" gettext, in one call instead of three: Jinja's `_` alias, its wrapper and the catalogue's
# look-up each went through `Context.call` (about 4 µs a string, a hundred strings a page). Same behaviour: the
# translation is marked safe where the template escapes, then always formatted with the named variables (whose
# names may be anything, `message` included: the parameters before them are positional only).
@pass_context
def _gettext(context: Context, message: str, /, **variables: Any) -> str:
    translated = _translations().ugettext(message)
    if context.eval_ctx.autoescape:
        translated = Markup(translated)
    return translated % variables


@pass_context
def _ngettext(context: Context, singular: str, plural: str, num: int, /, **variables: Any) -> str:
    variables.setdefault("num", num)
    translated = _translations().ungettext(singular, plural, num)
    if context.eval_ctx.autoescape:
        translated = Markup(translated)
    return translated % variables


def init_app(app: Flask) -> None:
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]  # added by the jinja2.ext.i18n extension
        gettext=lambda message: _translations().ugettext(message),
        ngettext=lambda singular, plural, n: _translations().ungettext(singular, plural, n),
        newstyle=True,
    )
    app.jinja_env.globals.update(_=_gettext, gettext=_gettext, ngettext=_ngettext)
