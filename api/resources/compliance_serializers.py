"""Shapes of the compliance resources: requirements with their figures, assignments
(cycles) with their status on a date, and the exemption request."""

from rest_framework import serializers

from compliance.forms import MAX_REASON_LENGTH
from compliance.models import parse_reminder_days
from compliance.scheduling import Status

#: The statuses, for the OpenAPI document's enums and the status filter.
STATUS_VALUES = [status.value for status in Status]


class FiguresSerializer(serializers.Serializer):
    """How many of the caller's people stand in each status on ``as_of`` (the summary
    report's row): a compliance admin counts everyone, a manager their people."""

    assigned = serializers.IntegerField()
    compliant = serializers.IntegerField()
    due_soon = serializers.IntegerField()
    overdue = serializers.IntegerField()
    expired = serializers.IntegerField()
    exempt = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    not_started = serializers.IntegerField()
    percent_compliant = serializers.IntegerField(
        allow_null=True,
        help_text="Compliant or exempt, as a whole percentage rounded down; null when "
        "nobody is assigned.",
    )


def figures_body(figures) -> dict:
    """A :class:`compliance.selectors.StatusCounts` as :class:`FiguresSerializer` data."""
    return {
        "assigned": figures.assigned,
        **{status.value: figures.count(status) for status in Status},
        "percent_compliant": figures.percent_compliant,
    }


class RequirementSerializer(serializers.Serializer):
    """A required training: its course, due rule, reminders and today's (or ``as_of``'s)
    figures for the caller's people."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    course_id = serializers.IntegerField()
    course_title = serializers.CharField(source="course.title")
    active = serializers.BooleanField()
    rule = serializers.CharField(source="describe_rule", help_text="The due rule in words.")
    due_rule = serializers.ChoiceField(choices=["fixed", "relative"])
    due_date = serializers.DateField(allow_null=True)
    due_days = serializers.IntegerField(allow_null=True)
    recurrence_months = serializers.IntegerField(allow_null=True)
    window_days = serializers.IntegerField()
    renewal_basis = serializers.CharField()
    grace_days = serializers.IntegerField()
    reminder_days = serializers.SerializerMethodField()
    overdue_every_days = serializers.IntegerField()
    figures = FiguresSerializer(source="api_figures")

    def get_reminder_days(self, requirement) -> list[int]:
        return list(parse_reminder_days(requirement.reminder_days))


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    email = serializers.EmailField()


class AssignmentSerializer(serializers.Serializer):
    """One person's cycle of one requirement, with its status on ``as_of``. The
    exemption's reason and who granted it are shown to those who may exempt (as on
    the Assignments page); others see only that the person is exempt."""

    id = serializers.IntegerField()
    user = PersonSerializer()
    requirement_id = serializers.IntegerField()
    requirement_name = serializers.CharField(source="requirement.name")
    course_id = serializers.IntegerField(source="requirement.course_id")
    course_title = serializers.CharField()
    cycle = serializers.IntegerField()
    status = serializers.CharField(
        help_text="The status on as_of: " + ", ".join(STATUS_VALUES) + "."
    )
    assigned_on = serializers.DateField()
    opens_on = serializers.DateField()
    due_on = serializers.DateField()
    completed_on = serializers.DateField(allow_null=True)
    expires_on = serializers.DateField(
        source="certification_expires_on",
        allow_null=True,
        help_text="The last day the certification counts on as_of (a renewal not done "
        "yet shows the previous one's expiry): the report's Expires column.",
    )
    closed_on = serializers.DateField(allow_null=True, help_text="No longer required from.")
    exempt = serializers.BooleanField()
    exempted_on = serializers.DateField(allow_null=True)
    exemption_reason = serializers.CharField(
        required=False, help_text="Only for callers who may exempt."
    )
    exempted_by_id = serializers.IntegerField(
        required=False, allow_null=True, help_text="Only for callers who may exempt."
    )

    def to_representation(self, instance):
        return assignment_row(values_of(instance), may_exempt=bool(self.context.get("may_exempt")))


#: What a list reads of each row (``QuerySet.values``): no model instances to build.
ROW_VALUES = (
    "pk",
    "user_id",
    "user__username",
    "user__first_name",
    "user__last_name",
    "user__email",
    "requirement_id",
    "requirement__name",
    "requirement__course_id",
    "course_title",
    "cycle",
    "status",
    "assigned_on",
    "opens_on",
    "due_on",
    "completed_on",
    "certification_expires_on",
    "closed_on",
    "exempt",
    "exempted_on",
    "exemption_reason",
    "exempted_by_id",
)


def values_of(row) -> dict:
    """``ROW_VALUES`` of one annotated assignment instance (the detail views')."""
    return {
        "pk": row.pk,
        "user_id": row.user_id,
        "user__username": row.user.username,
        "user__first_name": row.user.first_name,
        "user__last_name": row.user.last_name,
        "user__email": row.user.email,
        "requirement_id": row.requirement_id,
        "requirement__name": row.requirement.name,
        "requirement__course_id": row.requirement.course_id,
        **{name: getattr(row, name) for name in ROW_VALUES[9:]},
    }


def _day(value):
    return value.isoformat() if value is not None else None


def assignment_row(values: dict, *, may_exempt: bool) -> dict:
    """:class:`AssignmentSerializer`'s answer, written out from ``ROW_VALUES``: a page
    holds up to 500 rows, and building model instances and serialising them field by
    field cost more than the query (the bench's API section). ``tests/api`` checks that
    the two agree, and so agree with the OpenAPI document."""
    data = {
        "id": values["pk"],
        "user": {
            "id": values["user_id"],
            "username": values["user__username"],
            "first_name": values["user__first_name"],
            "last_name": values["user__last_name"],
            "email": values["user__email"],
        },
        "requirement_id": values["requirement_id"],
        "requirement_name": values["requirement__name"],
        "course_id": values["requirement__course_id"],
        "course_title": values["course_title"],
        "cycle": values["cycle"],
        "status": values["status"],
        "assigned_on": _day(values["assigned_on"]),
        "opens_on": _day(values["opens_on"]),
        "due_on": _day(values["due_on"]),
        "completed_on": _day(values["completed_on"]),
        "expires_on": _day(values["certification_expires_on"]),
        "closed_on": _day(values["closed_on"]),
        "exempt": values["exempt"],
        "exempted_on": _day(values["exempted_on"]),
    }
    if may_exempt:
        data["exemption_reason"] = values["exemption_reason"]
        data["exempted_by_id"] = values["exempted_by_id"]
    return data


class ExemptionSerializer(serializers.Serializer):
    """Why the person need not do it (kept with the assignment and in the audit trail)."""

    reason = serializers.CharField(
        max_length=MAX_REASON_LENGTH,
        error_messages={
            "required": "Give a reason for the exemption.",
            "blank": "Give a reason for the exemption.",
        },
    )
