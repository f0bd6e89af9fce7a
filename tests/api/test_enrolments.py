"""The enrolments resource: enrol (policy, capacity, waitlist as on the web), list,
one enrolment, withdraw; who sees which."""

import pytest
from rest_framework.test import APIClient

from audit.models import AuditEntry
from learner.models import Enrollment
from tests.catalog.factories import CoursePageFactory
from tests.learner.factories import (
    EnrollmentFactory,
    UserFactory,
    course_instructor,
    member_of,
    pending,
)

ENROLMENTS = "/api/v1/enrolments/"
Status = Enrollment.Status


@pytest.fixture
def learn(bearer, learner):
    """The learner's client with ``read`` and ``learn``."""
    return bearer(learner, "read", "learn")


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


@pytest.mark.django_db
class TestEnrol:
    def test_open_course_enrols_at_once_and_a_double_submit_makes_one(
        self, catalog, learn, learner
    ):
        course = CoursePageFactory()
        first = learn.post(ENROLMENTS, {"course_id": course.pk}, format="json")
        assert first.status_code == 201
        assert first.json()["status"] == "active"
        assert first.json()["learner"]["id"] == learner.pk
        again = learn.post(ENROLMENTS, {"course_id": course.pk}, format="json")
        assert again.status_code == 200
        assert again.json()["id"] == first.json()["id"]
        assert Enrollment.objects.filter(user=learner, course=course).count() == 1

    def test_policy_capacity_and_waitlist_apply(self, catalog, learn):
        approval = CoursePageFactory(enrollment_policy="approval")
        assert learn.post(ENROLMENTS, {"course_id": approval.pk}).json()["status"] == "pending"
        full = CoursePageFactory(capacity=1, waitlist_enabled=True)
        EnrollmentFactory(course=full)
        assert learn.post(ENROLMENTS, {"course_id": full.pk}).json()["status"] == "waitlisted"

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"enrollment_policy": "closed"}, "not taking new enrolments"),
            ({"capacity": 0, "waitlist_enabled": False}, "full"),
        ],
    )
    def test_refusals_are_400_problem_json(self, catalog, learn, fields, message):
        course = CoursePageFactory(**fields)
        response = learn.post(ENROLMENTS, {"course_id": course.pk})
        assert response.status_code == 400
        assert response["Content-Type"] == "application/problem+json"
        assert message in response.json()["detail"]
        assert not Enrollment.objects.filter(course=course).exists()

    def test_unknown_or_unpublished_course_is_404_and_bad_input_400(self, catalog, learn):
        course = CoursePageFactory()
        course.unpublish()
        assert learn.post(ENROLMENTS, {"course_id": course.pk}).status_code == 404
        assert learn.post(ENROLMENTS, {"course_id": 10**30}).status_code == 400
        assert learn.post(ENROLMENTS, {"course_id": "x"}).status_code == 400
        assert learn.post(ENROLMENTS, {}).status_code == 400

    def test_needs_the_learn_scope(self, catalog, client_with_token):
        course = CoursePageFactory()
        response = client_with_token.post(ENROLMENTS, {"course_id": course.pk})
        assert response.status_code == 403
        assert not Enrollment.objects.exists()

    def test_anonymous_is_401(self, catalog):
        course = CoursePageFactory()
        assert APIClient().post(ENROLMENTS, {"course_id": course.pk}).status_code == 401


@pytest.mark.django_db
class TestEnrolAnotherPerson:
    def test_the_courses_instructor_may(self, catalog, bearer):
        course = CoursePageFactory()
        instructor = course_instructor(course, "ines")
        person = UserFactory(username="pat")
        response = bearer(instructor, "learn").post(
            ENROLMENTS, {"course_id": course.pk, "user_id": person.pk}
        )
        assert response.status_code == 201
        enrollment = Enrollment.objects.get(course=course)
        assert enrollment.user == person
        entry = AuditEntry.objects.get(action="fledge.enrollment.request")
        assert (entry.actor_id, entry.object_id) == (instructor.pk, str(enrollment.pk))

    def test_a_superuser_may(self, catalog, bearer):
        course = CoursePageFactory()
        root = UserFactory(username="root", is_superuser=True)
        person = UserFactory(username="pat")
        response = bearer(root, "learn").post(
            ENROLMENTS, {"course_id": course.pk, "user_id": person.pk}
        )
        assert response.status_code == 201

    def test_others_may_not(self, catalog, bearer, learn):
        course = CoursePageFactory()
        other_course = CoursePageFactory()
        person = UserFactory(username="pat")
        elsewhere = course_instructor(other_course, "otto")
        for client in (
            learn,
            bearer(elsewhere, "learn"),
            bearer(member_of("Instructors", "i"), "learn"),
        ):
            response = client.post(ENROLMENTS, {"course_id": course.pk, "user_id": person.pk})
            assert response.status_code == 403
        assert not Enrollment.objects.exists()

    def test_unknown_person_is_404(self, catalog, bearer):
        course = CoursePageFactory()
        instructor = course_instructor(course, "ines")
        response = bearer(instructor, "learn").post(
            ENROLMENTS, {"course_id": course.pk, "user_id": 999999}
        )
        assert response.status_code == 404


