"""PDF rendering with WeasyPrint, behind one function. Only local files under static/ may be fetched."""

import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from app.config import BASE_DIR
from app.services.common import safe_text

STATIC_DIR = (BASE_DIR / "static").resolve()


class LocalStaticFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no type information
    """Refuses every URL except files inside the project's static folder (no network, no other file) and
    `data:` URLs, whose content is inline (e.g. a certificate's QR code)."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=["file", "data"])

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if static_file(url) is None:
            raise ValueError(f"refused outside static/: {url}")
        return super().fetch(url, headers)


def static_file(url: str) -> Path | None:
    """The file that `url` opens if it lies inside static/, else None. The path is percent-decoded first, as
    the file opener decodes it: `static/%2e%2e/app/config.py` is checked as the `static/../app/config.py` that
    would be opened, never as a folder literally named "%2e%2e"."""
    parts = urlsplit(url.split("?")[0])
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(url2pathname(parts.path)).resolve()
    return path if path.is_relative_to(STATIC_DIR) else None


def render_pdf(html: str, variant: str = "pdf/ua-1") -> bytes:
    """A tagged PDF from `html` (which carries `<html lang>` and `<title>`). Characters that XML forbids are
    taken out first: the PDF's metadata is XML, and a name with a NUL or a vertical tab must still print."""
    document = HTML(string=safe_text.xml_safe(html), base_url=f"{STATIC_DIR.as_uri()}/",
                    url_fetcher=LocalStaticFetcher())
    pdf: bytes = document.write_pdf(pdf_variant=variant, pdf_tags=True, uncompressed_pdf=False,
                                    font_config=_font_configuration())
    return pdf


_per_thread = threading.local()


def _font_configuration() -> FontConfiguration:
    """One font configuration per thread, kept between documents: the fonts are found and loaded once (an
    invoice renders in 45 ms instead of 52). Not shared between threads: the job queue's workers render at once."""
    if not hasattr(_per_thread, "fonts"):
        _per_thread.fonts = FontConfiguration()
    fonts: FontConfiguration = _per_thread.fonts
    return fonts
