"""Each distinct document rendered by WeasyPrint once per test process.

The fixtures make the same contracts, invoices, certificates and terms test after test: the rolled-back
transaction hands out the same numbers, names and dates again, so most PDFs the suite asks for are byte for byte the
HTML of a PDF it has already rendered (in three modules measured, 196 renders of 20 distinct documents, a third of
their time). `pdf.render_pdf` is wrapped for the whole session: the same HTML and variant give back the bytes
WeasyPrint made for them the first time; anything else is rendered. A test that watches WeasyPrint's own messages
(`weasyprint_errors`) renders afresh.
"""

import hashlib
from collections.abc import Callable
from threading import Lock

KEPT_AT_MOST = 256  # bounded, whatever the number of tests a process runs


class RenderedOnce:
    def __init__(self, render: Callable[[str, str], bytes]) -> None:
        self.render = render
        self.fresh = False
        self._kept: dict[bytes, bytes] = {}
        self._lock = Lock()  # the browser tests' live server renders in its own threads

    def __call__(self, html: str, variant: str = "pdf/ua-1") -> bytes:
        if self.fresh:
            return self.render(html, variant)
        key = hashlib.sha256(f"{variant}\x00{html}".encode()).digest()
        document = self._kept.get(key)
        if document is None:
            document = self.render(html, variant)
            with self._lock:
                if len(self._kept) >= KEPT_AT_MOST:
                    self._kept.pop(next(iter(self._kept)))
                self._kept[key] = document
        return document
