"""Instructor admin views: enrolment requests (approve/reject) and course progress."""

import csv
import io
from decimal import Decimal

from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wagtail.models import GroupPagePermission

import openpyxl
import pytest

from catalog.models import CoursePage
from catalog.selectors import editable_courses
from learner.models import Enrollment, QuizAttempt
from tests.catalog.factories import CoursePageFactory
from tests.learner.factories import (
    EnrollmentFactory,
    UserFactory,
    add_instructor,
    course_editor,
    course_instructor,
    small_course,
)

Status = Enrollment.Status
pytestmark = pytest.mark.django_db

REQUESTS_URL = "/admin/learners/requests/"
PROGRESS_URL = "/admin/learners/progress/"
EXPORT_HEADINGS = [
    "Learner",
    "Username",
    "Email",
    "Course",
    "Status",
    "Progress (%)",
    "Lessons completed",
    "Last activity",
    "Best quiz score (%)",
]


def member_of(group_name: str, username: str):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def pending(course: CoursePage, **fields) -> Enrollment:
    return EnrollmentFactory(course=course, status=Status.PENDING, activated_at=None, **fields)


def approve_url(enrollment: Enrollment) -> str:
    return reverse("learner_requests:approve", args=[enrollment.pk])


def reject_url(enrollment: Enrollment) -> str:
    return reverse("learner_requests:reject", args=[enrollment.pk])


def message_texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def streamed(response) -> bytes:
    return b"".join(response.streaming_content)


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(streamed(response).decode("utf-8"))))


@pytest.fixture
def course_a(catalog):
    return CoursePageFactory(title="Anatomy", enrolment_policy="approval")


@pytest.fixture
def course_b(catalog):
    return CoursePageFactory(title="Botany", enrolment_policy="approval")


@pytest.fixture
def instructor(course_a, course_b):
    """An instructor of both courses (through the shipped Instructors group)."""
    user = course_instructor(course_a, "ines")
    add_instructor(course_b, user)
    return user


@pytest.fixture
def botanist(course_b):
    """Another instructor, who may edit only the Botany course."""
    return course_editor(course_b, "otto")


@pytest.fixture
def learner():
    return UserFactory(username="lena", first_name="Lena", last_name="Lind")


class TestEditableCourses:
    def test_matches_wagtail_page_permissions(self, catalog, course_a, course_b, botanist):
        adder_group = Group.objects.create(name="Adders")
        GroupPagePermission.objects.create(
            group=adder_group,
            page=catalog,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename="add_page"
            ),
        )
        adder = UserFactory(username="adam")
        adder.groups.add(adder_group)
        own = CoursePageFactory(title="Own course", owner=adder)
        users = [
            member_of("Instructors", "ines"),
            member_of("Reviewers", "rafa"),
            member_of("Compliance admins", "cora"),
            botanist,
            adder,
            UserFactory(username="plain"),
            UserFactory(username="root", is_superuser=True),
        ]
        courses = [course_a, course_b, own]
        for user in users:
            expected = {c.pk for c in courses if c.permissions_for_user(user).can_edit()}
            assert set(editable_courses(user).values_list("pk", flat=True)) == expected, user
        assert set(editable_courses(botanist)) == {course_b}
        # Adding courses to the catalog (the Instructors group's right) does not make
        # one an editor of a course, even one's own: its instructors are.
        assert set(editable_courses(adder)) == set()
        assert set(editable_courses(users[0])) == set()
        assert set(editable_courses(users[1])) == {course_a, course_b, own}


class TestAccess:
    @pytest.mark.parametrize("group", ["Instructors", "Reviewers"])
    def test_course_editors_see_the_learners_menu_with_a_request_count(
        self, client, course_a, group
    ):
        pending(course_a)
        pending(course_a)
        editor = member_of(group, "editor")
        if group == "Instructors":
            add_instructor(course_a, editor)
        client.force_login(editor)
        response = client.get(reverse("wagtailadmin_home"))
        assert response.status_code == 200
        content = response.content.decode()
        assert "Learners" in content
        assert "Enrolment requests (2)" in content
        assert "Course progress" in content

    @pytest.mark.parametrize(
        "url", [REQUESTS_URL, f"{REQUESTS_URL}results/", PROGRESS_URL, f"{PROGRESS_URL}results/"]
    )
    def test_listings_and_their_filter_results_open(self, client, instructor, course_a, url):
        pending(course_a)
        client.force_login(instructor)
        response = client.get(url, {"course": course_a.pk})
        assert response.status_code == 200
        assert len(response.context["object_list"]) == 1

    @pytest.mark.parametrize("url", [REQUESTS_URL, PROGRESS_URL, f"{PROGRESS_URL}?export=csv"])
    def test_learner_without_admin_access_is_sent_to_login(self, client, learner, url):
        client.force_login(learner)
        response = client.get(url)
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]

    @pytest.mark.parametrize("url", [REQUESTS_URL, PROGRESS_URL])
    def test_admin_user_who_edits_no_course_is_turned_away(self, client, course_a, url):
        pending(course_a)
        client.force_login(member_of("Compliance admins", "cora"))
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")
        home = client.get(reverse("wagtailadmin_home")).content.decode()
        assert "Enrolment requests" not in home
        assert "Course progress" not in home

    def test_superuser_sees_every_course(self, client, course_a, course_b):
        pending(course_a)
        pending(course_b)
        client.force_login(UserFactory(username="root", is_superuser=True))
        response = client.get(REQUESTS_URL)
        assert response.status_code == 200
        assert len(response.context["object_list"]) == 2


