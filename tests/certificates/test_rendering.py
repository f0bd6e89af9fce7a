"""The PDF: what it says, one page for any name, private storage and staleness.

Each render takes a tenth of a second or more, so only the tests about the PDF itself
render; the rest compare document versions.
"""

import io
from dataclasses import replace
from datetime import date
from pathlib import Path

from django.core.files.storage import default_storage
from django.utils import timezone

from wagtail.models import Site

import pypdf
import pytest
import wagtail_factories

from certificates import rendering, selectors, services
from certificates.expiry import add_months
from certificates.models import Certificate
from certificates.rendering import CertificateDocument, render_pdf, size_class
from certificates.storage import private_storage
from home.models import BrandingSettings
from tests.certificates.factories import issued_certificate, pdf_text
from tests.learner.factories import UserFactory

VERIFY_URL = "https://learn.example.org/certificates/verify/abcdefghijklmnopqrstuv/"


def document(**fields) -> CertificateDocument:
    values = {
        "holder_name": "Ada Lovelace",
        "course_title": "Running Effective Meetings",
        "number": "FLG-2026-000123",
        "issued_on": date(2026, 11, 22),
        "expires_on": date(2027, 11, 22),
        "verification_url": VERIFY_URL,
        "signatory_name": "Grace Mensah",
        "signatory_title": "Head of Learning",
        **fields,
    }
    return CertificateDocument(**values)


@pytest.fixture
def branding(db):
    return BrandingSettings.for_site(Site.objects.get(is_default_site=True))


@pytest.mark.django_db
class TestPdfContent:
    def test_pdf_names_the_holder_course_number_dates_and_verification_url(self):
        user = UserFactory(first_name="Zoë", last_name="Ångström")
        certificate = issued_certificate(
            user=user, title="Running Effective Meetings", certificate_validity_months=12
        )

        certificate = services.certificate_render(certificate=certificate)

        pages, text = pdf_text(certificate.pdf.read())
        assert pages == 1
        assert "Zoë Ångström" in text
        assert "Running Effective Meetings" in text
        assert certificate.number in text
        url = f"https://learn.example.org/certificates/verify/{certificate.verification_code}/"
        assert url in text.replace(" ", "")
        # The last valid day: the issue day 12 months on, not the midnight after it.
        assert f"Valid until {certificate.valid_until:%-d %B %Y}" in text
        assert certificate.valid_until == add_months(timezone.localdate(certificate.issued_at), 12)

    def test_logo_and_signature_from_branding_are_embedded(self, branding):
        branding.logo = wagtail_factories.ImageFactory(title="Logo", file__color="navy")
        branding.signature = wagtail_factories.ImageFactory(
            title="Signature", file__color="black", file__width=300, file__height=80
        )
        branding.save()
        doc = rendering.document_for(issued_certificate())

        reader = pypdf.PdfReader(io.BytesIO(render_pdf(doc)))
        assert len(reader.pages) == 1
        assert len(reader.pages[0].images) == 2


class TestOnePageForAnyName:
    @pytest.mark.parametrize(
        "name",
        [
            "محمد بن عبد الله الخوارزمي",
            "王小明 李华",
            "Sam 🚀 Rivers 😀",
            ("Bartholomew " * 20)[:200],
            "W" * 200,
        ],
        ids=["arabic", "chinese", "emoji", "200-characters", "200-unbroken"],
    )
    def test_name_fits_on_one_page(self, name):
        long_title = ("Advanced Workplace Health and Safety " * 7)[:255]

        pages, text = pdf_text(render_pdf(document(holder_name=name, course_title=long_title)))

        assert pages == 1
        assert "FLG-2026-000123" in text

    def test_revoked_certificate_is_stamped(self):
        pages, text = pdf_text(render_pdf(document(revoked_on=date(2026, 12, 1))))

        assert pages == 1
        assert "REVOKED" in text

    @pytest.mark.parametrize(
        ("length", "expected"),
        [(10, "xl"), (24, "xl"), (25, "l"), (64, "m"), (110, "s"), (200, "xs")],
    )
    def test_longer_names_get_smaller_size_classes(self, length, expected):
        assert size_class("x" * length, rendering.NAME_SIZES) == expected


class TestLocalOnlyFetcher:
    def test_reads_the_fonts_and_data_but_nothing_else(self):
        from base.pdf import LocalOnlyFetcher

        fonts = rendering.font_directory()
        fetcher = LocalOnlyFetcher(fonts)

        assert fetcher.fetch((fonts / "DejaVuSans.ttf").as_uri()).read(4)
        assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"
        for url in ("http://169.254.169.254/latest/", "file:///etc/passwd"):
            with pytest.raises(ValueError):
                fetcher.fetch(url)


@pytest.mark.django_db
class TestStorageAndStaleness:
    def test_pdf_is_in_private_storage_with_no_url(self, settings):
        certificate = services.certificate_render(certificate=issued_certificate())

        path = Path(certificate.pdf.path)
        assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
        assert not default_storage.exists(certificate.pdf.name)
        with pytest.raises(ValueError):
            private_storage.url(certificate.pdf.name)

    def test_current_file_is_not_rendered_again(self):
        certificate = services.certificate_render(certificate=issued_certificate())

        again = services.certificate_render(certificate=certificate)

        assert (again.pdf.name, again.rendered_at) == (
            certificate.pdf.name,
            certificate.rendered_at,
        )

    def test_branding_change_makes_it_stale_and_a_render_replaces_the_file(
        self, branding, django_capture_on_commit_callbacks
    ):
        certificate = services.certificate_render(certificate=issued_certificate())
        old_path = Path(certificate.pdf.path)
        branding.signatory_name = "A New Signatory"
        branding.save()
        version = rendering.document_for(certificate).version
        assert selectors.is_stale(certificate=certificate, version=version)

        with django_capture_on_commit_callbacks(execute=True):
            with_new_file = services.certificate_render(certificate=certificate)

        assert with_new_file.pdf.name != certificate.pdf.name
        assert "A New Signatory" in pdf_text(with_new_file.pdf.read())[1]
        assert not old_path.exists()  # deleted once the new one was recorded

    def test_missing_file_is_stale(self):
        certificate = services.certificate_render(certificate=issued_certificate())
        Path(certificate.pdf.path).unlink()

        assert selectors.is_stale(certificate=certificate, version=certificate.rendered_version)

    def test_version_changes_with_anything_printed_and_only_then(self, branding):
        certificate = issued_certificate()
        version = rendering.document_for(certificate).version

        assert rendering.document_for(Certificate.objects.get()).version == version
        base = rendering.document_for(certificate)
        for change in (
            {"holder_name": "Someone Else"},
            {"revoked_on": date(2027, 1, 1)},
            {"accent_colour": "#000000"},
            {"verification_url": "https://elsewhere.example/"},
        ):
            assert replace(base, **change).version != version
        branding.logo = wagtail_factories.ImageFactory()
        branding.save()
        assert rendering.document_for(certificate).version != version

    def test_template_version_bump_makes_every_file_stale(self, monkeypatch):
        certificate = issued_certificate()
        version = rendering.document_for(certificate).version

        monkeypatch.setattr(rendering, "TEMPLATE_VERSION", "999")

        assert rendering.document_for(certificate).version != version
        assert rendering.document_for(certificate).version.startswith("999-")
