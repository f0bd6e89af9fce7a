"""Course review covers the course as a whole: one item for the reviewer, a preview of
every draft module and lesson, and approval that publishes them together."""

from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from wagtail.models import Page, PageLogEntry, WorkflowState

import pytest

from catalog.workflow import NO_LIVE_LESSON, CourseNotReady
from tests.catalog.admin_forms import (
    add_page,
    child,
    course_form,
    decide,
    edit_page,
    lesson_form,
    module_form,
    review_state,
)
from tests.catalog.factories import CoursePageFactory, ModulePageFactory
from tests.lessons.factories import LessonPageFactory, give_a_lesson

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def draft_course(client: Client, catalog, title="Lab safety", lessons=("Goggles", "Gloves")):
    """As the instructor: a course, a module and lessons, all saved as drafts."""
    add_page(client, catalog, "coursepage", course_form(title))
    course = child(catalog, title.lower().replace(" ", "-"))
    add_page(client, course, "modulepage", module_form("Protection"))
    module = child(course, "protection")
    for lesson in lessons:
        add_page(client, module, "lessonpage", lesson_form(lesson, f"About {lesson.lower()}."))
    return course, module


def publish_entries(page: Page) -> int:
    return PageLogEntry.objects.filter(page=page, action="wagtail.publish").count()


class TestSubmitting:
    def test_submitting_a_lesson_puts_the_whole_course_in_review_as_one_item(
        self, catalog, instructor, reviewer
    ):
        client = signed_in(instructor)
        course, module = draft_course(client, catalog, lessons=("Goggles",))
        response = add_page(client, module, "lessonpage", lesson_form("Gloves"), "submit")
        assert response.status_code == 302
        assert "The whole course “Lab safety” is now awaiting review" in messages_of(response)[-1]

        states = WorkflowState.objects.filter(status=WorkflowState.STATUS_IN_PROGRESS)
        assert [(state.object_id, state.workflow.name) for state in states] == [
            (str(course.pk), "Course review")
        ]
        assert not Page.objects.descendant_of(course, inclusive=True).live().exists()
        dashboard = signed_in(reviewer).get(reverse("wagtailadmin_home")).content.decode()
        assert "Lab safety" in dashboard

    def test_submitting_the_course_itself_starts_the_same_review(self, catalog, instructor):
        client = signed_in(instructor)
        course, _ = draft_course(client, catalog)
        edit_page(client, course, course_form("Lab safety"), "submit")
        assert review_state(course).status == WorkflowState.STATUS_IN_PROGRESS

    def test_while_in_review_the_instructor_can_change_nothing_in_the_course(
        self, catalog, instructor
    ):
        client = signed_in(instructor)
        course, module = draft_course(client, catalog)
        edit_page(client, course, course_form("Lab safety"), "submit")
        goggles = child(module, "goggles")
        revisions = goggles.revisions.count()

        response = client.get(reverse("wagtailadmin_pages:edit", args=(goggles.pk,)))
        assert "is awaiting review" in response.content.decode()
        edit_page(client, goggles, lesson_form("Goggles", "Changed behind the reviewer."))
        assert goggles.revisions.count() == revisions
        add = reverse("wagtailadmin_pages:add", args=("lessons", "lessonpage", module.pk))
        assert client.get(add)["Location"] == reverse("wagtailadmin_home")
        assert not module.permissions_for_user(instructor).can_add_subpage()
        assert not goggles.permissions_for_user(instructor).can_delete()
        assert signed_in(instructor).post(
            reverse("wagtailadmin_pages:delete", args=(goggles.pk,))
        ).status_code in (302, 403)
        assert Page.objects.filter(pk=goggles.pk).exists()


class TestPreview:
    def test_reviewer_previews_the_whole_course_with_draft_lessons(
        self, catalog, instructor, reviewer
    ):
        client = signed_in(instructor)
        course, _ = draft_course(client, catalog)
        edit_page(client, course, course_form("Lab safety"), "submit")
        task = review_state(course).current_task_state.task_id

        url = reverse("wagtailadmin_pages:workflow_preview", args=(course.pk, task))
        response = signed_in(reviewer).get(url)
        assert response.status_code == 200
        html = response.content.decode()
        for text in ("Protection", "Goggles", "About goggles.", "Gloves", "About gloves."):
            assert text in html, text
        assert "Approving publishes the course with 1 module and 2 lessons marked new" in html
        assert "<dt>Lessons</dt><dd>2</dd>" in html

    def test_the_course_page_preview_lists_draft_lessons_too(self, catalog, instructor):
        client = signed_in(instructor)
        course, _ = draft_course(client, catalog)
        url = reverse("wagtailadmin_pages:preview_on_edit", args=(course.pk,))
        client.post(url, course_form("Lab safety"))
        html = client.get(url, {"mode": "page"}).content.decode()
        assert "Goggles" in html and "Gloves" in html
        assert "<dt>Lessons</dt><dd>2</dd>" in html

    def test_a_course_without_lessons_says_it_cannot_be_approved(
        self, catalog, instructor, reviewer
    ):
        client = signed_in(instructor)
        add_page(client, catalog, "coursepage", course_form("Empty"), "submit")
        course = child(catalog, "empty")
        state = review_state(course)
        url = reverse(
            "wagtailadmin_pages:workflow_preview",
            args=(course.pk, state.current_task_state.task_id),
        )
        assert "it cannot be approved" in signed_in(reviewer).get(url).content.decode()


