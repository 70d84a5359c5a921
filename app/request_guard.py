"""What a request's address may hold, checked once for every page before any view reads it.

- A control character in a path (`/cours/a%00b`) names no page: 404. A NUL in a query (`/cours?q=%00`) is
  refused with 400: PostgreSQL refuses NUL in text, so it would otherwise fail deep in a query. Other control
  characters in a query are left to the views, which treat them as text (a search) or refuse them (`next=`).
- A number in a path (`<int:...>`) above PostgreSQL's `integer` range names no row: 404, instead of a number
  that SQLite cannot bind or that overflows an OFFSET.

Forms are not checked here: their fields refuse such characters with a message next to the field (app.forms).
"""

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter

from app.services.common import safe_text

LARGEST_ID = 2**31 - 1  # PostgreSQL's `integer`, the type of every id and number in a path


class BoundedIntegerConverter(IntegerConverter):
    """`<int:...>` without a max of its own accepts up to LARGEST_ID; above it the address matches no page."""

    def __init__(self, map, fixed_digits=0, min=None, max=LARGEST_ID, signed=False):  # noqa: A002 - werkzeug's names
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def posted_id(name: str) -> int:
    """The id posted in form field `name`, or 0 (which no row has) when it is not a whole number within the ids'
    range: a forged "request_id" of 80 digits finds nothing instead of overflowing the database's integer."""
    value = request.form.get(name, type=int)
    return value if value is not None and 0 < value <= LARGEST_ID else 0


def refuse_bad_address() -> None:
    if safe_text.has_control(request.path):
        abort(404)
    query = request.query_string
    if (b"%00" in query or b"\x00" in query) and any(  # the bytes first: most addresses have no query to parse
            "\x00" in key or "\x00" in value for key, value in request.args.items(multi=True)):
        abort(400)


def init_app(app: Flask) -> None:
    """Before any blueprint is registered: the converter is bound to each rule when the rule is added."""
    app.url_map.converters["int"] = BoundedIntegerConverter
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_bad_address)
