"""The course both systems are given: 5 modules × 10 lessons, each lesson three rich-text
paragraph blocks of the same words, so that every lesson weighs the same in both.

Standard library only: the wagtail-lms worker imports it from its own virtualenv.
"""

import random

MODULES = 5
LESSONS_PER_MODULE = 10
#: Paragraph blocks per lesson, and ``<p>`` elements per block.
BLOCKS = 3
PARAGRAPHS_PER_BLOCK = 2
SEED = 20261206
COURSE_TITLE = "Information Security Essentials"
COURSE_SUMMARY = "How to keep the organisation's data and devices safe."
#: The lesson measured: the 5th lesson of module 3 (1-based).
MEASURED_MODULE = 3
MEASURED_LESSON = 5

WORDS = [
    *("risk", "report", "policy", "data", "access", "password", "phishing", "device"),
    *("record", "team", "manager", "training", "incident", "safe", "check", "share"),
    *("store", "delete", "protect", "confirm", "sender", "link", "attachment", "account"),
    *("network", "laptop", "update", "backup", "encrypt", "visitor", "badge"),
]


def module_title(module: int) -> str:
    return f"Module {module}: part {module} of the essentials"


def lesson_title(module: int, lesson: int) -> str:
    return f"Lesson {module}.{lesson}: working safely, step {lesson}"


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(12)]
    return " ".join(words).capitalize() + "."


def lesson_paragraphs(module: int, lesson: int) -> list[str]:
    """The HTML of the lesson's paragraph blocks: the same for a given lesson in both
    systems (about 1,000 characters each)."""
    rng = random.Random(SEED * 1000 + module * 100 + lesson)
    blocks = []
    for number in range(BLOCKS):
        paragraphs = []
        for part in range(PARAGRAPHS_PER_BLOCK):
            sentences = " ".join(_sentence(rng) for _ in range(5))
            if part == 0:
                sentences = f"<strong>Point {number + 1}.</strong> " + sentences
            paragraphs.append(f"<p>{sentences}</p>")
        blocks.append("".join(paragraphs))
    return blocks


def outline() -> list[tuple[int, str, list[tuple[int, str]]]]:
    """(module number, title, [(lesson number, title), …]) in order."""
    return [
        (
            module,
            module_title(module),
            [(lesson, lesson_title(module, lesson)) for lesson in range(1, LESSONS_PER_MODULE + 1)],
        )
        for module in range(1, MODULES + 1)
    ]
