"""Grading: each question type, partial credit, and refusal of tampered submissions."""

from decimal import Decimal

import pytest

from learner.grading import InvalidSubmission, grade, normalise_text, parse_answers
from lessons.blocks import QuizBlock, stamp_ids
from tests.lessons.factories import (
    multiple_choice,
    option,
    quiz,
    short_answer,
    single_choice,
    true_false,
)


def make_quiz(*questions):
    block = QuizBlock()
    return block.to_python(stamp_ids(block, quiz(*questions)["value"]))


def ids(value):
    """Question ids and option ids in order: [(qid, [oid, ...]), ...]."""
    result = []
    for q in value["questions"]:
        options = (
            [str(o.id) for o in q.value["options"].bound_blocks] if "options" in q.value else []
        )
        result.append((q.id, options))
    return result


class TestQuestionTypes:
    def test_single_choice_right_and_wrong(self):
        value = make_quiz(single_choice(options=[option("A", True), option("B")]))
        ((qid, (a, b)),) = ids(value)
        assert grade(value, {qid: a}, pass_mark=100).score == Decimal("100.00")
        assert grade(value, {qid: b}, pass_mark=100).score == Decimal("0.00")

    def test_true_false(self):
        value = make_quiz(true_false(answer="false"))
        ((qid, _),) = ids(value)
        assert grade(value, {qid: "false"}, pass_mark=50).passed
        assert not grade(value, {qid: "true"}, pass_mark=50).passed

    def test_short_answer_ignores_case_and_spacing(self):
        value = make_quiz(short_answer(accepted=["Multi-factor authentication", "MFA"]))
        ((qid, _),) = ids(value)
        assert grade(value, {qid: "  multi-factor   AUTHENTICATION "}, pass_mark=100).passed
        assert grade(value, {qid: "mfa"}, pass_mark=100).passed
        assert not grade(value, {qid: "two factor"}, pass_mark=1).passed

    def test_multiple_choice_full_credit_only_for_the_exact_set(self):
        value = make_quiz(
            multiple_choice(options=[option("A", True), option("B", True), option("C")])
        )
        ((qid, (a, b, c)),) = ids(value)
        result = grade(value, {qid: [a, b]}, pass_mark=100)
        assert result.score == Decimal("100.00")
        assert result.graded[0]["correct"] is True

    @pytest.mark.parametrize(
        ("picks", "expected"),
        [
            ([0], "50.00"),  # one of two right: half credit
            ([0, 2], "0.00"),  # one right, one wrong: they cancel out
            ([0, 1, 2], "50.00"),  # both right, one wrong
            ([2], "0.00"),  # only wrong: never negative
            ([], "0.00"),  # nothing ticked
        ],
    )
    def test_multiple_choice_partial_credit(self, picks, expected):
        value = make_quiz(
            multiple_choice(options=[option("A", True), option("B", True), option("C")])
        )
        ((qid, options),) = ids(value)
        result = grade(value, {qid: [options[i] for i in picks]}, pass_mark=100)
        assert result.score == Decimal(expected)
        assert result.graded[0]["correct"] is False

    def test_score_is_the_mean_credit_and_pass_mark_is_inclusive(self):
        value = make_quiz(true_false(), true_false(), true_false(), true_false())
        qids = [qid for qid, _ in ids(value)]
        answers = {qids[0]: "true", qids[1]: "true", qids[2]: "true", qids[3]: "false"}
        result = grade(value, answers, pass_mark=75)
        assert result.score == Decimal("75.00")
        assert result.passed
        assert result.correct_count == 3
        assert not grade(value, answers, pass_mark=76).passed

    def test_graded_snapshot_keeps_prompts_options_and_choices(self):
        value = make_quiz(single_choice(prompt="Pick A", options=[option("A", True), option("B")]))
        ((qid, (a, b)),) = ids(value)
        record = grade(value, {qid: b}, pass_mark=50).graded[0]
        assert record["prompt"] == "Pick A"
        assert record["options"] == [
            {"id": a, "text": "A", "is_correct": True, "chosen": False},
            {"id": b, "text": "B", "is_correct": False, "chosen": True},
        ]

    def test_normalise_text(self):
        assert normalise_text("  Multi \t Factor ") == "multi factor"


class TestParseAnswers:
    def setup_method(self):
        self.value = make_quiz(
            single_choice(options=[option("A", True), option("B")]),
            multiple_choice(options=[option("C", True), option("D")]),
            short_answer(accepted=["x"]),
        )
        (self.q1, self.o1), (self.q2, self.o2), (self.q3, _) = ids(self.value)

    def valid(self, **overrides):
        data = {
            f"q-{self.q1}": [self.o1[0]],
            f"q-{self.q2}": ["", self.o2[0]],
            f"q-{self.q3}": ["x"],
            "csrfmiddlewaretoken": ["t"],
            "submission_token": ["u"],
        }
        data.update(overrides)
        return data

    def test_valid_submission(self):
        answers = parse_answers(self.value, self.valid())
        assert answers == {self.q1: self.o1[0], self.q2: [self.o2[0]], self.q3: "x"}

    def test_nothing_ticked_is_an_answer_for_multiple_choice(self):
        answers = parse_answers(self.value, self.valid(**{f"q-{self.q2}": [""]}))
        assert answers[self.q2] == []

    @pytest.mark.parametrize(
        "tamper",
        [
            "unknown_question",
            "option_of_another_question",
            "made_up_option",
            "two_answers_to_single_choice",
            "missing_question",
            "extra_field",
            "duplicate_option",
            "long_text",
            "two_text_answers",
        ],
    )
    def test_tampered_submissions_are_refused(self, tamper):
        data = self.valid()
        if tamper == "unknown_question":
            data["q-00000000-0000-0000-0000-000000000000"] = [self.o1[0]]
        elif tamper == "option_of_another_question":
            data[f"q-{self.q1}"] = [self.o2[0]]
        elif tamper == "made_up_option":
            data[f"q-{self.q1}"] = ["not-an-option"]
        elif tamper == "two_answers_to_single_choice":
            data[f"q-{self.q1}"] = self.o1
        elif tamper == "missing_question":
            del data[f"q-{self.q3}"]
        elif tamper == "extra_field":
            data["is_correct"] = ["1"]
        elif tamper == "duplicate_option":
            data[f"q-{self.q2}"] = [self.o2[0], self.o2[0]]
        elif tamper == "long_text":
            data[f"q-{self.q3}"] = ["x" * 201]
        elif tamper == "two_text_answers":
            data[f"q-{self.q3}"] = ["x", "y"]
        with pytest.raises(InvalidSubmission):
            parse_answers(self.value, data)
