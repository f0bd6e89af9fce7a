"""Factories for learners, enrolments and a small course with lessons and a quiz."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

import factory
from factory.django import DjangoModelFactory

from catalog.models import CoursePage
from catalog.selectors import course_instructors
from catalog.services import set_course_instructors
from learner.models import Enrollment, QuizAttempt
from lessons.models import LessonPage
from tests.catalog.factories import CoursePageFactory, ModulePageFactory
from tests.lessons.factories import LessonPageFactory, lesson_body, paragraph, quiz

PASSWORD = "a-long-learner-passphrase"  # noqa: S105 - test accounts only


class UserFactory(DjangoModelFactory):
    username = factory.Sequence(lambda n: f"learner{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    first_name = "Lee"
    last_name = factory.Sequence(lambda n: f"Learner{n}")
    password = factory.django.Password(PASSWORD)

    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]


def member_of(group_name: str, username: str, **fields):
    """A user in the named group (one of the groups the migrations ship)."""
    user = UserFactory(username=username, **fields)
    user.groups.add(Group.objects.get(name=group_name))
    return user


class EnrollmentFactory(DjangoModelFactory):
    user = factory.SubFactory(UserFactory)
    course = factory.SubFactory(CoursePageFactory)
    status = Enrollment.Status.ACTIVE
    requested_at = factory.LazyFunction(timezone.now)
    activated_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = Enrollment


def pending(course: CoursePage, **fields) -> Enrollment:
    """A request to join ``course`` that awaits an instructor's decision."""
    return EnrollmentFactory(
        course=course, status=Enrollment.Status.PENDING, activated_at=None, **fields
    )


@dataclass
class SmallCourse:
    """A course with one module: a reading lesson, a quiz lesson, another reading."""

    course: CoursePage
    reading: LessonPage
    quiz_lesson: LessonPage
    last: LessonPage

    @property
    def lessons(self) -> list[LessonPage]:
        return [self.reading, self.quiz_lesson, self.last]


def small_course(**course_fields) -> SmallCourse:
    course = CoursePageFactory(**course_fields)
    module = ModulePageFactory(parent=course, title="Module one")
    reading = LessonPageFactory(parent=module, title="Reading")
    quiz_lesson = LessonPageFactory(
        parent=module, title="Quiz time", body=lesson_body(paragraph(), quiz(pass_mark=75))
    )
    last = LessonPageFactory(parent=module, title="Wrap up")
    return SmallCourse(course=course, reading=reading, quiz_lesson=quiz_lesson, last=last)


def answer_key(lesson: LessonPage, *, correct: bool = True) -> dict[str, list[str]]:
    """POST data answering every question of the lesson's quiz, all right or all wrong."""
    data: dict[str, list[str]] = {}
    for question in lesson.quiz.value["questions"]:
        field = f"q-{question.id}"
        value = question.value
        if question.block_type == "short_answer":
            data[field] = [value["accepted_answers"][0].upper() if correct else "no idea"]
        elif question.block_type == "true_false":
            right = value["correct_answer"]
            data[field] = [right if correct else ("false" if right == "true" else "true")]
        else:
            options = value["options"].bound_blocks
            picks = [str(o.id) for o in options if bool(o.value["is_correct"]) == correct]
            if question.block_type == "single_choice":
                picks = picks[:1]
            data[field] = ["", *picks] if question.block_type == "multiple_choice" else picks
    return data


def graded_attempt(
    enrollment: Enrollment,
    lesson: LessonPage,
    *,
    number: int,
    score: Decimal,
    submitted_at: datetime | None = None,
) -> QuizAttempt:
    """A graded attempt at the lesson's quiz (block ``quiz``, pass mark 75), stored as
    is: no answers, passed from the score alone."""
    return QuizAttempt.objects.create(
        enrollment=enrollment,
        lesson=lesson,
        quiz_block_id="quiz",
        number=number,
        submitted_at=submitted_at or timezone.now(),
        answers={},
        graded={},
        score=score,
        pass_mark=75,
        passed=score >= 75,
    )


def submit_quiz(client, lesson: LessonPage, data: dict, token: str | None = None):
    """POST ``data`` (see :func:`answer_key`) to the lesson's quiz, with a fresh
    submission token unless one is given."""
    payload = {**data, "submission_token": [token or str(uuid.uuid4())]}
    return client.post(f"/learn/lessons/{lesson.pk}/quiz/", payload)


def course_instructor(course: CoursePage, username: str):
    """A member of the shipped Instructors group who instructs ``course`` (and so may
    edit it and see its learners), through the same service as the course's form."""
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name="Instructors"))
    add_instructor(course, user)
    return user


def add_instructor(course: CoursePage, user) -> None:
    """Make ``user`` one more instructor of ``course``."""
    current = list(course_instructors(course=course))
    set_course_instructors(course=course, instructors=[*current, user])


#: The name the older tests use: an instructor of one course is its editor.
course_editor = course_instructor
