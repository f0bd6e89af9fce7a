"""Learner views: parse the request, call one service, then render or redirect.

Every refusal says why: rule refusals (a closed course, a used-up quiz) come back as a
message on the page the learner was on; malformed or tampered input gets a 400 page;
other people's enrolments and attempts are 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from wagtail import hooks

from base.errors import error_response, problem_page
from base.panels import collect_panels, rendered
from catalog.models import CoursePage
from catalog.selectors import course_outline
from lessons.models import LessonPage
from lessons.selectors import lesson_navigation, live_lesson

from . import services
from .grading import InvalidSubmission
from .models import Enrollment, QuizAttempt
from .selectors import (
    can_edit_page,
    completed_lesson_ids,
    dashboard_enrollments,
    first_unfinished_lesson_url,
    lesson_action_access,
)

Status = Enrollment.Status


ENROL_MESSAGES = {
    Status.ACTIVE: "You are enrolled. Start with the first lesson whenever you are ready.",
    Status.PENDING: "Your request has been sent. We will email you when an instructor decides.",
    Status.WAITLISTED: "The course is full, so you are on the waitlist. We will email you "
    "when a place opens up.",
}


@login_required
@require_POST
def enrol(request: HttpRequest, course_id: int) -> HttpResponse:
    # ``id``, not ``pk`` (the ``page_ptr`` link): Django range-checks lookups on the
    # id itself, so an id of 30 digits is a 404 rather than SQLite's OverflowError.
    course = get_object_or_404(CoursePage.objects.live(), id=course_id)
    try:
        enrollment = services.enrollment_request(user=request.user, course=course)
    except services.LearningError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, ENROL_MESSAGES[enrollment.status])
    return redirect(course.get_url(request=request))


@login_required
def continue_course(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    """Go to the first unfinished lesson of one of the learner's own enrolments."""
    enrollment = get_object_or_404(
        Enrollment.objects.select_related("course"), pk=enrollment_id, user=request.user
    )
    outline = course_outline(course=enrollment.course, request=request)
    completed = completed_lesson_ids(enrollment=enrollment)
    url = first_unfinished_lesson_url(outline=outline, completed=completed)
    return redirect(url or enrollment.course.get_url(request=request))


@login_required
@require_POST
def withdraw(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = get_object_or_404(Enrollment, pk=enrollment_id, user=request.user)
    try:
        services.enrollment_withdraw(enrollment=enrollment)
    except services.LearningError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"You have left “{enrollment.course.title}”.")
    return redirect(
        request.POST.get("next") if _is_local(request.POST.get("next")) else "/dashboard/"
    )


def _is_local(url: str | None) -> bool:
    return bool(url) and url.startswith("/") and not url.startswith("//")


def _live_lesson(lesson_id: int) -> LessonPage:
    """The live lesson (from the content cache), else 404."""
    lesson = live_lesson(lesson_id=lesson_id)
    if lesson is None:
        raise Http404("No live lesson has this id.")
    return lesson


def _enrolled_lesson(request: HttpRequest, lesson_id: int):
    """The live lesson and the learner's access verdict for acting on it."""
    lesson = _live_lesson(lesson_id)
    return lesson, lesson_action_access(user=request.user, lesson=lesson, request=request)


def _not_enrolled(request: HttpRequest, lesson: LessonPage, access) -> HttpResponse:
    # The lesson's URL costs a query (the site): these views work it out only when
    # they answer with it, never on the way to a successful submit.
    return problem_page(
        request,
        access.message or "Enrol in this course first.",
        back_url=lesson.get_url(request=request),
        status=403,
    )


