"""Certificates whose render task was lost are rendered by the per-minute sweep."""

from django.core.management import call_command

import pytest

from certificates import services, tasks
from certificates.models import Certificate
from tests.certificates.factories import completed_enrollment, pdf_text

pytestmark = pytest.mark.django_db


def lost_render(django_capture_on_commit_callbacks, **course_fields) -> Certificate:
    """A certificate issued by a completion whose on-commit render never ran."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enrollment = completed_enrollment(**course_fields)
    assert any("render_certificate" in c.__qualname__ for c in callbacks)
    certificate = Certificate.objects.get(enrollment=enrollment)
    assert not certificate.pdf, "nothing rendered yet"
    return certificate


class TestRenderSweep:
    def test_the_sweep_renders_a_certificate_whose_task_was_lost(
        self, django_capture_on_commit_callbacks
    ):
        certificate = lost_render(django_capture_on_commit_callbacks, title="Fire Safety")
        call_command("sweep", stdout=open("/dev/null", "w"))  # noqa: SIM115
        certificate.refresh_from_db()
        assert certificate.pdf
        with certificate.pdf.open("rb") as pdf:
            pages, text = pdf_text(pdf.read())
        assert pages == 1
        assert "Fire Safety" in text
        rendered_at = certificate.rendered_at
        assert tasks.render_pending() == "0 certificates rendered"
        certificate.refresh_from_db()
        assert certificate.rendered_at == rendered_at, "a current PDF is left alone"

    def test_a_certificate_marked_stale_is_rendered_again(self):
        certificate = Certificate.objects.get(enrollment=completed_enrollment())
        Certificate.objects.filter(pk=certificate.pk).update(rendered_version="")
        assert services.certificates_render_pending(limit=10) == 1
        certificate.refresh_from_db()
        assert certificate.rendered_version

    def test_one_that_fails_is_logged_and_the_rest_are_rendered(
        self, django_capture_on_commit_callbacks, monkeypatch, caplog
    ):
        broken = lost_render(django_capture_on_commit_callbacks, title="Broken")
        fine = lost_render(django_capture_on_commit_callbacks, title="Fine")
        real_render = services.render_pdf

        def render(document):
            if document.course_title == "Broken":
                raise OSError("disk full")
            return real_render(document)

        monkeypatch.setattr(services, "render_pdf", render)
        assert services.certificates_render_pending(limit=10) == 1
        broken.refresh_from_db()
        fine.refresh_from_db()
        assert fine.pdf and not broken.pdf
        assert f"Could not render certificate {broken.number}" in caplog.text

    def test_the_sweep_takes_the_oldest_first_up_to_its_limit(
        self, django_capture_on_commit_callbacks
    ):
        first = lost_render(django_capture_on_commit_callbacks)
        second = lost_render(django_capture_on_commit_callbacks)
        assert services.certificates_render_pending(limit=1) == 1
        first.refresh_from_db()
        second.refresh_from_db()
        assert first.pdf and not second.pdf


def test_certificates_that_always_fail_cannot_starve_the_rest(
    django_capture_on_commit_callbacks, monkeypatch
):
    """A full batch of broken ones is tried, then the next run reaches the others."""
    broken = [lost_render(django_capture_on_commit_callbacks, title=f"Broken {n}") for n in (1, 2)]
    fine = lost_render(django_capture_on_commit_callbacks, title="Fine")
    real_render = services.render_pdf

    def render(document):
        if document.course_title.startswith("Broken"):
            raise OSError("bad logo")
        return real_render(document)

    monkeypatch.setattr(services, "render_pdf", render)
    assert services.certificates_render_pending(limit=2) == 0
    assert services.certificates_render_pending(limit=2) == 1
    fine.refresh_from_db()
    assert fine.pdf
    for certificate in broken:
        certificate.refresh_from_db()
        assert not certificate.pdf and certificate.render_failed_at


def test_the_sweep_stops_once_its_time_is_up(django_capture_on_commit_callbacks):
    """A run that would outlast the job time limit stops early; the next run carries on."""
    first = lost_render(django_capture_on_commit_callbacks)
    second = lost_render(django_capture_on_commit_callbacks)
    assert services.certificates_render_pending(limit=10, seconds=0) == 1
    assert services.certificates_render_pending(limit=10, seconds=0) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.pdf and second.pdf
