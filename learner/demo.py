"""Demo enrolments for ``manage.py load_demo``: learners in every state.

- ``learner``: halfway through Security Awareness Essentials (two lessons done), a
  request awaiting approval for Data Protection in Practice, and Running Effective
  Meetings completed (its quiz passed).
- ``learner2``: just started Security Awareness Essentials; a seat in Running Effective
  Meetings.
- Four more demo learners (no password: they only populate rosters): two more seats in
  Running Effective Meetings, so that its 3 places are full, one on its waitlist, one
  request awaiting approval and one turned down for Data Protection in Practice.

Everything goes through :mod:`learner.services`, and an existing enrolment of a demo
learner in a course is left as it is, so running the demo again changes nothing.
"""

import uuid
from collections.abc import Callable

from django.contrib.auth import get_user_model

from catalog.models import CoursePage
from catalog.selectors import course_outline
from lessons.models import LessonPage

from . import services
from .models import Enrollment

SECURITY = "security-awareness-essentials"
DATA = "data-protection-in-practice"
MEETINGS = "running-effective-meetings"

#: Roster-only learners: (username, first name, last name).
EXTRA_LEARNERS = [
    ("amara", "Amara", "Obi"),
    ("bo", "Bo", "Lindqvist"),
    ("chen", "Chen", "Wei"),
    ("dana", "Dana", "Kowalski"),
]


def correct_answers(lesson: LessonPage) -> dict[str, list[str]]:
    """Form data that answers the lesson's quiz correctly (for demo completions)."""
    data: dict[str, list[str]] = {}
    for question in lesson.quiz.value["questions"]:
        value = question.value
        if question.block_type == "short_answer":
            data[f"q-{question.id}"] = [value["accepted_answers"][0]]
        elif question.block_type == "true_false":
            data[f"q-{question.id}"] = [value["correct_answer"]]
        else:
            data[f"q-{question.id}"] = [
                str(o.id) for o in value["options"].bound_blocks if o.value["is_correct"]
            ]
    return data


def _complete_lessons(enrollment: Enrollment, count: int | None = None) -> None:
    lesson_ids = [lesson.id for lesson in course_outline(course=enrollment.course).lessons]
    lessons = LessonPage.objects.in_bulk(lesson_ids[:count] if count else lesson_ids)
    for lesson_id in lesson_ids[:count] if count else lesson_ids:
        lesson = lessons[lesson_id]
        services.lesson_view(enrollment=enrollment, lesson=lesson)
        if lesson.quiz is None:
            services.lesson_complete(enrollment=enrollment, lesson=lesson)
        else:
            services.quiz_submit(
                enrollment=enrollment,
                lesson=lesson,
                data=correct_answers(lesson),
                token=str(uuid.uuid4()),
            )


def _user(username: str, first: str = "", last: str = ""):
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": f"{username}@example.com"},
    )
    if created:
        user.set_unusable_password()
        user.save()
    return user


def _enrol(user, course: CoursePage, then=None) -> tuple[Enrollment, bool]:
    existing = Enrollment.objects.filter(user=user, course=course).order_by("-pk").first()
    if existing:
        return existing, False
    enrollment = services.enrollment_request(user=user, course=course)
    if then:
        then(enrollment)
    return enrollment, True


def load(*, log: Callable[[str], None]) -> None:
    """Create the demo enrolments (once) and log one line per learner."""
    courses = {c.slug: c for c in CoursePage.objects.filter(slug__in=[SECURITY, DATA, MEETINGS])}
    if len(courses) < 3:
        log("Enrolments: skipped (the demo courses are missing)")
        return
    instructor = get_user_model().objects.filter(username="instructor").first()
    learner = _user("learner")
    learner2 = _user("learner2")
    extras = {username: _user(username, first, last) for username, first, last in EXTRA_LEARNERS}

    plan = [
        (learner, SECURITY, lambda e: _complete_lessons(e, 2)),
        (learner, DATA, None),
        (learner, MEETINGS, lambda e: _complete_lessons(e)),
        (learner2, SECURITY, lambda e: _complete_lessons(e, 1)),
        (learner2, MEETINGS, None),
        (extras["amara"], MEETINGS, lambda e: _complete_lessons(e, 1)),
        (extras["bo"], MEETINGS, None),
        (extras["chen"], MEETINGS, None),  # the fourth request: waitlisted
        (extras["chen"], DATA, None),
        (
            extras["dana"],
            DATA,
            lambda e: services.enrollment_reject(
                enrollment=e,
                by=instructor,
                reason="This course is for staff who handle personal data; "
                "please ask your manager to nominate you.",
            ),
        ),
    ]
    created = 0
    for user, slug, then in plan:
        _, was_created = _enrol(user, courses[slug], then)
        created += was_created
    counts = {
        status.label: Enrollment.objects.filter(course__in=courses.values(), status=status).count()
        for status in Enrollment.Status
    }
    summary = ", ".join(f"{label.lower()} {n}" for label, n in counts.items() if n)
    log(f"Enrolments: {created} created; now {summary}")
