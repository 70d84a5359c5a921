"""Static files with a content hash in their names, so that they can be cached for a year."""

import hashlib
import re
from pathlib import Path

from flask import Blueprint, abort, current_app, send_from_directory, url_for

from app.config import BASE_DIR

STATIC_DIR = BASE_DIR / "static"
_HASHED = re.compile(r"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{12})(?P<suffix>\.[A-Za-z0-9]+)$")
_digests: dict[str, tuple[float, str]] = {}

bp = Blueprint("static", __name__)


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


def asset_url(filename: str) -> str:
    """The URL of a static file, with the hash of its current content in its name."""
    return url_for("static.serve", filename=hashed_name(filename))


def _send(filename: str, max_age: int):
    response = send_from_directory(STATIC_DIR, filename, max_age=max_age)
    # Read into memory (the files are small) so that Flask-Compress gzips CSS and JS like the pages:
    # it does not gzip streamed responses.
    response.direct_passthrough = False
    response.make_sequence()
    return response


@bp.route("/static/<path:filename>")
def serve(filename: str):
    match = _HASHED.match(Path(filename).name)
    if match is None:
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
