"""Reads shared by the lesson guard, template tags, the dashboard and admin views."""

from dataclasses import dataclass, field

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import F, FilteredRelation, Max, Q, QuerySet

from base.prepared import Marker, PreparedQuery
from catalog.models import CoursePage
from catalog.selectors import (
    CourseOutline,
    OutlineLesson,
    course_links,
    course_outline,
)
from lessons.models import LessonPage

from .models import Enrollment, LessonProgress, QuizAttempt

Status = Enrollment.Status


def _enrollments_of(user, course):
    return Enrollment.objects.filter(
        user=user, course=course, status__in=[*Enrollment.OPEN_STATUSES, Status.COMPLETED]
    ).order_by("-requested_at", "-pk")


#: Compiled once (``base.prepared``): every lesson action reads them.
_enrollments = PreparedQuery(_enrollments_of, user=Marker.number(), course=Marker.number())
_enrollments_locked = PreparedQuery(
    lambda user, course: _enrollments_of(user, course).select_for_update(of=("self",)),
    user=Marker.number(),
    course=Marker.number(),
)
#: Each enrolment joined to its completed lessons (one row per lesson, or one with none).
_enrollments_with_done = PreparedQuery(
    lambda user, course: (
        _enrollments_of(user, course)
        .annotate(
            done=FilteredRelation("progress", condition=Q(progress__completed_at__isnull=False))
        )
        .annotate(done_lesson_id=F("done__lesson_id"))
    ),
    user=Marker.number(),
    course=Marker.number(),
)


def current_enrollment(
    *, user: AbstractBaseUser, course: CoursePage, lock: bool = False
) -> Enrollment | None:
    """The learner's open enrolment in the course, else their latest completed one.

    ``lock`` (inside a transaction, for a service about to change the enrolment): the
    rows are read under their row locks, held until the transaction ends, so the read
    waits for a request that holds them and sees what it committed (see
    ``learner.services._locked``, the same lock by the enrolment's id).
    """
    if not user.is_authenticated:
        return None
    rows = (_enrollments_locked if lock else _enrollments)(user=user.pk, course=course.pk)
    open_one = next((e for e in rows if e.is_open), None)
    return open_one or next(iter(rows), None)


def enrollment_and_completed(
    *, user: AbstractBaseUser, course: CoursePage
) -> tuple[Enrollment | None, set[int]]:
    """:func:`current_enrollment` and its :func:`completed_lesson_ids` in one query:
    the learner's enrolments in the course, each joined to its completed lessons (one
    row per completed lesson, or one row with none)."""
    if not user.is_authenticated:
        return None, set()
    rows = _enrollments_with_done(user=user.pk, course=course.pk)
    chosen = next((e for e in rows if e.is_open), None) or next(iter(rows), None)
    if chosen is None:
        return None, set()
    completed = {e.done_lesson_id for e in rows if e.pk == chosen.pk and e.done_lesson_id}
    return chosen, completed


def completed_lesson_ids(*, enrollment: Enrollment | None) -> set[int]:
    if enrollment is None:
        return set()
    return set(
        LessonProgress.objects.filter(
            enrollment=enrollment, completed_at__isnull=False
        ).values_list("lesson_id", flat=True)
    )


def course_progress(*, request, course: CoursePage) -> tuple[Enrollment | None, set[int]]:
    """The reader's enrolment in ``course`` (:func:`current_enrollment`) and the lessons
    it has completed, read once per request however many parts of the page ask (the
    enrol panel and the outline's ticks both do)."""
    memo = request.__dict__.setdefault("_learner_course_progress", {})
    if course.pk not in memo:
        memo[course.pk] = enrollment_and_completed(user=request.user, course=course)
    return memo[course.pk]


def first_unfinished_lesson_url(*, outline: CourseOutline, completed: set[int]) -> str:
    """Where "continue" goes: the first lesson not yet complete, else the first one."""
    first_open = next((lesson for lesson in outline.lessons if lesson.id not in completed), None)
    if first_open:
        return first_open.url
    return outline.lessons[0].url if outline.lessons else ""


def seats_left(*, course: CoursePage) -> int | None:
    """Free seats, or None for an unlimited course."""
    if course.capacity is None:
        return None
    taken = Enrollment.objects.filter(course=course, status=Status.ACTIVE).count()
    return max(0, course.capacity - taken)


def can_edit_page(*, user: AbstractBaseUser, page) -> bool:
    """Whether the user may edit the page. Users without admin access (learners) are
    answered from their cached permissions, without the page-permission queries."""
    if not user.is_authenticated or not user.has_perm("wagtailadmin.access_admin"):
        return False
    return page.permissions_for_user(user).can_edit()