class TestApproving:
    def test_approving_publishes_the_course_and_its_drafts_together(
        self, catalog, instructor, reviewer
    ):
        client = signed_in(instructor)
        course, module = draft_course(client, catalog)
        edit_page(client, course, course_form("Lab safety"), "submit")

        response = decide(signed_in(reviewer), course, "approve", "Looks good.")
        assert response.status_code == 302
        pages = [course, module, child(module, "goggles"), child(module, "gloves")]
        for page in pages:
            page.refresh_from_db()
            assert page.live, page
            entry = PageLogEntry.objects.get(page=page, action="wagtail.publish")
            assert entry.user == reviewer
        assert review_state(course) is None

        visitor = Client().get(course.url).content.decode()
        assert "<dt>Lessons</dt><dd>2</dd>" in visitor
        assert "Goggles" in visitor and "Gloves" in visitor
        assert "Sign in to enrol" in visitor

    def test_an_edit_to_one_lesson_of_a_live_course_publishes_only_that_lesson(
        self, catalog, instructor, reviewer
    ):
        client = signed_in(instructor)
        course, module = draft_course(client, catalog)
        edit_page(client, course, course_form("Lab safety"), "submit")
        decide(signed_in(reviewer), course, "approve")
        goggles, gloves = child(module, "goggles"), child(module, "gloves")
        before = {page.pk: publish_entries(page) for page in (course, module, goggles, gloves)}

        edit_page(client, gloves, lesson_form("Gloves", "Nitrile, not latex."), "submit")
        assert review_state(course).status == WorkflowState.STATUS_IN_PROGRESS
        assert "Nitrile" not in Client().get(course.url).content.decode()
        decide(signed_in(reviewer), course, "approve")

        after = {page.pk: publish_entries(page) for page in (course, module, goggles, gloves)}
        assert after == {**before, gloves.pk: before[gloves.pk] + 1}
        gloves.refresh_from_db()
        assert "Nitrile" in str(gloves.body)

    def test_a_course_that_would_have_no_lesson_cannot_be_approved(
        self, catalog, instructor, reviewer
    ):
        client = signed_in(instructor)
        add_page(client, catalog, "coursepage", course_form("Empty"), "submit")
        course = child(catalog, "empty")
        task = review_state(course).current_task_state.task.specific
        assert [name for name, *_ in task.get_actions(course, reviewer)] == ["reject"]

        response = decide(signed_in(reviewer), course, "approve")
        assert response.status_code in (302, 403)
        course.refresh_from_db()
        assert not course.live
        assert review_state(course).status == WorkflowState.STATUS_IN_PROGRESS


class TestRequestingChanges:
    def test_requesting_changes_leaves_every_draft_unpublished_and_resubmits_as_one(
        self, catalog, instructor, reviewer
    ):
        client = signed_in(instructor)
        course, module = draft_course(client, catalog)
        edit_page(client, course, course_form("Lab safety"), "submit")
        state = review_state(course)

        decide(signed_in(reviewer), course, "reject", "Add a quiz.")
        state.refresh_from_db()
        assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
        assert not Page.objects.descendant_of(course, inclusive=True).live().exists()

        # The drafts are the instructor's again; submitting a lesson resumes the review.
        gloves = child(module, "gloves")
        edit_page(client, gloves, lesson_form("Gloves", "Now with a quiz."), "submit")
        state.refresh_from_db()
        assert state.status == WorkflowState.STATUS_IN_PROGRESS
        assert WorkflowState.objects.count() == 1


class TestNeverLiveWithoutLessons:
    def test_publishing_an_empty_course_in_the_admin_is_refused_with_the_reason(
        self, catalog, reviewer
    ):
        client = signed_in(reviewer)
        response = add_page(client, catalog, "coursepage", course_form("Empty"), "publish")
        course = child(catalog, "empty")
        assert not course.live
        assert response["Location"] == reverse("wagtailadmin_pages:edit", args=(course.pk,))
        assert messages_of(response) == [NO_LIVE_LESSON]
        assert course.get_latest_revision() is not None  # the draft is kept

    def test_publishing_a_course_with_a_live_lesson_works(self, catalog, reviewer):
        course = CoursePageFactory(title="Ready", live=False)
        give_a_lesson(course)
        edit_page(signed_in(reviewer), course, course_form("Ready"), "publish")
        course.refresh_from_db()
        assert course.live

    def test_publishing_in_code_is_refused_too(self, catalog):
        course = CoursePageFactory(title="Empty", live=False)
        with pytest.raises(CourseNotReady):
            course.save_revision().publish()
        course.refresh_from_db()
        assert not course.live

    def test_unpublishing_the_last_lesson_of_a_live_course_is_refused(self, catalog, reviewer):
        course = CoursePageFactory(title="Live")
        lesson = give_a_lesson(course)
        url = reverse("wagtailadmin_pages:unpublish", args=(lesson.pk,))
        response = signed_in(reviewer).post(url)
        lesson.refresh_from_db()
        assert lesson.live
        assert "would be left with no lessons" in messages_of(response)[0]

    def test_unpublishing_one_of_two_lessons_is_allowed(self, catalog, reviewer):
        course = CoursePageFactory(title="Live")
        module = ModulePageFactory(parent=course)
        first, second = LessonPageFactory(parent=module), LessonPageFactory(parent=module)
        signed_in(reviewer).post(reverse("wagtailadmin_pages:unpublish", args=(first.pk,)))
        first.refresh_from_db()
        assert not first.live and second.live

    def test_a_live_course_without_lessons_shows_no_enrol_button(self, client, catalog):
        course = CoursePageFactory(title="Hollow")  # made live directly, as old data may be
        html = client.get(course.url).content.decode()
        assert "no lessons yet" in html
        assert "Sign in to enrol" not in html
        assert "<dt>Lessons</dt><dd>0</dd>" in html
