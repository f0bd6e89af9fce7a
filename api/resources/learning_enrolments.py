"""Enrolments: enrol (the course's policy, capacity and waitlist apply through
``learner.services.enrollment_request``, exactly as on the web), withdraw, list, one
enrolment, and its progress (``learner.selectors.progress_detail``)."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from api.models import Scope
from api.views import AUTH_ERRORS, problem
from catalog.models import CoursePage
from catalog.selectors import editable_courses
from learner import services
from learner.models import Enrollment
from learner.selectors import progress_detail

from .learning import (
    VIEW_PARAMETER,
    LearningPagination,
    id_parameter,
    int_param,
    is_staff_view,
    own_enrollments,
    staff_enrollments,
    visible_enrollment,
)
from .learning_serializers import (
    EnrollmentCreateSerializer,
    LearnerEnrollmentSerializer,
    ProgressSerializer,
)

NOT_FOUND = "No enrolment of yours, or of a course you may edit, has this id."


def _enrollment_or_404(request, pk: int) -> Enrollment:
    enrollment = visible_enrollment(user=request.user, pk=pk)
    if enrollment is None:
        raise NotFound(NOT_FOUND)
    return enrollment


class EnrollmentListView(GenericAPIView):
    """The caller's enrolments (or, as staff, their courses' learners'); enrol."""

    serializer_class = LearnerEnrollmentSerializer
    pagination_class = LearningPagination

    @property
    def required_scope(self) -> str:
        return Scope.LEARN if self.request.method == "POST" else Scope.READ

    @extend_schema(
        operation_id="enrolments_list",
        description="The caller's enrolments, newest first, including withdrawn and "
        "rejected ones (history). With `?view=staff`, the enrolments in the courses the "
        "caller may edit, as the admin's *Course progress* roster lists them (empty for "
        "anyone who edits no course). Filter by `course` and `status`. Scope: `read`.",
        parameters=[
            VIEW_PARAMETER,
            id_parameter("course", "Only enrolments in this course."),
            OpenApiParameter(
                "status",
                str,
                description="Only this status: " + ", ".join(Enrollment.Status.values) + ".",
            ),
        ],
        responses={
            200: LearnerEnrollmentSerializer(many=True),
            400: problem("A filter that is not a valid value."),
            **AUTH_ERRORS,
        },
    )
    def get(self, request):
        if is_staff_view(request):
            rows = staff_enrollments(user=request.user)
        else:
            rows = own_enrollments(user=request.user)
        course_id = int_param(request, "course")
        if course_id is not None:
            rows = rows.filter(course_id=course_id)
        wanted = request.query_params.get("status")
        if wanted:
            if wanted not in Enrollment.Status.values:
                choices = ", ".join(Enrollment.Status.values)
                raise ValidationError({"status": f"Give one of: {choices}."})
            rows = rows.filter(status=wanted)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(LearnerEnrollmentSerializer(page, many=True).data)

    @extend_schema(
        operation_id="enrolments_create",
        description="Enrol in a course, as the course page's *Enrol* button does: an open "
        "course makes the enrolment active, or waitlisted when full (refused when full "
        "without a waitlist); an approval course makes it pending until an instructor "
        "decides; a closed course refuses. Capacity holds under parallel requests. Asking "
        "again while an enrolment is open answers that enrolment with 200 (nothing new "
        "is created); a new enrolment is 201. With `user_id`, enrol another person: only "
        "for users who may edit the course, and superusers. Scope: `learn`.",
        request=EnrollmentCreateSerializer,
        responses={
            201: LearnerEnrollmentSerializer,
            200: LearnerEnrollmentSerializer,
            400: problem("Invalid input, or the course's rules refuse (closed, full)."),
            **AUTH_ERRORS,
            403: problem(
                "The token lacks the `learn` scope, or the caller may not enrol other "
                "people in this course."
            ),
            404: problem("No published course (or no active user) has this id."),
        },
    )
    def post(self, request):
        form = EnrollmentCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        course = CoursePage.objects.live().filter(id=form.validated_data["course_id"]).first()
        if course is None:
            raise NotFound("No published course has this id.")
        learner = request.user
        user_id = form.validated_data.get("user_id")
        if user_id is not None and user_id != request.user.pk:
            if not editable_courses(user=request.user).filter(pk=course.pk).exists():
                raise PermissionDenied("You may enrol other people only in courses you may edit.")
            learner = get_user_model().objects.filter(pk=user_id, is_active=True).first()
            if learner is None:
                raise NotFound("No active user has this id.")
        now = timezone.now()
        by = request.user if learner.pk != request.user.pk else None
        enrollment = services.enrollment_request(user=learner, course=course, as_of=now, by=by)
        # The service answers an open enrolment unchanged: only a new one was asked now.
        created = enrollment.requested_at == now
        return Response(
            LearnerEnrollmentSerializer(enrollment).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class EnrollmentDetailView(GenericAPIView):
    required_scope = Scope.READ
    serializer_class = LearnerEnrollmentSerializer

    @extend_schema(
        operation_id="enrolments_retrieve",
        description="One enrolment: the caller's own, or one in a course the caller may "
        "edit. Scope: `read`.",
        responses={200: LearnerEnrollmentSerializer, **AUTH_ERRORS, 404: problem(NOT_FOUND)},
    )
    def get(self, request, enrollment_id: int):
        enrollment = _enrollment_or_404(request, enrollment_id)
        return Response(LearnerEnrollmentSerializer(enrollment).data)


class EnrollmentWithdrawView(GenericAPIView):
    required_scope = Scope.LEARN
    serializer_class = LearnerEnrollmentSerializer

    @extend_schema(
        operation_id="enrolments_withdraw",
        description="Leave a course, a waitlist or a pending request, as the dashboard's "
        "*Withdraw* button does; a freed seat goes to the oldest waitlisted learner. Only "
        "the learner may withdraw (staff who see the enrolment get 403). Scope: `learn`.",
        request=None,
        responses={
            200: LearnerEnrollmentSerializer,
            400: problem("The enrolment has already ended."),
            **AUTH_ERRORS,
            403: problem(
                "The token lacks the `learn` scope, or the enrolment is another "
                "person's in a course the caller may edit."
            ),
            404: problem("No enrolment of yours has this id."),
        },
    )
    def post(self, request, enrollment_id: int):
        enrollment = own_enrollments(user=request.user).filter(pk=enrollment_id).first()
        if enrollment is None:
            if visible_enrollment(user=request.user, pk=enrollment_id) is not None:
                raise PermissionDenied("Only the learner may withdraw from a course.")
            raise NotFound("No enrolment of yours has this id.")
        withdrawn = services.enrollment_withdraw(enrollment=enrollment)
        withdrawn.user, withdrawn.course = enrollment.user, enrollment.course
        return Response(LearnerEnrollmentSerializer(withdrawn).data)


class EnrollmentProgressView(GenericAPIView):
    required_scope = Scope.READ
    serializer_class = ProgressSerializer

    @extend_schema(
        operation_id="enrolments_progress",
        description="One enrolment's progress, as the instructor's progress page shows "
        "it: each lesson in course order with first and last view, views, time spent and "
        "completion (then lessons no longer published that have progress), and every quiz "
        "attempt. The caller's own enrolment, or one in a course they may edit. "
        "Scope: `read`.",
        responses={200: ProgressSerializer, **AUTH_ERRORS, 404: problem(NOT_FOUND)},
    )
    def get(self, request, enrollment_id: int):
        detail = progress_detail(enrollment=_enrollment_or_404(request, enrollment_id))
        body = {
            "enrollment": detail.enrollment,
            "time_spent_seconds": detail.time_spent_seconds,
            "lessons": detail.lessons,
            "attempts": detail.attempts,
        }
        return Response(ProgressSerializer(body).data)
