"""The frame around every page, its header and footer, rendered once for each of their variants instead of on
every request (about a fifth of a signed-in page's time).

The header varies with the language, the page (its menu item marked current), who is signed in (mentor, staff,
unread messages), the address the language switch returns to and the sign-out form's CSRF token. The last two are
written into the stored header on each request (a search's address is new each time; no person may ever get
another's token); everything else is the key. The footer varies with the language alone. Each application keeps
its own (its settings decide the addresses and the company's details); in debug mode templates are read again, so
nothing is kept.
"""

from functools import lru_cache

from flask import Flask, current_app, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from app.i18n import current_language

# Never written by a template (a NUL is refused in every input), so they cannot match anything but their places.
_TOKEN_PLACE = "\x00csrf-token\x00"
_LANGUAGE_LINK_PLACE = "\x00language-link-{}\x00"
# A few variants per page and kind of person: enough for the pages in use, bounded for addresses with queries.
_HEADERS_KEPT = 2048


def _render_header(language: str, endpoint: str | None, signed_in: bool, mentor: bool, staff: bool,
                   unread: int) -> str:
    # The arguments are the key: the template reads the same facts from the request being served.
    places = {code: _LANGUAGE_LINK_PLACE.format(code) for code in current_app.config["LANGUAGES"]}
    return render_template("components/_site_header.html", language_links=places, csrf_token=lambda: _TOKEN_PLACE)


def _render_footer(language: str) -> str:
    return render_template("components/_site_footer.html")


class Frame:
    def __init__(self, keep: bool) -> None:
        self.header = lru_cache(maxsize=_HEADERS_KEPT)(_render_header) if keep else _render_header
        self.footer = lru_cache(maxsize=4)(_render_footer) if keep else _render_footer


def _frame() -> Frame:
    return current_app.extensions["frame"]


def site_header(here: str | None = None) -> Markup:
    """The header for this request; `here` is the address the language switch returns to (the page's own by
    default)."""
    user = current_user
    signed_in = bool(user.is_authenticated)
    language = current_language()
    header = _frame().header(language, request.endpoint, signed_in, signed_in and bool(user.is_mentor),
                             signed_in and bool(user.is_staff), (user.unread_messages or 0) if signed_in else 0)
    back_to = here or request.full_path.rstrip("?")
    for code in current_app.config["LANGUAGES"]:
        if code != language:
            link = url_for("main.set_language", code=code, next=back_to)
            header = header.replace(_LANGUAGE_LINK_PLACE.format(code), str(escape(link)))
    return Markup(header.replace(_TOKEN_PLACE, generate_csrf()) if signed_in else header)


def site_footer() -> Markup:
    return Markup(_frame().footer(current_language()))


def init_app(app: Flask) -> None:
    app.extensions["frame"] = Frame(keep=not app.debug)
    app.jinja_env.globals.update(site_header=site_header, site_footer=site_footer)
