"""What the learning resources share: pagination, query parameters, and who sees which
enrolments and attempts.

The views live beside this module: ``learning_courses`` (the catalog and one course with
its outline), ``learning_enrolments`` (enrol, withdraw, list, one enrolment and its
progress) and ``learning_attempts`` (quiz attempts). Every rule is the web's, read
through the owning app's selectors and services:

- a learner sees their own enrolments and attempts;
- with ``?view=staff``, a user sees those of the courses they may edit
  (``catalog.selectors.editable_courses``: a course's instructors, reviewers, every
  course for superusers), the rule of the admin's *Course progress* roster
  (``learner.selectors.course_roster``). Anyone else's enrolment or attempt is a 404.
"""

from django.db.models import QuerySet

from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from catalog.selectors import editable_courses
from learner.models import Enrollment, QuizAttempt
from learner.selectors import course_roster

#: The largest id a query parameter may carry (the databases' integer key).
MAX_ID = 2**31 - 1


class LearningPagination(PageNumberPagination):
    """Pages of 20 rows (``page_size`` up to 100), so a list answer is always bounded."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


VIEW_PARAMETER = OpenApiParameter(
    "view",
    str,
    enum=["own", "staff"],
    description="`own` (the default): the caller's own. `staff`: those of the courses the "
    "caller may edit (their instructors and reviewers; every course for superusers).",
)


def id_parameter(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, int, description=description)


def int_param(request, name: str) -> int | None:
    """The query parameter ``name`` as a positive id, None when absent; 400 otherwise."""
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    if not raw.isdigit() or not 0 < int(raw) <= MAX_ID:
        raise ValidationError({name: "Give a positive whole number."})
    return int(raw)


def is_staff_view(request) -> bool:
    """Whether the caller asked for ``?view=staff`` (400 for a view that is not known)."""
    view = request.query_params.get("view") or "own"
    if view not in {"own", "staff"}:
        raise ValidationError({"view": "Give `own` or `staff`."})
    return view == "staff"


def own_enrollments(*, user) -> QuerySet[Enrollment]:
    """The user's enrolments, newest first, with what the answer shows."""
    return (
        Enrollment.objects.filter(user=user)
        .select_related("user", "course")
        .order_by("-requested_at", "-pk")
    )


def staff_enrollments(*, user) -> QuerySet[Enrollment]:
    """Enrolments in the courses ``user`` may edit: the admin roster's rows, in a
    stable order for paging."""
    return course_roster(courses=editable_courses(user=user)).order_by(
        "course__title", "user__last_name", "user__username", "-requested_at", "pk"
    )


def visible_enrollment(*, user, pk: int) -> Enrollment | None:
    """The enrolment ``pk`` when it is the user's own or in a course they may edit."""
    own = own_enrollments(user=user).filter(pk=pk).first()
    return own or staff_enrollments(user=user).filter(pk=pk).first()


def own_attempts(*, user) -> QuerySet[QuizAttempt]:
    return QuizAttempt.objects.filter(enrollment__user=user)


def staff_attempts(*, user) -> QuerySet[QuizAttempt]:
    """Attempts in the courses ``user`` may edit (the web's attempt page lets a lesson's
    editors read them)."""
    return QuizAttempt.objects.filter(enrollment__course__in=editable_courses(user=user))