@pytest.mark.django_db
class TestEnrollmentList:
    def test_own_by_default_and_filters(self, catalog, client_with_token, learner):
        mine = EnrollmentFactory(user=learner)
        done = EnrollmentFactory(user=learner, status=Status.COMPLETED)
        EnrollmentFactory()
        assert sorted(ids(client_with_token.get(ENROLMENTS))) == sorted([mine.pk, done.pk])
        assert ids(client_with_token.get(ENROLMENTS, {"status": "completed"})) == [done.pk]
        assert ids(client_with_token.get(ENROLMENTS, {"course": mine.course_id})) == [mine.pk]
        assert client_with_token.get(ENROLMENTS, {"status": "nope"}).status_code == 400
        assert client_with_token.get(ENROLMENTS, {"course": "x"}).status_code == 400
        assert client_with_token.get(ENROLMENTS, {"view": "all"}).status_code == 400

    def test_staff_view_is_the_instructors_courses(self, catalog, bearer, client_with_token):
        course, other = CoursePageFactory(), CoursePageFactory()
        instructor = course_instructor(course, "ines")
        theirs = [EnrollmentFactory(course=course), pending(course)]
        EnrollmentFactory(course=other)
        response = bearer(instructor, "read").get(ENROLMENTS, {"view": "staff"})
        assert sorted(ids(response)) == sorted(e.pk for e in theirs)
        assert response.json()["results"][0]["learner"]["email"]
        # A learner who edits no course sees no one as staff.
        assert ids(client_with_token.get(ENROLMENTS, {"view": "staff"})) == []

    def test_superusers_and_reviewers_see_every_course(self, catalog, bearer):
        rows = [EnrollmentFactory(), EnrollmentFactory()]
        for user in (
            UserFactory(username="root", is_superuser=True),
            member_of("Reviewers", "rafa"),
        ):
            response = bearer(user, "read").get(ENROLMENTS, {"view": "staff"})
            assert sorted(ids(response)) == sorted(e.pk for e in rows)

    def test_compliance_admins_see_no_roster_as_on_the_web(self, catalog, bearer):
        EnrollmentFactory()
        admin = member_of("Compliance admins", "cora")
        assert ids(bearer(admin, "read").get(ENROLMENTS, {"view": "staff"})) == []

    def test_anonymous_401_and_wrong_scope_403(self, catalog, bearer, learner):
        assert APIClient().get(ENROLMENTS).status_code == 401
        assert bearer(learner, "learn").get(ENROLMENTS).status_code == 403

    @pytest.mark.parametrize("count", [1, 20])
    @pytest.mark.parametrize("view", ["own", "staff"])
    def test_query_budget_does_not_grow_with_the_list(
        self, catalog, bearer, learner, django_assert_max_num_queries, count, view
    ):
        course = CoursePageFactory()
        instructor = course_instructor(course, "ines")
        for _ in range(count):
            EnrollmentFactory(course=course, user=learner if view == "own" else UserFactory())
            course = CoursePageFactory() if view == "own" else course
        client = bearer(learner if view == "own" else instructor, "read")
        with django_assert_max_num_queries(5):
            response = client.get(ENROLMENTS, {"view": view, "page_size": 50})
        assert response.json()["count"] == count


@pytest.mark.django_db
class TestEnrollmentDetail:
    def test_own_and_staff_see_it_others_get_404(self, catalog, bearer, client_with_token):
        course = CoursePageFactory()
        instructor = course_instructor(course, "ines")
        theirs = EnrollmentFactory(course=course)
        url = f"{ENROLMENTS}{theirs.pk}/"
        assert client_with_token.get(url).status_code == 404
        assert bearer(instructor, "read").get(url).json()["id"] == theirs.pk
        assert bearer(theirs.user, "read").get(url).json()["course_title"] == course.title
        assert client_with_token.get(f"{ENROLMENTS}999999/").status_code == 404

    def test_anonymous_401_and_wrong_scope_403(self, catalog, bearer, learner):
        mine = EnrollmentFactory(user=learner)
        assert APIClient().get(f"{ENROLMENTS}{mine.pk}/").status_code == 401
        assert bearer(learner, "learn").get(f"{ENROLMENTS}{mine.pk}/").status_code == 403


@pytest.mark.django_db
class TestWithdraw:
    def test_withdrawing_frees_the_seat_for_the_waitlist(self, catalog, learn, learner):
        course = CoursePageFactory(capacity=1, waitlist_enabled=True)
        mine = EnrollmentFactory(user=learner, course=course)
        waiting = EnrollmentFactory(course=course, status=Status.WAITLISTED, activated_at=None)
        response = learn.post(f"{ENROLMENTS}{mine.pk}/withdraw/")
        assert response.status_code == 200
        assert response.json()["status"] == "withdrawn"
        waiting.refresh_from_db()
        assert waiting.status == Status.ACTIVE
        again = learn.post(f"{ENROLMENTS}{mine.pk}/withdraw/")
        assert again.status_code == 400
        assert again["Content-Type"] == "application/problem+json"

    def test_another_persons_is_404_and_staff_403(self, catalog, bearer, learn):
        course = CoursePageFactory()
        instructor = course_instructor(course, "ines")
        theirs = EnrollmentFactory(course=course)
        url = f"{ENROLMENTS}{theirs.pk}/withdraw/"
        assert learn.post(url).status_code == 404
        assert bearer(instructor, "learn").post(url).status_code == 403
        theirs.refresh_from_db()
        assert theirs.status == Status.ACTIVE

    def test_anonymous_401_and_read_only_403(self, catalog, client_with_token, learner):
        mine = EnrollmentFactory(user=learner)
        url = f"{ENROLMENTS}{mine.pk}/withdraw/"
        assert APIClient().post(url).status_code == 401
        assert client_with_token.post(url).status_code == 403
        mine.refresh_from_db()
        assert mine.status == Status.ACTIVE