@dataclass
class LessonState:
    """What the lesson page needs to know about the learner reading it."""

    enrollment: Enrollment | None
    outline: CourseOutline
    completed_ids: set[int]
    is_editor: bool = False
    attempts: list[QuizAttempt] = field(default_factory=list)

    @property
    def passed_quiz(self) -> bool:
        return any(attempt.passed for attempt in self.attempts)


@dataclass(frozen=True)
class LessonAccess:
    """The guard's verdict on a lesson request: allowed, or where to send the user."""

    allowed: bool
    state: LessonState | None = None
    message: str = ""
    redirect_to: str = ""
    #: The first lesson still to do, when sequential lessons hold this one back.
    blocking_lesson: OutlineLesson | None = None


def lesson_access(*, user: AbstractBaseUser, lesson: LessonPage, request=None) -> LessonAccess:
    """Decide whether ``user`` may read ``lesson``.

    Editors of the page may always read it. Learners need an active or completed
    enrolment, and with sequential lessons every earlier lesson complete (a completed
    enrolment opens everything). Everyone else is sent to the course page, told why.
    """
    course = lesson.course
    outline = course_outline(course=course, request=request)
    if can_edit_page(user=user, page=lesson):
        enrollment, completed = enrollment_and_completed(user=user, course=course)
        return LessonAccess(
            allowed=True,
            state=LessonState(
                enrollment=enrollment if enrollment and enrollment.grants_access else None,
                outline=outline,
                completed_ids=completed,
                is_editor=True,
            ),
        )
    course_url = course.get_url(request=request)
    if not user.is_authenticated:
        return LessonAccess(
            allowed=False,
            message="Sign in and enrol in this course to read its lessons.",
            redirect_to=course_url,
        )
    enrollment, completed = enrollment_and_completed(user=user, course=course)
    if enrollment is None or not enrollment.grants_access:
        messages = {
            Status.PENDING: "Your request to join this course is awaiting approval.",
            Status.WAITLISTED: "You are on the waitlist for this course.",
        }
        message = messages.get(
            enrollment.status if enrollment else None,
            "Enrol in this course to read its lessons.",
        )
        return LessonAccess(allowed=False, message=message, redirect_to=course_url)

    blocked = _sequence_refusal(course, enrollment, outline, lesson, completed)
    if blocked is not None:
        return blocked
    # A lesson without a quiz has no attempts to show: no query for them.
    attempts = (
        list(QuizAttempt.objects.filter(enrollment=enrollment, lesson=lesson).order_by("number"))
        if lesson.quiz is not None
        else []
    )
    return LessonAccess(
        allowed=True,
        state=LessonState(
            enrollment=enrollment, outline=outline, completed_ids=completed, attempts=attempts
        ),
    )


def _sequence_refusal(
    course: CoursePage,
    enrollment: Enrollment,
    outline: CourseOutline,
    lesson: LessonPage,
    completed: set[int],
) -> LessonAccess | None:
    """With sequential lessons, the refusal of a lesson whose earlier lessons an active
    learner has not all completed; None when the order lets them in."""
    if not (course.sequential_lessons and enrollment.status == Status.ACTIVE):
        return None
    for earlier in outline.lessons:
        if earlier.id == lesson.id:
            break
        if earlier.id not in completed:
            return LessonAccess(
                allowed=False,
                message=f"Complete “{earlier.title}” first: this course's lessons open in order.",
                redirect_to=earlier.url,
                blocking_lesson=earlier,
            )
    return None


def lesson_action_access(
    *, user: AbstractBaseUser, lesson: LessonPage, request=None, lock: bool = False
) -> LessonAccess:
    """The verdict of :func:`lesson_access` for acting on a lesson (mark complete, quiz
    submit, heartbeat): the same ``allowed``, message and enrolment, read in fewer
    queries, because these requests need no more.

    The learner's own rules are checked first and the editor check only when they
    refuse (an editor with an enrolment they let in gets the same verdict either way),
    so a learner's action costs no permission queries. Attempts are not read (the quiz
    service reads them under its lock), and completed lessons only when sequential
    lessons need them: ``state.completed_ids`` is empty otherwise, and ``is_editor``
    is set only for an editor the learner's rules would have refused.

    ``lock``: the learner's enrolments are read under their row locks (see
    :func:`current_enrollment`), so that a service in the same transaction starts
    from the enrolment the verdict was given on instead of reading it again.
    """
    if not user.is_authenticated:
        return lesson_access(user=user, lesson=lesson, request=request)
    course = lesson.course
    enrollment = current_enrollment(user=user, course=course, lock=lock)
    if enrollment is not None and enrollment.grants_access:
        outline = course_outline(course=course, request=request)
        needs_order = course.sequential_lessons and enrollment.status == Status.ACTIVE
        completed = completed_lesson_ids(enrollment=enrollment) if needs_order else set()
        if _sequence_refusal(course, enrollment, outline, lesson, completed) is None:
            return LessonAccess(
                allowed=True,
                state=LessonState(enrollment=enrollment, outline=outline, completed_ids=completed),
            )
    return lesson_access(user=user, lesson=lesson, request=request)


