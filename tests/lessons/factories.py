"""Factories and StreamField data builders for lessons and quizzes."""

import factory
import wagtail_factories

from lessons.blocks import LessonBodyBlock, stamp_ids
from lessons.models import LessonPage
from tests.catalog.factories import ModulePageFactory


def option(text: str, correct: bool = False) -> dict:
    return {"text": text, "is_correct": correct}


def single_choice(prompt="Which is a phishing sign?", options=None, explanation="") -> dict:
    options = options or [option("An urgent request to pay", True), option("A known sender")]
    return {
        "type": "single_choice",
        "value": {"prompt": prompt, "options": options, "explanation": explanation},
    }


def multiple_choice(prompt="Which are strong passwords?", options=None) -> dict:
    options = options or [
        option("correct horse battery staple", True),
        option("Tr0ub4dor&3-river-lamp", True),
        option("password1"),
    ]
    return {"type": "multiple_choice", "value": {"prompt": prompt, "options": options}}


def true_false(prompt="MFA stops most account takeovers.", answer="true") -> dict:
    return {"type": "true_false", "value": {"prompt": prompt, "correct_answer": answer}}


def short_answer(prompt="What does MFA stand for?", accepted=None) -> dict:
    accepted = accepted or ["multi-factor authentication", "multifactor authentication"]
    return {"type": "short_answer", "value": {"prompt": prompt, "accepted_answers": accepted}}


def quiz(*questions: dict, title="Check your understanding", pass_mark=80, **extra) -> dict:
    questions = questions or (single_choice(), multiple_choice(), true_false(), short_answer())
    value = {
        "title": title,
        "intro": "",
        "pass_mark": pass_mark,
        "max_attempts": 0,
        "shuffle": False,
        "questions": list(questions),
        **extra,
    }
    return {"type": "quiz", "value": value}


def paragraph(html="<p>Lesson text.</p>") -> dict:
    return {"type": "paragraph", "value": html}


def lesson_body(*blocks: dict):
    """Raw lesson body data, with stored ids, from block dicts (a paragraph when none)."""
    return stamp_ids(LessonBodyBlock(), list(blocks) or [paragraph()])


class LessonPageFactory(wagtail_factories.PageFactory):
    """A published lesson with one paragraph (pass ``body=lesson_body(...)`` for more)."""

    title = factory.Sequence(lambda n: f"Lesson {n}")
    summary = "A lesson."
    body = factory.LazyFunction(lesson_body)
    parent = factory.SubFactory(ModulePageFactory)

    class Meta:
        model = LessonPage


def give_a_lesson(course, title: str = "First lesson") -> LessonPage:
    """A published module with one published lesson under ``course``: a course goes
    live only with a published lesson."""
    return LessonPageFactory(parent=ModulePageFactory(parent=course), title=title)
