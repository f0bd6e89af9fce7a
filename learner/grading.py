"""Server-side quiz grading: pure functions over a quiz block value and submitted answers.

Scoring rules (each question is worth the same):

- **Single choice**: full credit for the one correct option, nothing otherwise.
- **True/false**: full credit for the right verdict, nothing otherwise.
- **Multiple choice**: partial credit. With *C* correct options, a learner who ticks
  *h* of them and *w* wrong ones earns ``max(0, (h - w) / C)`` of the question, so
  ticking everything earns nothing. The question counts as *right* only when the
  ticked set is exactly the correct set.
- **Short answer**: full credit when the answer matches any accepted answer after
  trimming, collapsing inner spaces and ignoring case; nothing otherwise.

The score is the mean credit as a percentage (two decimals); the attempt passes when
the score is at least the pass mark.

A submission must answer exactly the questions the learner was shown, each with
options of that question: unknown questions or options, options of another question,
several answers to a single-answer question and missing or extra fields are refused
with :class:`InvalidSubmission` before anything is graded or stored.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from base.errors import FledgeError

#: Form fields that may accompany the answers.
ALLOWED_EXTRA_FIELDS = {"csrfmiddlewaretoken", "submission_token"}
#: The longest short answer accepted.
MAX_TEXT_ANSWER = 200


class InvalidSubmission(FledgeError, ValueError):
    """The submitted form does not match the quiz the learner was shown (a 400; still a
    ``ValueError`` for callers that parse)."""


@dataclass(frozen=True)
class GradeResult:
    score: Decimal
    passed: bool
    correct_count: int
    graded: list[dict]


def normalise_text(text: str) -> str:
    """Trim, collapse inner whitespace and fold case: `` Multi  Factor `` → ``multi factor``."""
    return re.sub(r"\s+", " ", text).strip().casefold()


def _option_ids(question) -> list[str]:
    if question.block_type == "true_false":
        return ["true", "false"]
    return [str(option.id) for option in question.value["options"].bound_blocks]


def parse_answers(quiz_value, data: Mapping[str, list[str]]) -> dict[str, object]:
    """Check a submission against the quiz and return its answers by question id.

    ``data`` maps field names to lists of values (``dict(request.POST.lists())``).
    Fields are ``q-<question id>``; a multiple-choice question also sends an empty
    value so that "nothing ticked" is an answer rather than a missing field.
    """
    questions = {str(q.id): q for q in quiz_value["questions"]}
    answers: dict[str, object] = {}
    for field, values in data.items():
        if field in ALLOWED_EXTRA_FIELDS:
            continue
        if not field.startswith("q-") or field[2:] not in questions:
            raise InvalidSubmission("The form contained an answer to a question not in this quiz.")
        question = questions[field[2:]]
        kind = question.block_type
        if kind == "short_answer":
            if len(values) != 1:
                raise InvalidSubmission("Give one answer to each short-answer question.")
            if len(values[0]) > MAX_TEXT_ANSWER:
                raise InvalidSubmission(f"Answers are limited to {MAX_TEXT_ANSWER} characters.")
            answers[question.id] = values[0]
            continue
        valid = set(_option_ids(question))
        chosen = [value for value in values if value != ""] if kind == "multiple_choice" else values
        if any(value not in valid for value in chosen) or len(set(chosen)) != len(chosen):
            raise InvalidSubmission("The form contained an option that is not in this question.")
        if kind == "multiple_choice":
            answers[question.id] = sorted(chosen)
        elif len(chosen) != 1:
            raise InvalidSubmission("Choose one answer for each single-answer question.")
        else:
            answers[question.id] = chosen[0]
    missing = [qid for qid in questions if qid not in answers]
    if missing:
        raise InvalidSubmission("Answer every question before you submit the quiz.")
    return answers


def _grade_question(question, answer) -> tuple[Decimal, bool, dict]:
    value = question.value
    kind = question.block_type
    record: dict = {
        "id": str(question.id),
        "type": kind,
        "prompt": value["prompt"],
        "explanation": value["explanation"].source if value.get("explanation") else "",
    }
    if kind == "short_answer":
        accepted = [a for a in value["accepted_answers"] if a.strip()]
        right = normalise_text(str(answer)) in {normalise_text(a) for a in accepted}
        record.update({"answer": answer, "accepted_answers": accepted})
        return Decimal(int(right)), right, record

    if kind == "true_false":
        options = [
            {"id": "true", "text": "True", "is_correct": value["correct_answer"] == "true"},
            {"id": "false", "text": "False", "is_correct": value["correct_answer"] == "false"},
        ]
    else:
        options = [
            {"id": str(o.id), "text": o.value["text"], "is_correct": bool(o.value["is_correct"])}
            for o in value["options"].bound_blocks
        ]
    chosen = set(answer) if isinstance(answer, list) else {answer}
    correct = {o["id"] for o in options if o["is_correct"]}
    for option in options:
        option["chosen"] = option["id"] in chosen
    record["options"] = options
    right = chosen == correct
    if kind == "multiple_choice":
        hits, wrong = len(chosen & correct), len(chosen - correct)
        credit = max(Decimal(0), Decimal(hits - wrong) / Decimal(len(correct)))
    else:
        credit = Decimal(int(right))
    return credit, right, record


def grade(quiz_value, answers: Mapping[str, object], *, pass_mark: int) -> GradeResult:
    """Grade checked answers (from :func:`parse_answers`) against the quiz."""
    graded = []
    total = Decimal(0)
    correct_count = 0
    questions = list(quiz_value["questions"])
    for question in questions:
        credit, right, record = _grade_question(question, answers[str(question.id)])
        record["credit"] = str(credit.quantize(Decimal("0.0001")))
        record["correct"] = right
        graded.append(record)
        total += credit
        correct_count += int(right)
    score = (total * 100 / len(questions)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return GradeResult(
        score=score, passed=score >= pass_mark, correct_count=correct_count, graded=graded
    )
