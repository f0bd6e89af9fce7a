"""``manage.py load_demo`` builds the documented demo, idempotently, and it renders.

These are the only tests that load the demo data; each loads it itself (with a fast
password hasher and a temporary media folder).
"""

import io

from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import RequestFactory
from django.utils.html import escape

from wagtail.images import get_image_model
from wagtail.models import Page, Revision, WorkflowState

import pytest

from accounts.demo import DEMO_USERS, PASSWORD_ENV_VAR
from catalog.models import CoursePage, ModulePage
from lessons.models import LessonPage

SECURITY_SLUG = "security-awareness-essentials"
DRAFT_SLUG = "writing-accessible-documents"


def sign_in(*, username: str, password: str):
    """Check a password as the sign-in form does (django-axes needs the request)."""
    return authenticate(
        RequestFactory().post("/accounts/login/"), username=username, password=password
    )


@pytest.fixture(autouse=True)
def fast_and_isolated(settings, tmp_path, monkeypatch):
    """Hash passwords cheaply, keep cover images out of the project's media folder and
    ignore a password override set in the developer's environment."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.delenv(PASSWORD_ENV_VAR, raising=False)


def load_demo() -> str:
    output = io.StringIO()
    call_command("load_demo", stdout=output)
    return output.getvalue()


def snapshot() -> dict[str, object]:
    """What a second run must leave exactly as it was."""
    return {
        "pages": list(
            Page.objects.order_by("path").values_list(
                "path", "title", "slug", "live", "content_type__model"
            )
        ),
        "revisions": Revision.objects.count(),
        "users": list(get_user_model().objects.order_by("username").values_list("username")),
        "images": list(get_image_model().objects.order_by("pk").values_list("pk", "title")),
        "workflow_states": list(WorkflowState.objects.values_list("object_id", "status")),
    }


def quiz_blocks(course: CoursePage) -> list:
    lessons = LessonPage.objects.live().descendant_of(course)
    return [lesson.quiz for lesson in lessons if lesson.quiz is not None]


@pytest.mark.django_db
class TestLoadDemo:
    def test_running_twice_leaves_the_same_content_and_prints_the_logins(self):
        first_output = load_demo()
        before = snapshot()

        second_output = load_demo()

        assert snapshot() == before
        # One cover per course, the logo and the signature, reused on the second run.
        assert len(before["images"]) == 6
        for output in (first_output, second_output):
            assert "Demo logins" in output
            for user in DEMO_USERS:
                assert user.username in output
            assert "fledge-demo-instructor" in output
        assert "Lessons:" in first_output  # the demo courses are the lessons app's demo
        assert "13 unchanged" in second_output

    def test_security_course_is_complete_and_every_demo_page_is_valid(self):
        load_demo()

        course = CoursePage.objects.get(slug=SECURITY_SLUG)
        lessons = LessonPage.objects.live().descendant_of(course)
        assert ModulePage.objects.live().child_of(course).count() == 3
        assert lessons.count() >= 8
        assert course.certificate_validity_months == 12
        assert course.subject.name == "Security"
        assert course.cover_image is not None
        block_types = {block.block_type for lesson in lessons for block in lesson.body}
        assert {"video", "callout", "quiz", "heading", "paragraph"} <= block_types

        quizzes = quiz_blocks(course)
        assert len(quizzes) == 2
        question_types = set()
        for quiz in quizzes:
            questions = list(quiz.value["questions"])
            assert len(questions) >= 5
            assert all(question.id for question in questions), "question ids are stored"
            assert all(str(question.value["explanation"]) for question in questions)
            question_types |= {question.block_type for question in questions}
        assert question_types == {"single_choice", "multiple_choice", "true_false", "short_answer"}

        # Every demo page passes the validation the admin would apply when it is edited.
        for lesson in LessonPage.objects.all():
            # Raises ValidationError, e.g. for a single-choice question without exactly
            # one correct option, or a video URL that is not YouTube or Vimeo.
            lesson.body.stream_block.clean(lesson.body)
        for page in Page.objects.type(CoursePage, ModulePage, LessonPage).specific():
            page.full_clean()

    def test_three_live_courses_and_a_draft_awaiting_review(self):
        load_demo()

        live = CoursePage.objects.live()
        assert live.count() == 3
        assert live.filter(enrollment_policy=CoursePage.EnrollmentPolicy.APPROVAL).exists()
        assert live.filter(capacity=3, waitlist_enabled=True).exists()

        draft = CoursePage.objects.get(slug=DRAFT_SLUG)
        instructor = get_user_model().objects.get(username="instructor")
        assert not draft.live
        assert draft.owner == instructor
        state = draft.current_workflow_state
        assert state.status == WorkflowState.STATUS_IN_PROGRESS
        assert state.workflow.name == "Course review"
        assert state.requested_by == instructor
        assert state.current_task_state.revision == draft.get_latest_revision()

    def test_demo_users_sign_in_with_their_documented_passwords_and_roles(self, monkeypatch):
        load_demo()

        for username, group in [
            ("instructor", "Instructors"),
            ("instructor2", "Instructors"),
            ("reviewer", "Reviewers"),
            ("compliance", "Compliance admins"),
        ]:
            user = sign_in(username=username, password=f"fledge-demo-{username}")
            assert user is not None
            # Role groups; instructors are also in their courses' own groups.
            roles = user.groups.filter(course_team__isnull=True)
            assert list(roles.values_list("name", flat=True)) == [group]
            assert not user.is_superuser
        assert sign_in(username="admin", password="fledge-demo-admin").is_superuser
        assert sign_in(username="learner2", password="fledge-demo-learner") is not None
        # Only the documented accounts can sign in; roster-only demo learners cannot.
        usable = [u for u in get_user_model().objects.all() if u.has_usable_password()]
        assert sorted(u.username for u in usable) == sorted(d.username for d in DEMO_USERS)

        monkeypatch.setenv(PASSWORD_ENV_VAR, "a-chosen-demo-passphrase")
        assert "a-chosen-demo-passphrase" in load_demo()
        assert sign_in(username="reviewer", password="a-chosen-demo-passphrase")
        assert sign_in(username="reviewer", password="fledge-demo-reviewer") is None
        reviewer = get_user_model().objects.get(username="reviewer")
        assert list(reviewer.groups.values_list("name", flat=True)) == ["Reviewers"]

    def test_home_courses_and_a_quiz_lesson_render(self, client):
        load_demo()

        home = client.get("/")
        assert home.status_code == 200
        for course in CoursePage.objects.live():
            assert course.title in home.text
            assert client.get(course.url).status_code == 200
        draft = CoursePage.objects.get(slug=DRAFT_SLUG)
        assert client.get(draft.url).status_code == 404

        # Signed in as the superuser, who may read any lesson whatever the enrolment rules.
        client.force_login(get_user_model().objects.get(username="admin"))
        course = CoursePage.objects.get(slug=SECURITY_SLUG)
        lesson = next(
            lesson
            for lesson in LessonPage.objects.live().descendant_of(course).order_by("path")
            if lesson.quiz is not None
        )
        response = client.get(lesson.url)
        assert response.status_code == 200
        assert escape(lesson.title) in response.text
        assert escape(lesson.quiz.value["title"]) in response.text
