"""Per-course instructors, with the shipped groups: one instructor reaches nothing of
another's courses (404 for their objects, nothing in listings or exports), and a
reviewer reaches both."""

from django.contrib.auth.models import Group
from django.urls import reverse

import pytest

from learner.models import Enrollment
from tests.learner.factories import UserFactory

from .conftest import INSTRUCTOR, client_for

pytestmark = pytest.mark.django_db


class TestAnotherInstructorsLearners:
    """Instructor B (``other_instructor``, who instructs only ``elsewhere``, through the
    shipped Instructors group and that course's own group) reaches nothing of the
    instructor role's courses: other courses' ids are 404, the same as ids that do not
    exist, and listings and exports leave them out. A reviewer sees both."""

    @pytest.fixture
    def editor(self, world):
        return client_for(world.other_instructor)

    def test_enrollment_requests_of_other_courses_are_not_reachable(self, world, editor):
        for action in ("approve", "reject"):
            url = reverse(f"learner_requests:{action}", args=[world.pending.pk])
            assert editor.post(url, {"reason": "No."}).status_code == 404
        world.pending.refresh_from_db()
        assert world.pending.status == Enrollment.Status.PENDING
        listing = editor.get(reverse("learner_requests:index"))
        assert listing.status_code == 200
        assert world.other.user.email.encode() not in listing.content

    @pytest.mark.parametrize("query", ["", "?export=csv", "?export=xlsx"])
    def test_roster_and_its_exports_list_only_their_courses(self, world, editor, query):
        response = editor.get(reverse("learner_progress:index") + query)
        assert response.status_code == 200
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert world.me.user.email.encode() not in body
        assert world.course.title.encode() not in body

    def test_another_courses_id_in_the_roster_filter_shows_nothing(self, world, editor):
        response = editor.get(reverse("learner_progress:index"), {"course": world.course.pk})
        assert response.status_code == 200
        assert world.me.user.email.encode() not in response.content

    def test_certificate_listing_leaves_out_other_courses(self, world, editor):
        response = editor.get(reverse("certificates_admin:index"))
        assert response.status_code == 200
        assert world.me.certificate.number.encode() not in response.content

    @pytest.mark.parametrize(
        "url",
        [
            lambda w: reverse("learner:attempt", args=[w.me.attempt.pk]),
            lambda w: reverse("certificates:download", args=[w.me.certificate.number]),
            lambda w: reverse("certificates_admin:detail", args=[w.me.certificate.pk]),
            lambda w: reverse("learner_progress:detail", args=[w.me.enrollment.pk]),
            lambda w: reverse("certificates_admin:revoke", args=[w.me.certificate.pk]),
        ],
        ids=[
            "attempt",
            "certificate-download",
            "certificate-admin",
            "progress-detail",
            "certificate-revoke",
        ],
    )
    def test_other_courses_objects_are_404(self, world, editor, url):
        assert editor.get(url(world)).status_code == 404

    def test_lessons_and_files_of_other_courses_are_closed(self, world, editor):
        response = editor.get(world.small.reading.url)
        assert response["Location"] == world.course.url
        assert editor.get(world.lesson_document.url).status_code == 404

    def test_the_course_itself_is_closed_in_the_page_admin(self, world, editor):
        response = editor.get(reverse("wagtailadmin_pages:edit", args=[world.course.pk]))
        assert response["Location"] == reverse("wagtailadmin_home")

    def test_their_own_course_is_open(self, world, editor):
        response = editor.get(reverse("wagtailadmin_pages:edit", args=[world.elsewhere.pk]))
        assert response.status_code == 200
        assert editor.get(world.elsewhere_lesson.url).status_code == 200

    def test_the_instructor_role_does_not_see_the_other_instructors_course(self, world):
        client = world.client(INSTRUCTOR)
        url = reverse("learner_progress:index")
        assert client.get(url, {"course": world.elsewhere.pk}).status_code == 200
        response = client.get(reverse("wagtailadmin_pages:edit", args=[world.elsewhere.pk]))
        assert response["Location"] == reverse("wagtailadmin_home")

    def test_a_reviewer_sees_both_instructors_courses(self, world):
        reviewer = UserFactory(username="rory")
        reviewer.groups.add(Group.objects.get(name="Reviewers"))
        client = client_for(reviewer)
        roster = b"".join(client.get(reverse("learner_progress:index"), {"export": "csv"}))
        assert world.me.user.email.encode() in roster
        requests = client.get(reverse("learner_requests:index")).content
        assert world.other.user.email.encode() in requests
        for course in (world.course, world.elsewhere):
            edit = client.get(reverse("wagtailadmin_pages:edit", args=[course.pk]))
            assert edit.status_code == 200
        assert client.get(reverse("learner:attempt", args=[world.me.attempt.pk])).status_code == 200
