"""What a printed document (a certificate, an evidence pack) needs besides WeasyPrint:
the fonts shipped in ``static/fonts/`` and Wagtail images embedded as ``data:`` URIs, so
that :func:`base.pdf.html_to_pdf` never fetches anything from the network."""

import base64
import logging
import mimetypes
from pathlib import Path

from django.contrib.staticfiles import finders

logger = logging.getLogger(__name__)

#: The fonts shipped in ``static/fonts/`` by their role in a template (see the folder's
#: README for their licence). DejaVu Sans also covers Arabic, Hebrew, Greek and
#: Cyrillic; scripts none of them has (CJK, emoji) fall back to the system's fonts.
FONT_FILES = {
    "serif": "DejaVuSerif.ttf",
    "serif_bold": "DejaVuSerif-Bold.ttf",
    "sans": "DejaVuSans.ttf",
}


def font_directory() -> Path:
    """The folder holding the shipped fonts (found like any static file)."""
    first = FONT_FILES["serif"]
    found = finders.find(f"fonts/{first}")
    if not found:
        raise FileNotFoundError(f"static/fonts/{first} is missing")
    return Path(found).resolve().parent


def font_uris() -> dict[str, str]:
    """Each font role's ``file:`` URI, for a template's ``@font-face`` rules."""
    fonts = font_directory()
    return {role: (fonts / name).as_uri() for role, name in FONT_FILES.items()}


def image_data_uri(image, filter_spec: str) -> str:
    """A Wagtail image, resized by ``filter_spec``, as a ``data:`` URI; "" when the file
    cannot be read (the document is then printed without it, and a warning logged)."""
    if image is None:
        return ""
    try:
        rendition = image.get_rendition(filter_spec)
        with rendition.file.open("rb") as handle:
            data = handle.read()
    except Exception:  # a missing or broken image must not stop the document
        logger.warning("Could not read image %s for a printed document", image.pk, exc_info=True)
        return ""
    mime = mimetypes.guess_type(rendition.file.name)[0] or "image/png"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