class TestEnrolmentRequests:
    def test_instructor_sees_pending_requests_for_their_courses_only(
        self, client, botanist, course_a, course_b, learner
    ):
        mine = pending(course_b, user=learner)
        pending(course_a)
        EnrollmentFactory(course=course_b)  # active: not a request
        client.force_login(botanist)
        response = client.get(REQUESTS_URL)
        assert response.status_code == 200
        assert list(response.context["object_list"]) == [mine]
        content = response.content.decode()
        assert "Lena Lind" in content
        assert "lena@example.com" in content
        assert "Botany" in content
        assert "Anatomy" not in content
        assert approve_url(mine) in content
        assert reject_url(mine) in content

    def test_course_filter_narrows_the_list(self, client, instructor, course_a, course_b):
        in_a = pending(course_a)
        pending(course_b)
        client.force_login(instructor)
        response = client.get(REQUESTS_URL, {"course": course_a.pk})
        assert list(response.context["object_list"]) == [in_a]

    def test_approve_activates_and_emails_the_learner(
        self, client, instructor, course_a, learner, django_capture_on_commit_callbacks
    ):
        enrollment = pending(course_a, user=learner)
        client.force_login(instructor)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(approve_url(enrollment))
        assert response.status_code == 302
        assert response["Location"] == REQUESTS_URL
        enrollment.refresh_from_db()
        assert enrollment.status == Status.ACTIVE
        assert enrollment.decided_by == instructor
        assert enrollment.activated_at is not None
        assert [m.to for m in mail.outbox] == [["lena@example.com"]]
        assert mail.outbox[0].subject == "You're in: Anatomy"
        assert any("Approved" in text for text in message_texts(response))

    def test_approve_when_full_puts_the_learner_on_the_waitlist(
        self, client, instructor, course_a, learner, django_capture_on_commit_callbacks
    ):
        CoursePage.objects.filter(pk=course_a.pk).update(capacity=1, waitlist_enabled=True)
        EnrollmentFactory(course=course_a)
        enrollment = pending(course_a, user=learner)
        client.force_login(instructor)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(approve_url(enrollment))
        enrollment.refresh_from_db()
        assert enrollment.status == Status.WAITLISTED
        assert mail.outbox[0].subject == "Approved and on the waitlist: Anatomy"

    def test_approve_when_full_without_waitlist_shows_the_reason(
        self, client, instructor, course_a, django_capture_on_commit_callbacks
    ):
        CoursePage.objects.filter(pk=course_a.pk).update(capacity=1, waitlist_enabled=False)
        EnrollmentFactory(course=course_a)
        enrollment = pending(course_a)
        client.force_login(instructor)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(approve_url(enrollment))
        assert response.status_code == 302
        enrollment.refresh_from_db()
        assert enrollment.status == Status.PENDING
        assert not mail.outbox
        assert any("The course is full" in text for text in message_texts(response))

    def test_approving_a_decided_request_changes_nothing(self, client, instructor, course_a):
        enrollment = EnrollmentFactory(course=course_a, status=Status.REJECTED)
        client.force_login(instructor)
        response = client.post(approve_url(enrollment))
        assert response.status_code == 302
        enrollment.refresh_from_db()
        assert enrollment.status == Status.REJECTED
        assert any("Only requests awaiting approval" in t for t in message_texts(response))

    def test_approve_returns_to_the_filtered_list_but_not_elsewhere(
        self, client, instructor, course_a
    ):
        first, second = pending(course_a), pending(course_a)
        client.force_login(instructor)
        back = f"{REQUESTS_URL}?course={course_a.pk}"
        response = client.post(approve_url(first), {"next": back})
        assert response["Location"] == back
        response = client.post(approve_url(second), {"next": "https://evil.example/"})
        assert response["Location"] == REQUESTS_URL

    def test_reject_with_a_reason_emails_it(
        self, client, instructor, course_a, learner, django_capture_on_commit_callbacks
    ):
        enrollment = pending(course_a, user=learner)
        client.force_login(instructor)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reject_url(enrollment), {"reason": "  Full this term.  "})
        assert response.status_code == 302
        enrollment.refresh_from_db()
        assert enrollment.status == Status.REJECTED
        assert enrollment.reason == "Full this term."
        assert enrollment.decided_by == instructor
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == ["lena@example.com"]
        assert "Full this term." in mail.outbox[0].body

    @pytest.mark.parametrize("data", [{}, {"reason": "   "}])
    def test_reject_without_a_reason_shows_the_list_again_as_400(
        self, client, instructor, course_a, data, django_capture_on_commit_callbacks
    ):
        enrollment = pending(course_a)
        client.force_login(instructor)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reject_url(enrollment), data)
        assert response.status_code == 400
        content = response.content.decode()
        assert "Give the learner a reason" in content
        assert f'id="reject-reason-{enrollment.pk}-error"' in content
        enrollment.refresh_from_db()
        assert enrollment.status == Status.PENDING
        assert not mail.outbox

    def test_other_instructor_cannot_decide_and_nothing_changes(
        self, client, botanist, course_a, django_capture_on_commit_callbacks
    ):
        enrollment = pending(course_a)
        client.force_login(botanist)
        with django_capture_on_commit_callbacks(execute=True):
            approve = client.post(approve_url(enrollment))
            reject = client.post(reject_url(enrollment), {"reason": "No."})
        assert approve.status_code == 404
        assert reject.status_code == 404
        enrollment.refresh_from_db()
        assert enrollment.status == Status.PENDING
        assert enrollment.decided_by is None
        assert not mail.outbox

    def test_learner_cannot_decide(self, client, course_a, learner):
        enrollment = pending(course_a)
        client.force_login(learner)
        response = client.post(approve_url(enrollment))
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
        response = client.post(reject_url(enrollment), {"reason": "No."})
        assert "/admin/login/" in response["Location"]
        enrollment.refresh_from_db()
        assert enrollment.status == Status.PENDING

    def test_unknown_id_is_404(self, client, instructor, course_a):
        client.force_login(instructor)
        assert client.post("/admin/learners/requests/999999/approve/").status_code == 404
        response = client.post("/admin/learners/requests/999999/reject/", {"reason": "x"})
        assert response.status_code == 404

    def test_get_on_decision_endpoints_is_405(self, client, instructor, course_a):
        enrollment = pending(course_a)
        client.force_login(instructor)
        assert client.get(approve_url(enrollment)).status_code == 405
        assert client.get(reject_url(enrollment)).status_code == 405
        enrollment.refresh_from_db()
        assert enrollment.status == Status.PENDING

    def test_query_count_does_not_grow_with_requests(
        self, client, instructor, course_a, django_assert_max_num_queries
    ):
        for _ in range(3):
            pending(course_a)
        client.force_login(instructor)
        with CaptureQueriesContext(connection) as few:
            assert client.get(REQUESTS_URL).status_code == 200
        for _ in range(27):
            pending(course_a)
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(REQUESTS_URL)
        assert len(response.context["object_list"]) == 30


