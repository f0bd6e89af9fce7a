"""Required training: what is required of whom, each person's cycles, and every
message sent about them.

Dates are calendar dates in the site's time zone (see :mod:`compliance.scheduling`).
State changes only through :mod:`compliance.services`.
"""

import secrets
from datetime import date

from django import forms
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from . import scheduling
from .scheduling import Rule
from .widgets import PeopleChooser


def parse_reminder_days(text: str) -> tuple[int, ...]:
    """ "14, 7, 1" → (14, 7, 1): distinct whole days, largest first."""
    try:
        days = {int(part) for part in text.replace(" ", "").split(",") if part}
    except ValueError:
        raise ValidationError("List whole numbers of days, separated by commas.") from None
    if any(day < 0 or day > 365 for day in days):
        raise ValidationError("Reminder days must be between 0 and 365.")
    return tuple(sorted(days, reverse=True))


def validate_reminder_days(text: str) -> None:
    parse_reminder_days(text)


class TrainingRequirement(models.Model):
    """A course that an audience must complete by a due rule, once or on a cycle.

    Fixed date: "every student by 31 October each year". Relative: "within 30 days of
    joining and again every 12 months". The audience is the union of the groups and
    the individual users.

    A recurring relative rule counts each next due date from the completion (the
    default) or, for a renewal done by its due date, from the previous expiry
    (``renewal_basis``; :func:`compliance.scheduling.renewal_start`). A fixed-date rule
    always renews on its calendar date, so only "completion" goes with it.
    """

    class DueRule(models.TextChoices):
        FIXED = "fixed", "By a fixed date"
        RELATIVE = "relative", "Within a number of days of assignment"

    class RenewalBasis(models.TextChoices):
        COMPLETION = scheduling.RenewalBasis.COMPLETION.value, "From the completion date"
        PREVIOUS_EXPIRY = (
            scheduling.RenewalBasis.PREVIOUS_EXPIRY.value,
            "From the previous expiry, when renewed by then",
        )

    name = models.CharField(max_length=160)
    course = models.ForeignKey(
        "catalog.CoursePage", on_delete=models.PROTECT, related_name="requirements"
    )
    description = models.TextField(blank=True, help_text="Shown to learners.")
    audience_groups = models.ManyToManyField(
        Group,
        blank=True,
        related_name="requirements",
        # Role and department groups; a course's own instructors' group is not an audience.
        limit_choices_to={"course_team__isnull": True},
    )
    audience_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="individual_requirements"
    )
    due_rule = models.CharField(max_length=10, choices=DueRule.choices, default=DueRule.RELATIVE)
    due_date = models.DateField(
        null=True, blank=True, help_text="Fixed date rule: the first cycle's due date."
    )
    due_days = models.PositiveIntegerField(
        null=True, blank=True, help_text="Relative rule: days after assignment."
    )
    recurrence_months = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text="Repeat every this many months. Blank: once only.",
    )
    window_days = models.PositiveIntegerField(
        default=30, help_text="A renewal opens this many days before it is due."
    )
    renewal_basis = models.CharField(
        "renews from",
        max_length=20,
        choices=RenewalBasis.choices,
        default=RenewalBasis.COMPLETION,
        help_text="Relative recurring rule: what the next due date counts from. "
        "“Previous expiry”: a renewal done early, inside its window, is next due one "
        "recurrence after the date it replaced, so renewing early costs nothing; a late "
        "renewal counts from its completion either way.",
    )
    grace_days = models.PositiveIntegerField(
        default=14,
        help_text="Fixed date rule: the least notice a newly assigned person gets.",
    )
    reminder_days = models.CharField(
        max_length=60,
        default="14, 7, 1",
        validators=[validate_reminder_days],
        help_text="Days before the due date on which to send reminders, e.g. 14, 7, 1.",
    )
    overdue_every_days = models.PositiveIntegerField(
        default=7, help_text="Repeat the overdue reminder every this many days (0: once)."
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    #: Set in the transaction of a change that needs the assignments synced (the rule,
    #: the audience, a group membership) and cleared by that sync; the per-minute sweep
    #: syncs any whose hand-over to a worker was lost.
    sync_requested_at = models.DateTimeField(null=True, blank=True, editable=False)

    panels = [
        FieldPanel("name"),
        FieldPanel("course"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("audience_groups"),
                FieldPanel(
                    "audience_users",
                    heading="People",
                    widget=PeopleChooser,
                    help_text="Individuals to assign besides the groups' members: "
                    "“Add people” searches by name, email, username or group.",
                ),
            ],
            heading="Audience",
        ),
        MultiFieldPanel(
            [
                FieldPanel("due_rule"),
                FieldRowPanel([FieldPanel("due_date"), FieldPanel("due_days")]),
                FieldRowPanel([FieldPanel("recurrence_months"), FieldPanel("window_days")]),
                FieldPanel("renewal_basis", widget=forms.RadioSelect),
                FieldPanel("grace_days"),
            ],
            heading="Due rule",
        ),
        MultiFieldPanel(
            [FieldPanel("reminder_days"), FieldPanel("overdue_every_days")], heading="Reminders"
        ),
        FieldPanel("active"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.due_rule == self.DueRule.FIXED and not self.due_date:
            raise ValidationError({"due_date": "A fixed date rule needs a due date."})
        if self.due_rule == self.DueRule.RELATIVE and self.due_days is None:
            raise ValidationError({"due_days": "A relative rule needs a number of days."})
        if self.renewal_basis == self.RenewalBasis.PREVIOUS_EXPIRY:
            if self.due_rule == self.DueRule.FIXED:
                raise ValidationError(
                    {
                        "renewal_basis": "A fixed date rule always renews on its calendar "
                        "date: choose “From the completion date”, or a relative rule."
                    }
                )
            if not self.recurrence_months:
                raise ValidationError(
                    {
                        "renewal_basis": "One-off training has no renewals: choose “From "
                        "the completion date”, or set a recurrence."
                    }
                )

    @property
    def rule(self) -> Rule:
        """The scheduling rule, for :mod:`compliance.scheduling`."""
        return Rule(
            kind=self.due_rule,
            due_date=self.due_date,
            due_days=self.due_days,
            recurrence_months=self.recurrence_months,
            window_days=self.window_days,
            grace_days=self.grace_days,
            reminder_days=parse_reminder_days(self.reminder_days),
            renewal_basis=self.renewal_basis,
        )

    def describe_rule(self) -> str:
        if self.due_rule == self.DueRule.FIXED:
            text = f"by {self.due_date:%-d %B}" if self.due_date else "by a fixed date"
        else:
            text = f"within {self.due_days} days of assignment"
        if self.recurrence_months:
            text += f", then every {self.recurrence_months} months"
            if self.renewal_basis == self.RenewalBasis.PREVIOUS_EXPIRY:
                text += " from the previous expiry when renewed early"
        return text


class Assignment(models.Model):
    """One person's cycle of one requirement: when it was assigned, opens, is due,
    was completed (by which enrolment) and stops counting.

    ``previous_expires_on`` copies the last day the previous cycle's completion counts,
    so any cycle's row alone tells the person's status (see ``cycle_status``).
    """

    requirement = models.ForeignKey(
        TrainingRequirement, on_delete=models.CASCADE, related_name="assignments"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )
    cycle = models.PositiveIntegerField(default=1)
    assigned_on = models.DateField()
    opens_on = models.DateField()
    due_on = models.DateField()
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    previous_expires_on = models.DateField(null=True, blank=True)
    enrollment = models.ForeignKey(
        "learner.Enrollment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    exempt = models.BooleanField(default=False)
    exempted_on = models.DateField(null=True, blank=True)
    exemption_reason = models.TextField(blank=True)
    exempted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_on = models.DateField(
        null=True, blank=True, help_text="No longer required (left the audience) from."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["requirement", "user", "cycle"], name="compliance_one_row_per_cycle"
            )
        ]
        indexes = [
            models.Index(fields=["user", "requirement", "cycle"]),
            models.Index(fields=["requirement", "due_on"]),
            models.Index(
                fields=["due_on"],
                condition=Q(completed_on__isnull=True, closed_on__isnull=True),
                name="compliance_open_due_idx",
            ),
        ]
        ordering = ["requirement", "user", "cycle"]

    def __str__(self) -> str:
        return f"{self.user} · {self.requirement} · cycle {self.cycle}"

    @property
    def is_open(self) -> bool:
        return self.completed_on is None and self.closed_on is None

    def is_late(self) -> bool:
        return self.completed_on is not None and self.completed_on > self.due_on

    @property
    def is_renewal(self) -> bool:
        """A later cycle: it renews a certification that expires (or expired) on
        ``previous_expires_on``."""
        return self.previous_expires_on is not None

    def certification_expires(self, as_of: date) -> date | None:
        """The last day the person's certification counts, as the dashboard, reports
        and exports show it on ``as_of``: this cycle's expiry once it is completed by
        then; before that, on a renewal, the previous cycle's expiry (the lapse date of
        an expired one); None for a first cycle not yet done and for one-off training.
        The SQL twin is ``compliance.selectors.certification_expiry_expression``."""
        if self.completed_on is not None and self.completed_on <= as_of:
            return self.expires_on
        return self.previous_expires_on


#: Cycles still to do: on an active requirement, not completed, closed or exempt.
AWAITING_COMPLETION = Q(
    requirement__active=True,
    completed_on__isnull=True,
    closed_on__isnull=True,
    exempt=False,
)


class NotificationLog(models.Model):
    """Every compliance message, written before it is sent.

    ``key`` is unique ("a<assignment>:<kind>:<step>", "digest:<manager>:<week>"), so a
    job that runs twice, or in two workers at once, claims each message once; a row
    whose sending was interrupted (``sent_at`` empty, lease expired) is sent by the
    next run.
    """

    class Kind(models.TextChoices):
        BEFORE_DUE = "before_due", "Reminder before due"
        OVERDUE = "overdue", "Overdue"
        COMPLETED = "completed", "Completion confirmation"
        DIGEST = "digest", "Manager weekly digest"

    key = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    step = models.IntegerField(default=0)
    assignment = models.ForeignKey(
        Assignment, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    cc_manager = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    lease_until = models.DateTimeField(null=True, blank=True)
    lease_token = models.CharField(max_length=36, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["sent_at", "lease_until"])]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.key


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A learner's private iCalendar feed of due dates, reached by a secret token."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"
