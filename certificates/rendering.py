"""The certificate PDF: what is printed on it, and how WeasyPrint draws it.

:class:`CertificateDocument` is everything a certificate shows, gathered from the
database by :func:`document_for`; :func:`render_pdf` turns one into a one-page A4
landscape PDF from ``templates/certificates/pdf/certificate.html``. A document's
:attr:`~CertificateDocument.version` changes whenever anything printed would change
(or the template does, through :data:`TEMPLATE_VERSION`), which is how a stored PDF
is known to be stale.

WeasyPrint fetches nothing from the network here: images are embedded as ``data:``
URIs and the only files it may read are the fonts in ``static/fonts/``.
"""

import hashlib
import json
import logging
import re
from dataclasses import asdict, dataclass, field
from datetime import date

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Site

import segno

from base.links import absolute_url
from base.printing import font_directory, font_uris, image_data_uri
from home.models import BrandingSettings

from .models import Certificate

logger = logging.getLogger(__name__)

#: Bump whenever the PDF template or its styles change: every stored PDF becomes stale
#: and is rendered again on its next download (or by ``manage.py render_certificates``).
TEMPLATE_VERSION = "1"
TEMPLATE_NAME = "certificates/pdf/certificate.html"
DEFAULT_ACCENT = "#1d4ed8"
_HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")

#: Rendition filters for the images, sized for print at the size they are shown.
LOGO_FILTER = "max-600x200"
SIGNATURE_FILTER = "max-500x160"

#: Length limits of the name size classes: a longer name gets a smaller type size so
#: that any name fits the page (``name--xl`` … ``name--xs``).
NAME_SIZES = ((24, "xl"), (40, "l"), (64, "m"), (110, "s"))
TITLE_SIZES = ((48, "l"), (90, "m"), (150, "s"))


@dataclass(frozen=True)
class CertificateDocument:
    """Everything printed on one certificate."""

    holder_name: str
    course_title: str
    number: str
    issued_on: date
    expires_on: date | None
    verification_url: str
    site_name: str = "Fledge"
    accent_colour: str = DEFAULT_ACCENT
    signatory_name: str = ""
    signatory_title: str = ""
    revoked_on: date | None = None
    #: Wagtail images (or None); compared by file name, read only when rendering.
    logo: object | None = field(default=None, compare=False)
    signature: object | None = field(default=None, compare=False)

    @property
    def version(self) -> str:
        """The template version and a hash of every printed value, e.g. ``1-3f2a…``."""
        data = asdict(self)
        data["logo"] = _image_key(self.logo, LOGO_FILTER)
        data["signature"] = _image_key(self.signature, SIGNATURE_FILTER)
        encoded = json.dumps(data, sort_keys=True, default=str).encode()
        return f"{TEMPLATE_VERSION}-{hashlib.sha256(encoded).hexdigest()[:32]}"


def _image_key(image, filter_spec: str) -> str:
    return f"{image.pk}:{image.file.name}:{filter_spec}" if image is not None else ""


def verification_url(code: str) -> str:
    """The absolute public URL of a verification code (from ``WAGTAILADMIN_BASE_URL``)."""
    return absolute_url(reverse("certificates:verify", args=[code]))


def _branding_for(certificate: Certificate) -> BrandingSettings:
    site = certificate.course.get_site() or Site.objects.filter(is_default_site=True).first()
    return BrandingSettings.for_site(site) if site else BrandingSettings()


def document_for(certificate: Certificate) -> CertificateDocument:
    """What ``certificate`` prints now: its recorded names and dates, the branding of
    the course's site, and its revocation."""
    branding = _branding_for(certificate)
    accent = branding.accent_colour if _HEX_COLOUR.match(branding.accent_colour or "") else ""
    revoked = certificate.revoked_at
    return CertificateDocument(
        holder_name=certificate.holder_name,
        course_title=certificate.course_title,
        number=certificate.number,
        issued_on=timezone.localdate(certificate.issued_at),
        expires_on=certificate.valid_until,
        verification_url=verification_url(certificate.verification_code),
        site_name=branding.site_name or "Fledge",
        accent_colour=accent or DEFAULT_ACCENT,
        signatory_name=branding.signatory_name,
        signatory_title=branding.signatory_title,
        revoked_on=timezone.localdate(revoked) if revoked else None,
        logo=branding.logo,
        signature=branding.signature,
    )


# --- Drawing ---------------------------------------------------------------------------


def size_class(text: str, sizes: tuple[tuple[int, str], ...], smallest: str = "xs") -> str:
    """The size class for ``text``: the first whose length limit it is within."""
    length = len(text)
    return next((name for limit, name in sizes if length <= limit), smallest)


def qr_svg(url: str) -> str:
    """An inline SVG QR code of ``url``, sized by CSS."""
    return segno.make(url, error="m", micro=False).svg_inline(
        scale=1, border=0, omitsize=True, dark="#111111"
    )


def render_html(document: CertificateDocument, *, compact: bool = False) -> str:
    """The certificate's HTML (a page of its own, usable in a browser for debugging)."""
    context = {
        "doc": document,
        "fonts": font_uris(),
        "name_size": size_class(document.holder_name, NAME_SIZES),
        "title_size": size_class(document.course_title, TITLE_SIZES),
        "qr_svg": qr_svg(document.verification_url),
        "logo_uri": image_data_uri(document.logo, LOGO_FILTER),
        "signature_uri": image_data_uri(document.signature, SIGNATURE_FILTER),
        "compact": compact,
    }
    return render_to_string(TEMPLATE_NAME, context)


def render_pdf(document: CertificateDocument) -> bytes:
    """The certificate as a one-page PDF.

    The layout is sized so that every name and title fits (long ones in smaller type);
    should something still overflow, it is rendered again in a compact layout, and as a
    last resort only the first page is kept, so the result is always one page.
    """
    from base import pdf  # WeasyPrint takes a second to import: only when rendering.

    allowed = font_directory()
    data, pages = pdf.html_to_pdf(render_html(document), allowed_dir=allowed)
    if pages == 1:
        return data
    logger.warning("Certificate %s ran to %d pages; compacting", document.number, pages)
    data, pages = pdf.html_to_pdf(
        render_html(document, compact=True), allowed_dir=allowed, first_page_only=True
    )
    return data