@pytest.fixture
def roster(catalog, learner):
    """Botany with a learner a third of the way through (quiz scores 50 and 85.5), a
    completed learner, and Anatomy with one active learner."""
    botany = small_course(title="Botany")
    active = EnrollmentFactory(
        course=botany.course,
        user=learner,
        progress_percent=33,
        lessons_completed=1,
        last_activity_at=timezone.now(),
    )
    for number, score in enumerate([Decimal("50.00"), Decimal("85.50")], start=1):
        QuizAttempt.objects.create(
            enrollment=active,
            lesson=botany.quiz_lesson,
            quiz_block_id="quiz",
            number=number,
            submitted_at=timezone.now(),
            answers={},
            graded={},
            score=score,
            pass_mark=75,
            passed=score >= 75,
        )
    done = EnrollmentFactory(
        course=botany.course,
        user=UserFactory(username="dora", first_name="Dora", last_name="Done"),
        status=Status.COMPLETED,
        progress_percent=100,
        lessons_completed=3,
    )
    anatomy = CoursePageFactory(title="Anatomy")
    other = EnrollmentFactory(course=anatomy, user=UserFactory(username="abe"))
    return {
        "botany": botany.course,
        "anatomy": anatomy,
        "active": active,
        "done": done,
        "other": other,
    }


