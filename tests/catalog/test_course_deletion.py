"""Deleting a course in the admin: refused with the reason while learners' records or
required training depend on it (never a server error, nothing erased); allowed when
nothing does."""

from django.contrib.messages import get_messages
from django.urls import reverse

from wagtail.models import Page

import pytest

from catalog.models import CoursePage
from learner.models import Enrollment
from tests.compliance.factories import TrainingRequirementFactory
from tests.learner.factories import EnrollmentFactory, UserFactory, small_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


def delete_url(page) -> str:
    return reverse("wagtailadmin_pages:delete", args=(page.pk,))


def bulk_delete_url(*pages) -> str:
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "delete"))
    return url + "?" + "&".join(f"id={page.pk}" for page in pages)


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


class TestCourseWithLearners:
    @pytest.mark.parametrize("method", ["get", "post"])
    def test_deleting_is_refused_and_the_records_stay(self, admin, catalog, method):
        course = small_course(title="Botany").course
        enrollment = EnrollmentFactory(course=course)

        response = getattr(admin, method)(delete_url(course))

        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_pages:edit", args=(course.pk,))
        assert "Not deleted: “Botany” has learners' records" in messages_of(response)[0]
        assert CoursePage.objects.filter(pk=course.pk).exists()
        assert Enrollment.objects.filter(pk=enrollment.pk).exists()

    def test_deleting_the_catalog_above_it_is_refused_too(self, admin, catalog):
        course = small_course(title="Botany").course
        EnrollmentFactory(course=course)
        response = admin.post(delete_url(catalog))
        assert response.status_code == 302
        assert Page.objects.filter(pk=catalog.pk).exists()
        assert "“Botany”" in messages_of(response)[0]

    def test_bulk_delete_is_refused(self, admin, catalog):
        course = small_course(title="Botany").course
        EnrollmentFactory(course=course)
        response = admin.post(bulk_delete_url(course))
        assert response.status_code == 302
        assert CoursePage.objects.filter(pk=course.pk).exists()
        assert "Not deleted: “Botany”" in messages_of(response)[0]


class TestRequiredCourse:
    def test_deleting_is_refused_with_the_requirement_named(self, admin, catalog):
        requirement = TrainingRequirementFactory(name="Security")
        response = admin.post(delete_url(requirement.course))
        assert response.status_code == 302
        assert "the required training “Security”" in messages_of(response)[0]
        assert CoursePage.objects.filter(pk=requirement.course.pk).exists()

    def test_bulk_delete_is_refused(self, admin, catalog):
        requirement = TrainingRequirementFactory(name="Security")
        response = admin.post(bulk_delete_url(requirement.course))
        assert response.status_code == 302
        assert CoursePage.objects.filter(pk=requirement.course.pk).exists()


def test_a_course_nobody_depends_on_is_deleted(admin, catalog):
    course = small_course(title="Scratch").course
    response = admin.post(delete_url(course))
    assert response.status_code == 302
    assert not CoursePage.objects.filter(pk=course.pk).exists()