def quiz_pass_mark(*, lesson: LessonPage, quiz_value) -> int:
    """The quiz's own pass mark, or the course default when it has none."""
    if quiz_value["pass_mark"] is not None:
        return int(quiz_value["pass_mark"])
    return lesson.course.pass_mark


#: The dashboard's enrolments of one learner, compiled once (see ``base.prepared``): the
#: ORM's compilation cost more than the query itself on every dashboard view.
_dashboard_rows = PreparedQuery(
    lambda user_id: (
        Enrollment.objects.filter(user_id=user_id)
        .exclude(status__in=[Status.WITHDRAWN])
        .order_by("-last_activity_at", "-requested_at")
    ),
    user_id=Marker.number(),
)


def dashboard_enrollments(*, user: AbstractBaseUser, request=None) -> dict[str, list[Enrollment]]:
    """The learner's enrolments grouped for the dashboard, each with ``course_link``
    (title and URL): one query, plus the cached map of course links."""
    rows = _dashboard_rows(user_id=user.pk)
    links = course_links(ids={row.course_id for row in rows}, request=request)
    groups: dict[str, list[Enrollment]] = {
        "active": [],
        "pending": [],
        "waitlisted": [],
        "completed": [],
        "rejected": [],
    }
    for enrollment in rows:
        enrollment.course_link = links.get(enrollment.course_id)
        groups[enrollment.status].append(enrollment)
    return groups


def course_roster(*, courses) -> QuerySet[Enrollment]:
    """Enrolments in ``courses`` with the learner, last activity and best quiz score."""
    return (
        Enrollment.objects.filter(course__in=courses)
        .select_related("user", "course")
        .annotate(best_score=Max("quiz_attempts__score"))
        .order_by("course__title", "user__last_name", "user__username")
    )


def pending_requests(*, courses) -> QuerySet[Enrollment]:
    return (
        Enrollment.objects.filter(course__in=courses, status=Status.PENDING)
        .select_related("user", "course")
        .order_by("requested_at")
    )


@dataclass(frozen=True)
class LessonProgressRow:
    """One lesson of a learner's progress detail: the outline's lesson (or a lesson no
    longer live, under "module" None) and what the learner did there, if anything."""

    lesson_id: int
    title: str
    module: str | None
    progress: LessonProgress | None


@dataclass(frozen=True)
class ProgressDetail:
    """Everything an instructor sees about one enrolment: each lesson in course order
    with views, time and completion, then lessons no longer live that have progress,
    and every quiz attempt."""

    enrollment: Enrollment
    lessons: list[LessonProgressRow]
    attempts: list[QuizAttempt]

    @property
    def time_spent_seconds(self) -> int:
        return sum(row.progress.time_spent_seconds for row in self.lessons if row.progress)


def progress_detail(*, enrollment: Enrollment) -> ProgressDetail:
    """One enrolment's lessons and quiz attempts, in three queries besides the (cached)
    outline: the progress rows, the titles of lessons no longer in the outline, and
    the attempts. Quiz lessons are named from the outline, never from the attempt."""
    outline = course_outline(course=enrollment.course)
    progress = {row.lesson_id: row for row in enrollment.progress.all()}
    rows = [
        LessonProgressRow(lesson.id, lesson.title, module.title, progress.pop(lesson.id, None))
        for module in outline.modules
        for lesson in module.lessons
    ]
    titles = dict(LessonPage.objects.filter(pk__in=progress).values_list("pk", "title"))
    rows += [
        LessonProgressRow(lesson_id, titles.get(lesson_id, "A removed lesson"), None, row)
        for lesson_id, row in sorted(progress.items())
    ]
    attempts = list(enrollment.quiz_attempts.order_by("submitted_at", "pk"))
    names = {row.lesson_id: row.title for row in rows}
    for attempt in attempts:
        attempt.lesson_title = names.get(attempt.lesson_id, "A removed lesson")
    return ProgressDetail(enrollment=enrollment, lessons=rows, attempts=attempts)