class TestCourseProgress:
    @pytest.fixture
    def instructor(self, roster):
        """An instructor of both roster courses."""
        user = course_instructor(roster["botany"], "ines")
        add_instructor(roster["anatomy"], user)
        return user

    def test_roster_shows_progress_and_best_score(self, client, instructor, roster):
        client.force_login(instructor)
        response = client.get(PROGRESS_URL)
        assert response.status_code == 200
        rows = {e.pk: e for e in response.context["object_list"]}
        assert set(rows) == {roster["active"].pk, roster["done"].pk, roster["other"].pk}
        assert rows[roster["active"].pk].best_score == Decimal("85.50")
        assert rows[roster["done"].pk].best_score is None
        content = response.content.decode()
        for text in ("Lena Lind", "lena@example.com", "Botany", "33%", "85.5%", "Completed"):
            assert text in content

    def test_instructor_sees_only_courses_they_may_edit(self, client, roster):
        client.force_login(course_editor(roster["anatomy"], "otto"))
        response = client.get(PROGRESS_URL)
        assert [e.pk for e in response.context["object_list"]] == [roster["other"].pk]
        assert "Lena Lind" not in response.content.decode()
        courses = response.context["filters"].form.fields["course"].queryset
        assert list(courses) == [roster["anatomy"]]

    def test_filters_by_course_and_status(self, client, instructor, roster):
        client.force_login(instructor)
        response = client.get(PROGRESS_URL, {"course": roster["botany"].pk})
        assert {e.pk for e in response.context["object_list"]} == {
            roster["active"].pk,
            roster["done"].pk,
        }
        response = client.get(PROGRESS_URL, {"course": roster["botany"].pk, "status": "completed"})
        assert [e.pk for e in response.context["object_list"]] == [roster["done"].pk]

    def test_a_course_outside_the_users_reach_filters_nothing_in(self, client, roster):
        client.force_login(course_editor(roster["anatomy"], "otto"))
        response = client.get(PROGRESS_URL, {"course": roster["botany"].pk, "export": "csv"})
        assert [row[3] for row in csv_rows(response)[1:]] == ["Anatomy"]

    def test_csv_export_has_headings_and_the_filtered_rows(self, client, instructor, roster):
        client.force_login(instructor)
        response = client.get(PROGRESS_URL, {"course": roster["botany"].pk, "export": "csv"})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert "course-progress.csv" in response["Content-Disposition"]
        rows = csv_rows(response)
        assert rows[0] == EXPORT_HEADINGS
        by_username = {row[1]: row for row in rows[1:]}
        assert set(by_username) == {"lena", "dora"}
        lena = by_username["lena"]
        assert lena[:7] == [
            "Lena Lind",
            "lena",
            "lena@example.com",
            "Botany",
            "In progress",
            "33",
            "1",
        ]
        assert lena[7]  # last activity, local time
        assert lena[8] == "85.5"
        assert by_username["dora"][4] == "Completed"
        assert by_username["dora"][8] == ""

    def test_xlsx_export_opens_and_has_the_rows(self, client, instructor, roster):
        client.force_login(instructor)
        response = client.get(PROGRESS_URL, {"export": "xlsx", "status": "active"})
        assert response.status_code == 200
        workbook = openpyxl.load_workbook(io.BytesIO(streamed(response)))
        rows = list(workbook.active.iter_rows(values_only=True))
        assert list(rows[0]) == EXPORT_HEADINGS
        assert sorted(row[1] for row in rows[1:]) == ["abe", "lena"]
        lena = next(row for row in rows[1:] if row[1] == "lena")
        assert lena[3] == "Botany"
        assert lena[5] == 33
        assert lena[8] == 85.5

    def test_query_count_does_not_grow_with_rows(
        self, client, catalog, django_assert_max_num_queries
    ):
        botany = small_course(title="Botany")
        instructor = course_instructor(botany.course, "ines")

        def enrol(count):
            for _ in range(count):
                enrollment = EnrollmentFactory(course=botany.course, progress_percent=33)
                QuizAttempt.objects.create(
                    enrollment=enrollment,
                    lesson=botany.quiz_lesson,
                    quiz_block_id="quiz",
                    number=1,
                    submitted_at=timezone.now(),
                    answers={},
                    graded={},
                    score=Decimal("90"),
                    pass_mark=75,
                    passed=True,
                )

        enrol(3)
        client.force_login(instructor)
        budgets = {}
        for params in ({}, {"export": "csv"}, {"export": "xlsx"}):
            with CaptureQueriesContext(connection) as few:
                response = client.get(PROGRESS_URL, params)
                if params:
                    streamed(response)
            budgets[str(params)] = len(few.captured_queries)
        enrol(27)
        for params in ({}, {"export": "csv"}, {"export": "xlsx"}):
            with django_assert_max_num_queries(budgets[str(params)]):
                response = client.get(PROGRESS_URL, params)
                if params:
                    body = streamed(response)
        assert body  # the last (xlsx) export did run
        assert response.status_code == 200