@login_required
@require_POST
def complete_lesson(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson, access = _enrolled_lesson(request, lesson_id)
    if not access.allowed or access.state.enrollment is None:
        return _not_enrolled(request, lesson, access)
    if lesson.quiz is not None:
        return problem_page(
            request,
            "This lesson completes when you pass its quiz.",
            back_url=lesson.get_url(request=request),
        )
    enrollment = access.state.enrollment
    was_completed = enrollment.status == Status.COMPLETED
    services.lesson_complete(enrollment=enrollment, lesson=lesson)
    enrollment.refresh_from_db()
    if enrollment.status == Status.COMPLETED and not was_completed:
        return redirect("learner:course_complete", enrollment_id=enrollment.pk)
    next_lesson = lesson_navigation(outline=access.state.outline, lesson_id=lesson.id).next
    return redirect(next_lesson.url if next_lesson else lesson.get_url(request=request))


@login_required
@require_POST
def submit_quiz(request: HttpRequest, lesson_id: int) -> HttpResponse:
    # The access check is the service's, under the enrolment's lock (one read of it).
    lesson = _live_lesson(lesson_id)
    try:
        attempt = services.quiz_submit_as(
            user=request.user,
            lesson=lesson,
            data=dict(request.POST.lists()),
            token=request.POST.get("submission_token", ""),
        )
    except services.LessonRefused as refusal:
        return _not_enrolled(request, lesson, refusal.access)
    except (InvalidSubmission, services.LearningError) as error:
        return error_response(request, error, back_url=lesson.get_url(request=request))
    return redirect("learner:attempt", attempt_id=attempt.pk)


@login_required
def attempt_detail(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """A graded attempt: score, verdict per question and explanations. Correct options
    are revealed once the quiz is passed or no attempts remain."""
    attempt = get_object_or_404(
        QuizAttempt.objects.select_related("enrollment__course", "lesson"), pk=attempt_id
    )
    is_owner = attempt.enrollment.user_id == request.user.pk
    if not is_owner and not can_edit_page(user=request.user, page=attempt.lesson):
        return problem_page(
            request, "We could not find that quiz attempt.", back_url="/dashboard/", status=404
        )
    lesson = attempt.lesson
    quiz = lesson.quiz
    used = QuizAttempt.objects.filter(enrollment=attempt.enrollment, lesson=lesson).count()
    limit = quiz.value["max_attempts"] if quiz else 0
    attempts_left = None if not limit else max(0, limit - used)
    any_passed = QuizAttempt.objects.filter(
        enrollment=attempt.enrollment, lesson=lesson, passed=True
    ).exists()
    enrollment = attempt.enrollment
    next_lesson = None
    if is_owner and attempt.passed:
        outline = course_outline(course=enrollment.course, request=request)
        next_lesson = lesson_navigation(outline=outline, lesson_id=lesson.id).next
    finished = is_owner and attempt.passed and enrollment.status == Status.COMPLETED
    return render(
        request,
        "learner/attempt_detail.html",
        {
            "attempt": attempt,
            "lesson": lesson,
            "lesson_url": lesson.get_url(request=request),
            "attempts_left": attempts_left,
            "can_retry": is_owner and not any_passed and attempts_left != 0,
            "reveal_answers": any_passed or attempts_left == 0 or not is_owner,
            "next_lesson": next_lesson,
            "course_complete": _course_complete_context(request, enrollment) if finished else None,
        },
    )


#: Wagtail hook through which later apps add to the "course complete" message (the
#: certificate, the required training it counts toward) without the learner app knowing
#: them: each registered function takes the request and the completed enrolment and
#: returns a :class:`base.panels.Panel` or None.
COURSE_COMPLETE_PANELS_HOOK = "learner_course_complete_panels"


def _course_complete_context(request: HttpRequest, enrollment: Enrollment) -> dict:
    panels = collect_panels(hooks.get_hooks(COURSE_COMPLETE_PANELS_HOOK), request, enrollment)
    return {
        "enrollment": enrollment,
        "course_url": enrollment.course.get_url(request=request),
        "panels": rendered(panels),
    }


@login_required
def course_complete(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    """What finishing a course gave the learner: the certificate (or that it is being
    prepared) and the required training it counts toward. Only for the learner's own
    completed enrolment; anything else is 404."""
    enrollment = get_object_or_404(
        Enrollment.objects.select_related("course"),
        pk=enrollment_id,
        user=request.user,
        status=Status.COMPLETED,
    )
    return render(
        request,
        "learner/course_complete.html",
        {"course_complete": _course_complete_context(request, enrollment)},
    )


@login_required
@require_POST
def heartbeat(request: HttpRequest, lesson_id: int) -> HttpResponse:
    """The lesson page's reports: ``view=1`` once it has loaded (first view, count,
    last activity and "continue where you left off"), then the reading time in
    ``seconds`` while it is visible. An editor reading without an enrolment records
    nothing."""
    lesson, access = _enrolled_lesson(request, lesson_id)
    if not access.allowed or access.state.enrollment is None:
        return JsonResponse({"error": "not enrolled"}, status=403)
    try:
        seconds = int(request.POST.get("seconds", "0") or 0)
    except ValueError:
        return JsonResponse({"error": "seconds must be a whole number"}, status=400)
    enrollment = access.state.enrollment
    if request.POST.get("view") == "1":
        services.lesson_view(enrollment=enrollment, lesson=lesson)
    elif "seconds" not in request.POST:
        return JsonResponse({"error": "send seconds, or view=1"}, status=400)
    if seconds:
        try:
            services.lesson_time_add(enrollment=enrollment, lesson=lesson, seconds=seconds)
        except services.LearningError as error:
            return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse({"ok": True})


#: Wagtail hook through which later apps (compliance, certificates) add a section to the
#: dashboard without the learner app knowing them: each registered function takes the
#: request and returns a :class:`base.panels.Panel` or None. Lower orders come first;
#: the enrolments themselves are at :data:`ENROLMENTS_ORDER`.
DASHBOARD_PANELS_HOOK = "learner_dashboard_panels"
ENROLMENTS_ORDER = 50


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The learner's enrolments with progress, a link to continue each course, and the
    panels other apps add (required training, certificates)."""
    groups = dashboard_enrollments(user=request.user, request=request)
    panels = collect_panels(hooks.get_hooks(DASHBOARD_PANELS_HOOK), request)
    return render(
        request,
        "learner/dashboard.html",
        {
            "groups": groups,
            "has_any": any(groups.values()),
            "panels_before": rendered(p for p in panels if p.order < ENROLMENTS_ORDER),
            "panels_after": rendered(p for p in panels if p.order >= ENROLMENTS_ORDER),
        },
    )
