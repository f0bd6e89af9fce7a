"""What the lessons say: bodies of headings, text, callouts, video and code blocks, the
10-question quiz at the end of each module, and a passing and a failing answer to it,
graded by the real grader."""

import random

from .sizes import QUESTIONS

TOPICS = [
    "Security Awareness",
    "Data Protection",
    "Fire Safety",
    "Health and Safety at Work",
    "Anti-Bribery",
    "Equality and Inclusion",
    "Safeguarding",
    "Information Handling",
    "Manual Handling",
    "First Aid",
    "Workplace Ethics",
    "Cyber Hygiene",
    "Records Management",
    "Conflict of Interest",
    "Lone Working",
    "Display Screen Equipment",
    "Modern Slavery Awareness",
    "Accessibility Basics",
    "Incident Reporting",
    "Export Controls",
    "Project Management",
    "Writing for the Web",
    "Spreadsheet Skills",
    "Effective Meetings",
    "Giving Feedback",
]
SUBJECTS = ["Compliance", "Security", "Wellbeing", "Skills", "Leadership"]


def paragraph(rng: random.Random, sentences: int = 4) -> str:
    words = [
        "risk",
        "report",
        "policy",
        "data",
        "access",
        "password",
        "phishing",
        "device",
        "record",
        "team",
        "manager",
        "training",
        "incident",
        "safe",
        "check",
        "share",
        "store",
        "delete",
        "protect",
        "confirm",
        "update",
        "review",
        "process",
        "colleague",
        "customer",
        "secure",
    ]
    text = []
    for _ in range(sentences):
        sentence = " ".join(rng.choice(words) for _ in range(rng.randint(8, 16)))
        text.append(sentence.capitalize() + ".")
    return "<p>" + " ".join(text) + "</p>"


def quiz_value(rng: random.Random, topic: str) -> dict:
    kinds = ["single_choice", "multiple_choice", "true_false", "short_answer", "single_choice"]
    questions = []
    for number in range(1, QUESTIONS + 1):
        kind = kinds[(number - 1) % len(kinds)]
        value = {
            "prompt": f"{topic}: question {number} — which statement is right?",
            "explanation": paragraph(rng, 1),
        }
        if kind == "single_choice":
            right = rng.randrange(4)
            value["options"] = [
                {"text": f"Option {letter}", "is_correct": index == right}
                for index, letter in enumerate("ABCD")
            ]
        elif kind == "multiple_choice":
            right = set(rng.sample(range(4), 2))
            value["options"] = [
                {"text": f"Choice {letter}", "is_correct": index in right}
                for index, letter in enumerate("ABCD")
            ]
        elif kind == "true_false":
            value["correct_answer"] = rng.choice(["true", "false"])
        else:
            value["accepted_answers"] = ["report it", "report"]
        questions.append({"type": kind, "value": value})
    return {
        "title": "Check your understanding",
        "intro": "<p>Answer every question; you need 80% to pass.</p>",
        "pass_mark": 80,
        "max_attempts": 0,
        "shuffle": False,
        "questions": questions,
    }


def lesson_body(rng: random.Random, topic: str, number: int, with_quiz: bool) -> list:
    body = [
        {"type": "heading", "value": {"text": f"{topic}: part {number}", "level": "h2"}},
        {"type": "paragraph", "value": paragraph(rng) + paragraph(rng)},
        {
            "type": "callout",
            "value": {"tone": "tip", "title": "Remember", "body": paragraph(rng, 2)},
        },
        {"type": "heading", "value": {"text": "In practice", "level": "h3"}},
        {"type": "paragraph", "value": paragraph(rng, 5)},
    ]
    if number % 4 == 1:
        body.insert(
            2,
            {
                "type": "video",
                "value": {
                    "url": "https://www.youtube.com/watch?v=aO858HyFbKI",
                    "title": f"{topic} in three minutes",
                    "caption": "",
                    "transcript": paragraph(rng, 3),
                },
            },
        )
    if number % 3 == 0:
        body.append(
            {
                "type": "code",
                "value": {"language": "bash", "code": "gpg --verify report.pdf.sig", "caption": ""},
            }
        )
    if with_quiz:
        body.append({"type": "quiz", "value": quiz_value(rng, topic)})
    return body


def graded_attempts(quiz, grade) -> dict:
    """A passing and a failing attempt at ``quiz``, graded by the real grader."""
    right: dict[str, object] = {}
    wrong: dict[str, object] = {}
    for number, question in enumerate(quiz.value["questions"]):
        kind = question.block_type
        if kind == "short_answer":
            right[str(question.id)] = question.value["accepted_answers"][0]
            wrong[str(question.id)] = "no idea"
            continue
        if kind == "true_false":
            correct = question.value["correct_answer"]
            right[str(question.id)] = correct
            wrong[str(question.id)] = "false" if correct == "true" else "true"
            continue
        options = question.value["options"].bound_blocks
        correct_ids = sorted(str(o.id) for o in options if o.value["is_correct"])
        wrong_ids = sorted(str(o.id) for o in options if not o.value["is_correct"])
        if kind == "multiple_choice":
            right[str(question.id)] = correct_ids
            wrong[str(question.id)] = wrong_ids[:1] if number % 2 else correct_ids
        else:
            right[str(question.id)] = correct_ids[0]
            wrong[str(question.id)] = wrong_ids[0] if number % 2 else correct_ids[0]
    passed = grade(quiz.value, right, pass_mark=80)
    failed = grade(quiz.value, wrong, pass_mark=80)
    return {
        "block_id": str(quiz.id),
        "pass": (right, passed.graded, passed.score, passed.passed),
        "fail": (wrong, failed.graded, failed.score, failed.passed),
    }
