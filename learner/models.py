"""Learner state: enrolments, lesson progress and quiz attempts.

All of it lives in plain models with foreign keys to pages, never in page content, and
changes only through :mod:`learner.services`.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class Enrollment(models.Model):
    """One attempt by one learner at one course.

    Rules: at most one *open* enrolment (pending, waitlisted or active) per learner and
    course, enforced by a partial unique constraint; a retake after completion, or a
    new request after withdrawal or rejection, is a new row, so history is kept.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting approval"
        WAITLISTED = "waitlisted", "On the waitlist"
        ACTIVE = "active", "In progress"
        COMPLETED = "completed", "Completed"
        WITHDRAWN = "withdrawn", "Withdrawn"
        REJECTED = "rejected", "Not approved"

    #: Statuses that hold a learner's place in a course; only one may exist at a time.
    OPEN_STATUSES = (Status.PENDING, Status.WAITLISTED, Status.ACTIVE)
    #: Statuses that let a learner read the lessons.
    ACCESS_STATUSES = (Status.ACTIVE, Status.COMPLETED)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments"
    )
    course = models.ForeignKey(
        "catalog.CoursePage", on_delete=models.CASCADE, related_name="enrollments"
    )
    status = models.CharField(max_length=20, choices=Status.choices, db_index=True)
    requested_at = models.DateTimeField()
    activated_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was withdrawn or rejected."
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The instructor who approved or rejected the request.",
    )
    reason = models.TextField(blank=True, help_text="Why the request was rejected.")
    progress_percent = models.PositiveSmallIntegerField(default=0)
    lessons_completed = models.PositiveIntegerField(default=0)
    last_activity_at = models.DateTimeField(null=True, blank=True)
    last_lesson = models.ForeignKey(
        "lessons.LessonPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: The course's live revision when it was completed: the content the completion is
    #: for. A course published later with a material change reopens compliance for
    #: completions on an older revision (``compliance.services.material_changes``).
    course_revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The course's live revision when it was completed.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"],
                condition=Q(status__in=["pending", "waitlisted", "active"]),
                name="learner_one_open_enrollment_per_course",
            )
        ]
        indexes = [
            models.Index(fields=["course", "status", "requested_at"]),
            models.Index(fields=["user", "status"]),
        ]
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.user} in {self.course} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def grants_access(self) -> bool:
        return self.status in self.ACCESS_STATUSES


class LessonProgress(models.Model):
    """How far a learner got with one lesson within one enrolment.

    ``lesson_revision`` is the lesson's live revision when it was completed, so an
    enrolment's completed rows tell which version of each lesson it covered.
    """

    # No index of its own: the unique (enrollment, lesson) starts with it. A second one
    # is one more page for every completion to write and, at scale, to read first.
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="progress", db_index=False
    )
    lesson = models.ForeignKey("lessons.LessonPage", on_delete=models.CASCADE, related_name="+")
    first_viewed_at = models.DateTimeField()
    last_viewed_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    views = models.PositiveIntegerField(default=0)
    time_spent_seconds = models.PositiveIntegerField(default=0)
    lesson_revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The lesson's live revision when it was completed.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "lesson"], name="learner_one_progress_per_lesson"
            )
        ]
        verbose_name_plural = "lesson progress"

    def __str__(self) -> str:
        return f"{self.enrollment.user} · {self.lesson}"

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


class QuizAttempt(models.Model):
    """One graded submission of a lesson's quiz.

    ``graded`` keeps the questions, options, the learner's answers and the verdicts as
    they were at grading time, so later edits of the quiz never change past results.
    ``submission_token`` comes from the form the learner was shown: submitting the same
    form twice finds the first attempt instead of recording a second.
    """

    # No indexes of their own: the unique (enrollment, lesson, number) and the index of
    # (lesson, passed) start with them, and every attempt would write both again.
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="quiz_attempts", db_index=False
    )
    lesson = models.ForeignKey(
        "lessons.LessonPage", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    quiz_block_id = models.CharField(max_length=64)
    number = models.PositiveIntegerField(help_text="1 for the first attempt, and so on.")
    submission_token = models.UUIDField(default=uuid.uuid4)
    submitted_at = models.DateTimeField()
    answers = models.JSONField(help_text="The answers as submitted, keyed by question id.")
    graded = models.JSONField(help_text="Questions, answers and verdicts as graded.")
    score = models.DecimalField(max_digits=5, decimal_places=2, help_text="Percent.")
    pass_mark = models.PositiveSmallIntegerField()
    passed = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "lesson", "number"], name="learner_attempt_number_unique"
            ),
            models.UniqueConstraint(
                fields=["enrollment", "submission_token"], name="learner_attempt_token_unique"
            ),
        ]
        indexes = [models.Index(fields=["lesson", "passed"])]
        ordering = ["enrollment", "lesson", "number"]

    def __str__(self) -> str:
        return f"{self.enrollment.user} · {self.lesson} · attempt {self.number}"
