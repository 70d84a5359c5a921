"""Static files with a content hash in their names, so that they can be cached for a year."""

import hashlib
import re
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, abort, current_app, has_request_context, request, send_from_directory, url_for

from app import encoded
from app.config import BASE_DIR

STATIC_DIR = BASE_DIR / "static"
_HASHED = re.compile(r"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{12})(?P<suffix>\.[A-Za-z0-9]+)$")
# A name that carries its release ("inter-5.3.0-latin-400-normal.woff2", "govuk-frontend-service-navigation-6.3.0.js"):
# a new release is a new name, so it is cached as long as a hashed one. The stylesheet and modules reach these by
# relative URLs.
_VERSIONED = re.compile(r"-\d+\.\d+\.\d+[.-]")
_digests: dict[str, tuple[float, str]] = {}

bp = Blueprint("static", __name__)
ENDPOINT = "static.serve"  # `serve`, for the hooks that leave static files alone


def _digest(filename: str) -> str:
    """The file's content hash, computed once per process (and again when the file changes, in debug)."""
    cached = _digests.get(filename)
    if cached is not None and not current_app.debug:
        return cached[1]
    path = STATIC_DIR / filename
    mtime = path.stat().st_mtime
    if cached is None or cached[0] != mtime:
        cached = (mtime, hashlib.sha256(path.read_bytes()).hexdigest()[:12])
        _digests[filename] = cached
    return cached[1]


def hashed_name(filename: str) -> str:
    stem, dot, suffix = filename.rpartition(".")
    return f"{stem}.{_digest(filename)}.{suffix}" if dot else filename


# Static URLs already built, by the application's root and the hashed name: a page asks for half a dozen, and
# building one through the URL map costs more than the rest of looking it up.
_urls: dict[tuple[str, str], str] = {}


def asset_url(filename: str) -> str:
    """The URL of a static file, with the hash of its current content in its name."""
    name = hashed_name(filename)
    if not has_request_context():
        return url_for(ENDPOINT, filename=name)
    key = (request.script_root, name)
    url = _urls.get(key)
    if url is None:
        url = _urls[key] = url_for(ENDPOINT, filename=name)
    return url


@lru_cache(maxsize=64)
def category_illustration(category_slug: str) -> str:
    """The decorative picture of a category's course cards (static/img/category/), or the generic one for a
    category that has none yet."""
    name = f"img/category/{category_slug}.svg"
    return name if (STATIC_DIR / name).is_file() else "img/category/default.svg"


# Each static file's body and its compressed forms, by name and content hash: read and compressed once per process.
_bodies: dict[tuple[str, str], dict[str, bytes]] = {}


def _send(filename: str, max_age: int):
    response = send_from_directory(STATIC_DIR, filename, max_age=max_age)
    if response.status_code != 200:  # 304 Not Modified, 206 Partial Content: sent as they are
        return response
    key = (filename, _digest(filename))
    if key not in _bodies:
        response.direct_passthrough = False
        _bodies[key] = {"identity": response.get_data()}  # the files are small
    else:
        response.close()  # the stored body is sent instead of the file opened for it
    return encoded.send(response, _bodies[key], lambda kept: _bodies.__setitem__(key, kept))


@bp.route("/static/<path:filename>")
def serve(filename: str):
    match = _HASHED.match(Path(filename).name)
    if match is None:
        if _VERSIONED.search(Path(filename).name):
            response = _send(filename, max_age=current_app.config["STATIC_MAX_AGE"])
            response.cache_control.immutable = True
            return response
        return _send(filename, max_age=300)
    real = str(Path(filename).with_name(match["stem"] + match["suffix"]))
    if not (STATIC_DIR / real).resolve().is_relative_to(STATIC_DIR.resolve()) or not (STATIC_DIR / real).is_file():
        abort(404)
    if _digest(real) != match["digest"]:
        # An old hash: serve the current file, but never let it be cached under the old name.
        return _send(real, max_age=0)
    response = _send(real, max_age=current_app.config["STATIC_MAX_AGE"])
    response.cache_control.immutable = True
    return response
