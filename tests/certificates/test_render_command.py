"""``manage.py render_certificates``: all or filtered, with a progress bar."""

import io

from django.core.management import call_command

import pytest

from certificates import services
from certificates.management.commands.render_certificates import progress_bar
from certificates.models import Certificate
from tests.certificates.factories import issued_certificate

pytestmark = pytest.mark.django_db


def render_certificates(*args: str) -> str:
    output = io.StringIO()
    call_command("render_certificates", *args, stdout=output)
    return output.getvalue()


class TestRenderCertificates:
    def test_renders_every_certificate_and_shows_progress(self):
        first, second = issued_certificate(), issued_certificate()

        output = render_certificates()

        assert "[##############################] 2/2 100%" in output
        assert "Rendered 2 of 2 certificates" in output
        for certificate in (first, second):
            certificate.refresh_from_db()
            assert certificate.pdf and certificate.rendered_at

    def test_stale_option_skips_current_files_and_number_filters(self):
        current = services.certificate_render(certificate=issued_certificate())
        missing = issued_certificate()

        output = render_certificates("--stale")

        assert "Rendered 2 of 2 certificates" in output
        assert Certificate.objects.get(pk=current.pk).rendered_at == current.rendered_at
        assert Certificate.objects.get(pk=missing.pk).pdf

        render_certificates("--number", current.number)
        assert Certificate.objects.get(pk=current.pk).rendered_at > current.rendered_at

    def test_course_and_status_filters_and_an_empty_selection(self):
        certificate = issued_certificate()

        assert "No certificates match." in render_certificates("--course", "999999")
        assert "No certificates match." in render_certificates("--status", "revoked")
        assert "1 of 1" in render_certificates("--course", str(certificate.course_id))

    def test_progress_bar_drawing(self):
        assert progress_bar(0, 4, width=8) == "[--------] 0/4   0%"
        assert progress_bar(2, 4, width=8) == "[####----] 2/4  50%"
        assert progress_bar(4, 4, width=8) == "[########] 4/4 100%"
