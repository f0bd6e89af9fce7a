"""Courses: the published catalog (search, filters, pages) and one course with its
outline. Read through ``catalog.selectors``, the same reads as the catalog pages, so
what the API lists is exactly what the catalog shows."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from api.models import Scope
from api.views import AUTH_ERRORS, problem
from catalog.models import CoursePage
from catalog.selectors import catalog_listing, course_outline, first_catalog
from learner.selectors import current_enrollment, seats_left

from .learning import MAX_ID, LearningPagination
from .learning_serializers import CourseDetailSerializer, CourseSummarySerializer


class CourseListView(GenericAPIView):
    """The published catalog, searched, filtered and paged as the catalog page does."""

    required_scope = Scope.READ
    serializer_class = CourseSummarySerializer
    pagination_class = LearningPagination

    @extend_schema(
        operation_id="courses_list",
        description="The published courses of the catalog, as the catalog page lists "
        "them: searched with `q`, filtered by `subject` (a subject's slug) and "
        "`difficulty`, sorted by title (by relevance when searching). Unknown filter "
        "values are ignored and a page past the end shows the last page, as on the site. "
        "Scope: `read`.",
        parameters=[
            OpenApiParameter("q", str, description="Search words (at most 100 characters)."),
            OpenApiParameter("subject", str, description="A subject's slug."),
            OpenApiParameter(
                "difficulty", str, enum=CoursePage.Difficulty.values, description="Difficulty."
            ),
        ],
        responses={200: CourseSummarySerializer(many=True), **AUTH_ERRORS},
    )
    def get(self, request):
        paginator = self.paginator
        per_page = paginator.get_page_size(request)
        catalog = first_catalog()
        if catalog is None:
            return paginator.get_paginated_response([])
        listing = catalog_listing(catalog=catalog, params=request.query_params, per_page=per_page)
        paginator.page = listing["courses"]
        paginator.request = request
        data = CourseSummarySerializer(
            paginator.page.object_list, many=True, context={"request": request._request}
        ).data
        return paginator.get_paginated_response(data)


class CourseDetailView(GenericAPIView):
    """One published course with its outline and the caller's enrolment."""

    required_scope = Scope.READ
    serializer_class = CourseDetailSerializer

    @extend_schema(
        operation_id="courses_retrieve",
        description="One published course of the catalog: its settings (enrolment policy, "
        "capacity, seats left, waitlist, certificate), its outline (modules and lessons, "
        "ids and titles only: lesson content is read on the site by enrolled learners) "
        "and the caller's enrolment in it (the open one, else the latest completed; null "
        "when none). Scope: `read`.",
        responses={
            200: CourseDetailSerializer,
            **AUTH_ERRORS,
            404: problem("No published course has this id."),
        },
    )
    def get(self, request, course_id: int):
        course = (
            CoursePage.objects.live()
            .public()
            .select_related("subject")
            .filter(id=course_id if course_id <= MAX_ID else 0)
            .first()
        )
        if course is None:
            raise NotFound("No published course has this id.")
        outline = course_outline(course=course, request=request._request)
        enrollment = current_enrollment(user=request.user, course=course)
        # What the page shows beside the course's own fields, for the serializer.
        course.outline_modules = outline.modules
        course.free_seats = seats_left(course=course)
        course.caller_enrollment = enrollment
        data = CourseDetailSerializer(course, context={"request": request._request}).data
        return Response(data)
