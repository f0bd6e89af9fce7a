"""This app's part of a person's erasure and of the retention purge (records.hooks).

Enrolments, lesson progress and quiz attempts stay (they are the course's figures and
the completions compliance and certificates rest on); only free text about or by the
person goes: a rejection's reason, and what they typed into short-answer questions.
Scores, verdicts and which options they chose are not personal text and are kept.
"""

from datetime import datetime

from .models import Enrollment, QuizAttempt

#: The question type whose answer is text the learner typed (``learner.grading``).
TYPED_ANSWER = "short_answer"


def _redact_attempt(attempt: QuizAttempt, redacted: str) -> bool:
    """Replace the typed answers of ``attempt`` (in ``answers`` and ``graded``);
    whether anything changed."""
    graded = attempt.graded if isinstance(attempt.graded, list) else []
    typed = {
        str(record.get("id"))
        for record in graded
        if isinstance(record, dict) and record.get("type") == TYPED_ANSWER
    }
    if not typed:
        return False
    for record in graded:
        if isinstance(record, dict) and str(record.get("id")) in typed:
            record["answer"] = redacted
    answers = attempt.answers if isinstance(attempt.answers, dict) else {}
    attempt.answers = {key: (redacted if key in typed else value) for key, value in answers.items()}
    attempt.graded = graded
    attempt.save(update_fields=["answers", "graded"])
    return True


def erase_person(person, *, erased) -> dict[str, int]:
    """A rejection's reason becomes ``erased.redacted``, and so does every answer the
    person typed into a short-answer question."""
    reasons = (
        Enrollment.objects.filter(user=person).exclude(reason="").update(reason=erased.redacted)
    )
    attempts = QuizAttempt.objects.filter(enrollment__user=person).only("pk", "answers", "graded")
    answers = sum(_redact_attempt(attempt, erased.redacted) for attempt in attempts.iterator())
    return {"learner.enrollment_reason": reasons, "learner.quiz_answers": answers}


def purge_before(*, cutoff: datetime) -> dict[str, int]:
    """Nothing: enrolments and attempts are the history figures and completions rest
    on; an erased person's hold no personal text."""
    return {}
