"""The ceiling: the cheapest page this Flask + gunicorn setup can serve.

It answers one constant HTML page of about 2 KB with no database, no templates and no extensions,
so its requests per second are the upper bound the portal's pages are compared against.
"""

from flask import Flask

# Padded to ~2 KB so the bytes on the wire are of the same order as a small portal page.
_FILLER = "<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.</p>\n" * 21
PAGE = (
    "<!doctype html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Plafond</title></head>\n"
    f"<body><h1>Plafond</h1>\n{_FILLER}</body></html>\n"
)

app = Flask(__name__)


@app.route("/")
def index():
    return PAGE, 200, {"Content-Type": "text/html; charset=utf-8"}
