"""Request and response shapes of the learning resources (courses, enrolments, progress,
quiz attempts), for the views and the OpenAPI document.

Nothing here carries a lesson's body or a quiz's answer key: courses show their outline
(ids and titles), attempts show the caller's answers and the verdicts only.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from base.people import person_name
from catalog.models import CoursePage
from learner.models import Enrollment

# --- Courses -------------------------------------------------------------------------


class SubjectSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class CourseSummarySerializer(serializers.Serializer):
    """A published course as the catalog lists it."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField()
    subject = SubjectSerializer(allow_null=True)
    difficulty = serializers.ChoiceField(choices=CoursePage.Difficulty.choices)
    estimated_minutes = serializers.IntegerField()
    enrollment_policy = serializers.ChoiceField(choices=CoursePage.EnrollmentPolicy.choices)
    capacity = serializers.IntegerField(allow_null=True, help_text="Blank: unlimited.")
    waitlist_enabled = serializers.BooleanField()
    url = serializers.SerializerMethodField(help_text="The course's page on the site.")

    def get_url(self, course) -> str:
        return course.get_url(request=self.context.get("request")) or ""


class OutlineLessonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    number = serializers.IntegerField(help_text="The lesson's place in the course, from 1.")


class OutlineModuleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    lessons = OutlineLessonSerializer(many=True)


class CallerEnrollmentSerializer(serializers.Serializer):
    """The caller's own enrolment in a course: the open one, else the latest completed."""

    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Enrollment.Status.choices)
    progress_percent = serializers.IntegerField()


class CourseDetailSerializer(CourseSummarySerializer):
    """One published course: its settings, its outline (modules and lessons, ids and
    titles only) and the caller's enrolment in it, if any."""

    sequential_lessons = serializers.BooleanField()
    issues_certificate = serializers.BooleanField()
    certificate_validity_months = serializers.IntegerField(allow_null=True)
    pass_mark = serializers.IntegerField()
    seats_left = serializers.IntegerField(
        source="free_seats", allow_null=True, help_text="Null: unlimited."
    )
    modules = OutlineModuleSerializer(source="outline_modules", many=True)
    enrollment = CallerEnrollmentSerializer(source="caller_enrollment", allow_null=True)


# --- Enrolments ----------------------------------------------------------------------


class LearnerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.SerializerMethodField()
    email = serializers.EmailField()

    def get_name(self, user) -> str:
        return person_name(user)


class LearnerEnrollmentSerializer(serializers.Serializer):
    """One enrolment: one attempt by one learner at one course."""

    id = serializers.IntegerField()
    course_id = serializers.IntegerField()
    course_title = serializers.CharField(source="course.title")
    learner = LearnerSerializer(source="user")
    status = serializers.ChoiceField(choices=Enrollment.Status.choices)
    requested_at = serializers.DateTimeField()
    activated_at = serializers.DateTimeField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)
    ended_at = serializers.DateTimeField(
        allow_null=True, help_text="When it was withdrawn or rejected."
    )
    reason = serializers.CharField(help_text="Why a request was not approved; else empty.")
    progress_percent = serializers.IntegerField()
    lessons_completed = serializers.IntegerField()
    last_activity_at = serializers.DateTimeField(allow_null=True)
    last_lesson_id = serializers.IntegerField(allow_null=True)


class EnrollmentCreateSerializer(serializers.Serializer):
    """Enrol in a course: the caller, or (for those who may manage its learners)
    another person."""

    course_id = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    user_id = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        required=False,
        help_text="Enrol this person instead of the caller: only for users who may edit "
        "the course (its instructors, reviewers) and superusers.",
    )


# --- Progress and attempts -----------------------------------------------------------


class LessonProgressSerializer(serializers.Serializer):
    """One lesson of an enrolment, in course order; lessons no longer live that have
    progress come last, with ``module`` null."""

    lesson_id = serializers.IntegerField()
    title = serializers.CharField()
    module = serializers.CharField(allow_null=True)
    first_viewed_at = serializers.DateTimeField(allow_null=True, source="progress.first_viewed_at")
    last_viewed_at = serializers.DateTimeField(allow_null=True, source="progress.last_viewed_at")
    completed_at = serializers.DateTimeField(allow_null=True, source="progress.completed_at")
    views = serializers.SerializerMethodField()
    time_spent_seconds = serializers.SerializerMethodField()

    def get_views(self, row) -> int:
        return row.progress.views if row.progress else 0

    def get_time_spent_seconds(self, row) -> int:
        return row.progress.time_spent_seconds if row.progress else 0


class AttemptSummarySerializer(serializers.Serializer):
    """A graded quiz attempt, without its questions."""

    id = serializers.IntegerField()
    enrollment_id = serializers.IntegerField()
    course_id = serializers.IntegerField(source="enrollment.course_id")
    lesson_id = serializers.IntegerField()
    number = serializers.IntegerField(help_text="1 for the first attempt, and so on.")
    submitted_at = serializers.DateTimeField()
    score = serializers.DecimalField(max_digits=5, decimal_places=2, help_text="Percent.")
    pass_mark = serializers.IntegerField()
    passed = serializers.BooleanField()


class ProgressSerializer(serializers.Serializer):
    """One enrolment's progress: each lesson with views, time and completion, and every
    quiz attempt."""

    enrollment = LearnerEnrollmentSerializer()
    time_spent_seconds = serializers.IntegerField()
    lessons = LessonProgressSerializer(many=True)
    attempts = AttemptSummarySerializer(many=True)


class AttemptOptionSerializer(serializers.Serializer):
    id = serializers.CharField()
    text = serializers.CharField()
    chosen = serializers.BooleanField()


class AttemptQuestionSerializer(serializers.Serializer):
    """A question as the learner answered it and its verdict. Which options were right
    and the accepted answers are never sent: the API carries no answer key."""

    id = serializers.CharField()
    type = serializers.CharField()
    prompt = serializers.CharField()
    correct = serializers.BooleanField()
    credit = serializers.DecimalField(
        max_digits=5, decimal_places=4, help_text="The share of the question earned, 0 to 1."
    )
    answer = serializers.CharField(
        allow_null=True, required=False, help_text="Short-answer questions: the answer given."
    )
    options = AttemptOptionSerializer(many=True, required=False)


def answered_questions(graded: list) -> list[dict]:
    """The stored graded questions without the answer key (``is_correct``,
    ``accepted_answers``, ``explanation``)."""
    questions = []
    for record in graded or []:
        question = {
            "id": record.get("id", ""),
            "type": record.get("type", ""),
            "prompt": record.get("prompt", ""),
            "correct": bool(record.get("correct")),
            "credit": record.get("credit", "0"),
        }
        if "answer" in record:
            question["answer"] = record["answer"]
        if "options" in record:
            question["options"] = [
                {"id": o["id"], "text": o["text"], "chosen": bool(o.get("chosen"))}
                for o in record["options"]
            ]
        questions.append(question)
    return questions


class AttemptDetailSerializer(AttemptSummarySerializer):
    """A graded attempt with the questions as answered."""

    lesson_title = serializers.CharField(source="lesson.title")
    questions = serializers.SerializerMethodField()

    @extend_schema_field(AttemptQuestionSerializer(many=True))
    def get_questions(self, attempt) -> list[dict]:
        return AttemptQuestionSerializer(answered_questions(attempt.graded), many=True).data
