"""Rendering helpers shared by the views."""

from collections import OrderedDict
from collections.abc import Callable, Mapping
from threading import Lock
from typing import TypeVar
from urllib.parse import urlencode, urlsplit

from flask import after_this_request, current_app, g, make_response, redirect, render_template, request, session
from flask_login import login_url
from markupsafe import Markup

from app import encoded
from app.extensions import cache, htmx
from app.http_headers import vary_also_on
from app.i18n import current_language
from app.services.common import safe_text
from app.services.common.links import absolute as public_url  # noqa: F401 - the views' name for it
from app.web import is_unsupported_browser

# The request headers that decide between a page and a fragment: every answer that may be either says so.
FRAGMENT_HEADERS = ("HX-Request", "HX-Boosted", "HX-History-Restore-Request")


def _says_it_varies(response):
    vary_also_on(response.headers, *FRAGMENT_HEADERS)
    return response


def asked_by_htmx() -> bool:
    """Whether htmx sent this request. Asking is what makes the answer depend on the htmx headers, so the answer
    says so (`Vary`), whatever the view then returns (a page, a fragment, a redirect, an empty `HX-Refresh`): a
    cache or the browser never gives one in place of the other. Views ask here or `wants_fragment()`, never
    `htmx` itself."""
    if not g.get("varies_with_htmx"):
        g.varies_with_htmx = True
        after_this_request(_says_it_varies)
    return bool(htmx)


def wants_fragment() -> bool:
    """The one test of an htmx request: a non-boosted one swaps a part of the page, so it gets that part alone.
    A boosted link or form loads a whole page, like a browser without JavaScript; so does Back or Forward when
    htmx has no copy of the page and asks for it again (a history restore), which the fragment alone would
    leave without its header, heading or form."""
    return asked_by_htmx() and not htmx.boosted and not htmx.history_restore_request


def page_or_fragment(page: str, fragment: str, **context):
    """The whole page, or only its fragment for a non-boosted HTMX request (same URL, same markup: the page
    includes the fragment)."""
    return make_response(render_template(fragment if wants_fragment() else page, **context))


def whole_page_redirect(location: str):
    """A redirect the browser follows in the whole window: for htmx, `HX-Redirect` (a plain redirect would be
    followed inside the request, and the next page would land inside the part being updated)."""
    if not asked_by_htmx():
        return redirect(location)
    response = make_response("", 200)
    response.headers["HX-Redirect"] = location
    return response


def sign_in_first(login_view: str):
    """Where a request that needs a signed-in person goes (the session ended, or it never began): the sign-in
    page, then back. A request made by htmx is told to load that page in the whole window (`HX-Redirect`):
    followed inside the request, the sign-in page would land inside a dialog or a list. It then comes back to the
    page the person was on, not to the fragment's address."""
    if not asked_by_htmx():
        return redirect(login_url(login_view, safe_next(request.full_path.rstrip("?"), None)))
    here = urlsplit(htmx.current_url or "")
    return whole_page_redirect(login_url(login_view, safe_next(f"{here.path}?{here.query}" if here.query
                                                               else here.path, None)))


class _Doorkeeper:
    """The addresses asked for once, process-wide, the oldest forgotten first: a search typed once (the live search
    asks on each pause in typing, and every query is new) is rendered but not kept, so that a flood of them never
    pushes the catalogue's pages, cards and index out of the cache. Asked twice, it is kept."""

    REMEMBERS = 10_000

    def __init__(self) -> None:
        self._asked: OrderedDict[str, None] = OrderedDict()
        self._lock = Lock()

    def asked_before(self, key: str) -> bool:
        with self._lock:
            if key in self._asked:
                return True
            self._asked[key] = None
            if len(self._asked) > self.REMEMBERS:
                self._asked.popitem(last=False)
            return False


def _doorkeeper() -> _Doorkeeper:
    doorkeeper = current_app.extensions.get("page_doorkeeper")
    if doorkeeper is None:  # the application's first search; setdefault keeps one if two threads get here
        doorkeeper = current_app.extensions.setdefault("page_doorkeeper", _Doorkeeper())
    return doorkeeper


def _cached(key: str, render: Callable[[], dict], keep: bool) -> dict:
    value = cache.get(key)
    if value is None:
        value = render()
        if keep:
            cache.set(key, value)
    return value


def cached_page(main: str, load: Callable[[], dict], partial: str | None = None,
                params: Mapping[str, str | int] | None = None, typed: bool = False):
    """A public page whose content depends only on its path, `params` and language (catalogue, course,
    Parcours).

    The content is rendered once from `load()` (which queries the database and may abort) and kept in the
    cache, under the page's path and the `params` the view reads: any other query parameter (`utm_source`, a
    click id) neither splits the cache nor reaches the cached page. `load()` returns the template context with
    the page's `title`. A non-boosted HTMX request gets `partial` alone (same URL, same markup). The frame
    around the content shows who is signed in, so it is rendered per request, except for a visitor without a
    session (no account, no message waiting), the usual reader of the catalogue, who gets the whole page from
    the cache, compressed once. A page whose `params` hold text `typed` by the reader (a search) is kept from its
    second request only.
    """
    template = partial if partial and wants_fragment() else main
    kept = {name: value for name, value in (params or {}).items() if value not in ("", None)}
    here = f"{request.path}?{urlencode(kept)}" if kept else request.path
    key = f"page:{template}:{current_language()}:{here}"
    keep = not typed or _doorkeeper().asked_before(key)

    def render_content() -> dict:
        context = load()
        return {"title": str(context["title"]), "html": render_template(template, **context)}

    def render_frame() -> str:
        content = _cached(key, render_content, keep)
        return render_template("layouts/cached_page.html", title=content["title"], main=Markup(content["html"]),
                               here=here)

    if template == partial:
        response = make_response(_cached(key, render_content, keep)["html"])
    elif not session and keep:  # no session: nobody signed in (`may_be_signed_in`), no form token, no language chosen
        frame_key = f"{key}:visitor:{is_unsupported_browser()}"
        stored = cache.get(frame_key)
        if stored is None:
            stored = {"identity": render_frame().encode()}
            cache.set(frame_key, stored)
        response = encoded.send(make_response(""), stored, lambda kept_encodings: cache.set(frame_key, kept_encodings))
    else:  # compressed after the view, like any page rendered for one request
        response = make_response(render_frame())
    vary_also_on(response.headers, *FRAGMENT_HEADERS, "Cookie")
    return response


def prose_page(title: str, content: str):
    """A page of editorial text kept per language in `<content>.fr.html` and `<content>.en.html`."""
    return render_template("layouts/prose_page.html", title=title, content=content)


Default = TypeVar("Default", str, None)


def safe_next(target: str | None, default: Default) -> str | Default:
    """A redirect target on this site only: a path, never another host or scheme, nor a control character
    (a line break would end the Location header; browsers drop a tab, turning "/\t/host" into "//host")."""
    if not target or safe_text.has_control(target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target

