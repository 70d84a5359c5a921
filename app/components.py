"""GOV.UK components' HTML kept by their parameters.

The port's macros (govuk_frontend_jinja) are pure: imported without context, what they write depends only on the
parameters they are given. They are also the slowest part of a page (a payment method's radios cost a fifth of the
Premium tab), and most calls repeat: the same labels, the same options, the same tags. So `component(macro, params)`
renders a macro once per distinct parameters and keeps the HTML, bounded, in the process.

The key keeps everything that can change the output: the order of the keys (attributes are written in it), the type
of each value (`True` and `1`, a `Markup` and a `str` with the same text are written differently). Parameters it
cannot read (a Jinja `Undefined`, an object) are not kept: the macro is simply called.
"""

from collections.abc import Callable, Hashable, Mapping
from threading import Lock
from typing import Any

from flask import Flask
from markupsafe import Markup
from wtforms.fields.choices import SelectFieldBase

KEPT_AT_MOST = 4096

_kept: dict[Hashable, Markup] = {}
_lock = Lock()


class _Unkeyable(Exception):
    pass


_SCALARS = frozenset((str, Markup, bool, int, float, type(None)))


def _key(value: Any) -> Hashable:
    kind = type(value)
    if kind is dict:
        if all(type(item) in _SCALARS for item in value.values()):  # most of a long list's items: one pass
            return (dict, tuple((name, type(item), item) for name, item in value.items()))
        return (dict, tuple((name, _key(item)) for name, item in value.items()))
    if kind is list or kind is tuple:
        return (list, tuple(_key(item) for item in value))
    if kind in (str, Markup, bool, int, float) or value is None:
        return (kind, value)
    raise _Unkeyable


def _kept_or_made(key: Hashable, make: Callable[[], Markup]) -> Markup:
    html = _kept.get(key)
    if html is None:
        html = make()
        with _lock:
            if len(_kept) >= KEPT_AT_MOST:
                _kept.pop(next(iter(_kept)))  # the oldest first: a bounded memory, whatever the pages ask
            _kept[key] = html
    return html


def component(macro: Any, params: dict[str, Any]) -> Markup:
    """`macro(params)`, from what is kept when it was called with the same parameters before (a Jinja macro)."""
    try:
        key = (macro.name, _key(params))
    except _Unkeyable:
        return Markup(macro(params))
    return _kept_or_made(key, lambda: Markup(macro(params)))


def select_component(macro: Any, params: dict[str, Any], field: SelectFieldBase) -> Markup:
    """`component(macro, params)` with the field's options as `items`, which are read only when this select, with
    these choices and this value, was not kept before: a list of time zones has hundreds of options. The choices
    and the value decide which options there are and which is selected (with the field's `coerce`)."""
    def make() -> Markup:
        return Markup(macro(dict(params, items=select_items(field))))

    try:
        if not isinstance(field.choices, list | tuple):  # option groups (a dict), or choices given by a function
            raise _Unkeyable
        key = (macro.name, _key(params), field.coerce, tuple(field.choices), _key(field.data))
        hash(key)  # a choice's own attributes (a dict) cannot be a key
    except (_Unkeyable, TypeError):
        return make()
    return _kept_or_made(key, make)


def govuk_attributes(attrs: Mapping[str, Any]) -> dict[str, Any]:
    """GOV.UK's `attributes` param as WTForms renders attributes: true is the bare attribute, false or none leaves
    it out."""
    return {name: {"value": True, "optional": True} if value is True else value
            for name, value in attrs.items() if value is not None and value is not False}


def select_items(field: SelectFieldBase) -> list[dict[str, Any]]:
    """A WTForms select's choices as GOV.UK's `items`, in Python: a list of time zones has hundreds."""
    items = [{"value": value, "text": text, "selected": selected} for value, text, selected, _ in field.iter_choices()]
    for item, (*_, render_kw) in zip(items, field.iter_choices(), strict=True):
        if render_kw:  # rare: the other items stay flat, quick to key
            item["attributes"] = govuk_attributes(render_kw)
    return items


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(component=component, select_component=select_component,
                                  govuk_attributes=govuk_attributes)
