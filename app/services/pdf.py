"""PDF rendering with WeasyPrint, behind one function. Only local files under static/ may be fetched."""

from pathlib import Path

from weasyprint import HTML
from weasyprint.urls import URLFetcher

from app.config import BASE_DIR

STATIC_DIR = (BASE_DIR / "static").resolve()


class LocalStaticFetcher(URLFetcher):
    """Refuses every URL except files inside the project's static folder (no network, no other file) and
    `data:` URLs, whose content is inline (e.g. a certificate's QR code)."""

    def __init__(self):
        super().__init__(allowed_protocols=["file", "data"])

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = Path(url.removeprefix("file://").split("?")[0]).resolve()
        if not path.is_relative_to(STATIC_DIR):
            raise ValueError(f"refused outside static/: {url}")
        return super().fetch(url, headers)


def render_pdf(html: str, variant: str = "pdf/ua-1") -> bytes:
    """A tagged PDF from `html` (which carries `<html lang>` and `<title>`)."""
    document = HTML(string=html, base_url=f"{STATIC_DIR.as_uri()}/", url_fetcher=LocalStaticFetcher())
    return document.write_pdf(pdf_variant=variant, pdf_tags=True, uncompressed_pdf=False)
