"""Instructors draft and submit courses; reviewers approve them and they go live."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from wagtail.models import WorkflowState

import pytest

from catalog.models import CoursePage
from tests.catalog.admin_forms import course_form
from tests.catalog.factories import CoursePageFactory
from tests.lessons.factories import give_a_lesson


def add_course_url(catalog) -> str:
    return reverse("wagtailadmin_pages:add", args=("catalog", "coursepage", catalog.pk))


@pytest.mark.django_db
class TestInstructorPermissions:
    def test_instructor_can_add_and_edit_their_course_but_not_publish(
        self, client, catalog, instructor
    ):
        client.force_login(instructor)
        response = client.post(
            add_course_url(catalog), course_form("Ethics", **{"action-publish": "1"})
        )
        assert response.status_code == 302
        course = CoursePage.objects.get(slug="ethics")
        assert not course.live, "an instructor's publish request must not publish"
        perms = course.permissions_for_user(instructor)
        assert perms.can_edit()
        assert not perms.can_publish()
        assert client.get(reverse("wagtailadmin_pages:edit", args=(course.pk,))).status_code == 200

    def test_instructor_cannot_unpublish_a_live_course(self, client, catalog, instructor):
        course = CoursePageFactory(title="Live one")
        client.force_login(instructor)
        response = client.post(reverse("wagtailadmin_pages:unpublish", args=(course.pk,)))
        assert response.status_code in (302, 403)
        course.refresh_from_db()
        assert course.live

    def test_learner_without_a_group_cannot_open_the_admin(self, client):
        user = get_user_model().objects.create_user("lena", "l@example.com", "pw")
        client.force_login(user)
        response = client.get(reverse("wagtailadmin_home"))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")  # the site's sign-in

    def test_instructor_cannot_create_pages_outside_the_catalog(self, client, catalog, instructor):
        client.force_login(instructor)
        home = catalog.get_parent()
        url = reverse("wagtailadmin_pages:add", args=("catalog", "catalogpage", home.pk))
        assert client.get(url).status_code in (302, 403)


@pytest.mark.django_db
class TestCourseReviewWorkflow:
    def test_submitting_and_approving_publishes_the_course(
        self, client, catalog, instructor, reviewer
    ):
        client.force_login(instructor)
        client.post(add_course_url(catalog), course_form("Lab safety", **{"action-submit": "1"}))
        course = CoursePage.objects.get(slug="lab-safety")
        give_a_lesson(course)  # a course goes live only with a lesson (see test_review)
        state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(course.pk))
        assert state.status == WorkflowState.STATUS_IN_PROGRESS
        assert state.workflow.name == "Course review"
        assert not course.live

        client.force_login(reviewer)
        dashboard = client.get(reverse("wagtailadmin_home"))
        assert b"Lab safety" in dashboard.content  # in "Awaiting your review"
        task_state = state.current_task_state
        response = client.post(
            reverse(
                "wagtailadmin_pages:workflow_action",
                args=(course.pk, "approve", task_state.pk),
            ),
            {"comment": "Looks good."},
        )
        assert response.status_code in (200, 302)
        course.refresh_from_db()
        state.refresh_from_db()
        assert course.live
        assert state.status == WorkflowState.STATUS_APPROVED
        assert client.get(course.url).status_code == 200

    def test_reviewer_can_request_changes(self, client, catalog, instructor, reviewer):
        client.force_login(instructor)
        client.post(
            add_course_url(catalog), course_form("Manual handling", **{"action-submit": "1"})
        )
        course = CoursePage.objects.get(slug="manual-handling")
        state = WorkflowState.objects.get(object_id=str(course.pk))

        client.force_login(reviewer)
        client.post(
            reverse(
                "wagtailadmin_pages:workflow_action",
                args=(course.pk, "reject", state.current_task_state.pk),
            ),
            {"comment": "Add a quiz."},
        )
        course.refresh_from_db()
        state.refresh_from_db()
        assert not course.live
        assert state.status == WorkflowState.STATUS_NEEDS_CHANGES

    def test_instructor_cannot_approve_their_own_submission(self, client, catalog, instructor):
        client.force_login(instructor)
        client.post(add_course_url(catalog), course_form("Self review", **{"action-submit": "1"}))
        course = CoursePage.objects.get(slug="self-review")
        state = WorkflowState.objects.get(object_id=str(course.pk))
        response = client.post(
            reverse(
                "wagtailadmin_pages:workflow_action",
                args=(course.pk, "approve", state.current_task_state.pk),
            ),
            {"comment": ""},
        )
        assert response.status_code in (302, 403)
        course.refresh_from_db()
        assert not course.live
