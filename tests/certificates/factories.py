"""Certificates for tests, issued the way the app issues them: by completing a course."""

import io
from datetime import datetime

from django.contrib.auth.models import Permission

import pypdf

from catalog.models import CoursePage
from certificates.models import Certificate
from learner import services as learner_services
from learner.models import Enrollment
from tests.catalog.factories import CoursePageFactory
from tests.learner.factories import EnrollmentFactory, UserFactory


def completed_enrollment(
    *, course: CoursePage | None = None, user=None, as_of: datetime | None = None, **course_fields
) -> Enrollment:
    """An enrolment completed through ``learner.services.course_complete``, which sends
    ``course_completed`` and so issues the certificate (when the course issues one)."""
    course = course or CoursePageFactory(**course_fields)
    enrollment = EnrollmentFactory(course=course, user=user or UserFactory())
    return learner_services.course_complete(enrollment=enrollment, as_of=as_of)


def issued_certificate(**kwargs) -> Certificate:
    """The certificate of a freshly completed enrolment (see :func:`completed_enrollment`)."""
    enrollment = completed_enrollment(**kwargs)
    return Certificate.objects.get(enrollment=enrollment)


def pdf_text(data: bytes) -> tuple[int, str]:
    """The page count of a PDF and the text of its pages, whitespace collapsed."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return len(reader.pages), " ".join(text.split())


def user_with_permission(username: str, *codenames: str):
    """A user with admin access and the given ``certificates`` permissions."""
    user = UserFactory(username=username)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        *Permission.objects.filter(content_type__app_label="certificates", codename__in=codenames),
    )
    return user
