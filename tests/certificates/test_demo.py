"""The demo issues the certificate of the learner's completed course, once."""

import io

from django.core.management import call_command

import pytest

from certificates.models import Certificate

pytestmark = pytest.mark.django_db


def test_demo_learner_has_a_certificate_for_running_effective_meetings():
    call_command("load_demo", stdout=io.StringIO())

    certificate = Certificate.objects.get(user__username="learner")
    assert certificate.course.slug == "running-effective-meetings"
    assert certificate.status == Certificate.Status.VALID
    numbers = list(Certificate.objects.values_list("number", flat=True))

    output = io.StringIO()
    call_command("load_demo", stdout=output)

    assert list(Certificate.objects.values_list("number", flat=True)) == numbers
    assert "Certificates: 1 issued" in output.getvalue()
