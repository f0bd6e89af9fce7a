"""HTML to PDF with WeasyPrint: the only module that imports it.

Callers (:mod:`certificates.rendering`, :mod:`records.evidence`) import this module
when they first render, as importing WeasyPrint takes about a second that no other
command or request should pay. What a printed page needs without WeasyPrint (the
shipped fonts, images as ``data:`` URIs) is in :mod:`base.printing`.
"""

import threading
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher


class LocalOnlyFetcher(URLFetcher):
    """Lets WeasyPrint read ``data:`` URIs and files under one folder (the shipped
    fonts), and nothing else: no network, no other files, whatever the HTML says."""

    def __init__(self, allowed_dir: Path) -> None:
        super().__init__(allowed_protocols=("data", "file"), timeout=5)
        self.allowed_dir = allowed_dir.resolve()

    def fetch(self, url: str, headers=None):
        if url.lower().startswith("file:"):
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if not path.is_relative_to(self.allowed_dir):
                raise ValueError(f"A printed document may not read {url}")
        return super().fetch(url, headers)


_local = threading.local()


def _font_config() -> FontConfiguration:
    # One per thread: it keeps the @font-face fonts it has loaded, so later renders
    # skip loading them again (about a third of a render's time).
    if getattr(_local, "font_config", None) is None:
        _local.font_config = FontConfiguration()
    return _local.font_config


def html_to_pdf(
    html: str, *, allowed_dir: Path, first_page_only: bool = False
) -> tuple[bytes, int]:
    """Render ``html`` to PDF bytes; returns them and the number of pages laid out
    (the PDF holds only the first when ``first_page_only``)."""
    document = HTML(string=html, url_fetcher=LocalOnlyFetcher(allowed_dir)).render(
        font_config=_font_config()
    )
    pages = len(document.pages)
    if first_page_only and pages > 1:
        document = document.copy(document.pages[:1])
    return document.write_pdf(), pages
