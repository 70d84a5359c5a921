"""Bodies served again and again (the cached catalogue pages, the static files) are compressed once per encoding
and kept with the body, instead of on every response as Flask-Compress does for the pages rendered per request."""

import gzip
from collections.abc import Callable
from functools import lru_cache

import brotli
from flask import Response, current_app, request
from werkzeug.http import parse_accept_header

from app.http_headers import vary_also_on

# In the order they are offered: Brotli is smaller, gzip is understood by every client that compresses.
ENCODINGS = ("br", "gzip")
_COMPRESS: dict[str, Callable[[bytes], bytes]] = {
    # Flask-Compress's own levels: a page seen once (a new search) costs what it would have cost anyway.
    "br": lambda body: brotli.compress(body, quality=4),
    "gzip": lambda body: gzip.compress(body, compresslevel=6, mtime=0),
}


def _worth_it(body: bytes, mimetype: str) -> bool:
    config = current_app.config
    return mimetype in config["COMPRESS_MIMETYPES"] and len(body) >= config["COMPRESS_MIN_SIZE"]


@lru_cache(maxsize=256)
def _best_encoding(accept_encoding: str) -> str:
    """The encoding for a browser's `Accept-Encoding`: browsers send a handful of them, and parsing one cost more
    than the rest of serving a kept page."""
    accepted = parse_accept_header(accept_encoding)
    return next((name for name in ENCODINGS if accepted[name] > 0), "identity")


def send(response: Response, stored: dict[str, bytes], keep: Callable[[dict[str, bytes]], object]) -> Response:
    """`response` with a stored body (`stored["identity"]`) in the best encoding the client accepts. An encoding
    asked for the first time is made here and handed to `keep(stored)` to be stored with the body."""
    encoding = "identity"
    if _worth_it(stored["identity"], response.mimetype or ""):
        encoding = _best_encoding(request.headers.get("Accept-Encoding", ""))
    if encoding not in stored:
        stored[encoding] = _COMPRESS[encoding](stored["identity"])
        keep(stored)
    response.set_data(stored[encoding])
    if encoding != "identity":
        response.headers["Content-Encoding"] = encoding  # Flask-Compress leaves an encoded response alone
        etag, weak = response.get_etag()
        if etag and not weak:  # a strong validator names one representation, as Flask-Compress's do
            response.set_etag(f"{etag}:{encoding}")
    vary_also_on(response.headers, "Accept-Encoding")
    return response
