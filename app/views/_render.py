"""Rendering helpers shared by the views."""

from urllib.parse import urlsplit

from flask import current_app, make_response, render_template, request


def page_or_partial(page: str, partial: str, **context):
    """The whole page, or only its fragment for a non-boosted HTMX request (same URL, same markup)."""
    wants_fragment = bool(request.headers.get("HX-Request")) and not request.headers.get("HX-Boosted")
    response = make_response(render_template(partial if wants_fragment else page, **context))
    response.vary.add("HX-Request")
    return response


def safe_next(target: str | None, default: str) -> str:
    """A redirect target on this site only: a path, never another host or scheme."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def public_url(path: str) -> str:
    """An absolute link for mail, from the configured address, never from the request's Host header
    (which an attacker could set to steal a password-reset token)."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path
