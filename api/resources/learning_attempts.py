"""Quiz attempts (read only): the caller's own, or as staff those in the courses they
may edit. An attempt shows the caller's answers and each verdict, never the quiz's
answer key."""

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from api.models import Scope
from api.views import AUTH_ERRORS, problem

from .learning import (
    VIEW_PARAMETER,
    LearningPagination,
    id_parameter,
    int_param,
    is_staff_view,
    own_attempts,
    staff_attempts,
)
from .learning_serializers import AttemptDetailSerializer, AttemptSummarySerializer

NOT_FOUND = "No quiz attempt of yours, or in a course you may edit, has this id."


class AttemptListView(GenericAPIView):
    required_scope = Scope.READ
    serializer_class = AttemptSummarySerializer
    pagination_class = LearningPagination

    @extend_schema(
        operation_id="attempts_list",
        description="The caller's graded quiz attempts, newest first. With `?view=staff`, "
        "the attempts in the courses the caller may edit. Filter by `course`, "
        "`enrollment` and `lesson`. Scope: `read`.",
        parameters=[
            VIEW_PARAMETER,
            id_parameter("course", "Only attempts in this course."),
            id_parameter("enrollment", "Only attempts within this enrolment."),
            id_parameter("lesson", "Only attempts at this lesson's quiz."),
        ],
        responses={
            200: AttemptSummarySerializer(many=True),
            400: problem("A filter that is not a valid id."),
            **AUTH_ERRORS,
        },
    )
    def get(self, request):
        if is_staff_view(request):
            rows = staff_attempts(user=request.user)
        else:
            rows = own_attempts(user=request.user)
        filters = {
            "enrollment__course_id": int_param(request, "course"),
            "enrollment_id": int_param(request, "enrollment"),
            "lesson_id": int_param(request, "lesson"),
        }
        rows = rows.filter(**{key: value for key, value in filters.items() if value is not None})
        rows = rows.select_related("enrollment").order_by("-submitted_at", "-pk")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(AttemptSummarySerializer(page, many=True).data)


class AttemptDetailView(GenericAPIView):
    required_scope = Scope.READ
    serializer_class = AttemptDetailSerializer

    @extend_schema(
        operation_id="attempts_retrieve",
        description="One graded quiz attempt: score, pass mark, verdict, and each question "
        "with the answer given and whether it was right. Which options are right is not "
        "included (read it on the attempt's page on the site, which shows it once the "
        "quiz is passed or no attempts remain). The caller's own attempt, or one in a "
        "course they may edit. Scope: `read`.",
        responses={200: AttemptDetailSerializer, **AUTH_ERRORS, 404: problem(NOT_FOUND)},
    )
    def get(self, request, attempt_id: int):
        lookup = {"pk": attempt_id}
        related = ("enrollment", "lesson")
        attempt = own_attempts(user=request.user).select_related(*related).filter(**lookup).first()
        if attempt is None:
            attempt = (
                staff_attempts(user=request.user).select_related(*related).filter(**lookup).first()
            )
        if attempt is None:
            raise NotFound(NOT_FOUND)
        return Response(AttemptDetailSerializer(attempt).data)
