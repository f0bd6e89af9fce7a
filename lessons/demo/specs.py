"""The shapes demo courses are written in, and builders for raw lesson-body blocks.

Courses are plain data (:class:`CourseSpec` → :class:`ModuleSpec` →
:class:`LessonSpec`); :mod:`lessons.demo.pages` turns them into pages. Lesson bodies
are raw StreamField data, built with the small functions below so the course text
reads like the lesson it is.
"""

import textwrap
from dataclasses import dataclass, field
from typing import Any

RawBlock = dict[str, Any]


def rich(html: str) -> str:
    """Rich text from a snippet of HTML, or from plain text (wrapped in a paragraph).

    Runs of whitespace (the line breaks of a triple-quoted string) become one space.
    """
    html = " ".join(html.split())
    return html if html.startswith("<") else f"<p>{html}</p>"


@dataclass(frozen=True)
class LessonSpec:
    """A lesson page: its slug, title, summary, reading time and raw body blocks."""

    slug: str
    title: str
    summary: str
    minutes: int
    body: list[RawBlock]


@dataclass(frozen=True)
class ModuleSpec:
    """A module page and its lessons, in order."""

    slug: str
    title: str
    summary: str
    lessons: list[LessonSpec]


@dataclass(frozen=True)
class CourseSpec:
    """A course page: the fields of :class:`catalog.models.CoursePage` (by name) plus
    the subject's name, the cover colours and the modules."""

    slug: str
    title: str
    subject: str
    #: Cover gradient, from top-left to bottom-right, as #rrggbb.
    colours: tuple[str, str]
    modules: list[ModuleSpec]
    #: CoursePage field values (summary, overview, difficulty, capacity…).
    fields: dict[str, Any] = field(default_factory=dict)
    #: The demo username of the course's instructor (who writes it).
    instructor: str = "instructor"

    @property
    def lessons(self) -> list[LessonSpec]:
        return [lesson for module in self.modules for lesson in module.lessons]

    @property
    def estimated_minutes(self) -> int:
        """The course's time: the sum of its lessons' times."""
        return sum(lesson.minutes for lesson in self.lessons)


# --- Raw lesson-body blocks ---------------------------------------------------------


def heading(text: str, level: str = "h2") -> RawBlock:
    return {"type": "heading", "value": {"text": text, "level": level}}


def text(html: str) -> RawBlock:
    """A rich-text paragraph block; ``html`` may hold several paragraphs and lists."""
    return {"type": "paragraph", "value": rich(html)}


def callout(tone: str, title: str, body: str) -> RawBlock:
    """A callout; ``tone`` is one of note, tip, warning or key."""
    return {"type": "callout", "value": {"tone": tone, "title": title, "body": rich(body)}}


def video(url: str, title: str, caption: str = "", transcript: str = "") -> RawBlock:
    value = {
        "url": url,
        "title": title,
        "caption": caption,
        "transcript": rich(transcript) if transcript else "",
    }
    return {"type": "video", "value": value}


def code(source: str, language: str = "text", caption: str = "") -> RawBlock:
    return {
        "type": "code",
        "value": {
            "language": language,
            "code": textwrap.dedent(source).strip(),
            "caption": caption,
        },
    }


def option(label: str, correct: bool = False) -> dict[str, Any]:
    return {"text": label, "is_correct": correct}


def single_choice(prompt: str, options: list[dict[str, Any]], explanation: str) -> RawBlock:
    value = {"prompt": prompt, "options": options, "explanation": rich(explanation)}
    return {"type": "single_choice", "value": value}


def multiple_choice(prompt: str, options: list[dict[str, Any]], explanation: str) -> RawBlock:
    value = {"prompt": prompt, "options": options, "explanation": rich(explanation)}
    return {"type": "multiple_choice", "value": value}


def true_false(prompt: str, answer: bool, explanation: str) -> RawBlock:
    value = {
        "prompt": prompt,
        "correct_answer": "true" if answer else "false",
        "explanation": rich(explanation),
    }
    return {"type": "true_false", "value": value}


def short_answer(prompt: str, accepted: list[str], explanation: str) -> RawBlock:
    value = {"prompt": prompt, "accepted_answers": accepted, "explanation": rich(explanation)}
    return {"type": "short_answer", "value": value}


def quiz(
    title: str,
    questions: list[RawBlock],
    *,
    intro: str = "",
    pass_mark: int | None = None,
    max_attempts: int = 0,
    shuffle: bool = False,
) -> RawBlock:
    """A quiz block; ``pass_mark`` None uses the course's default pass mark."""
    value = {
        "title": title,
        "intro": rich(intro) if intro else "",
        "pass_mark": pass_mark,
        "max_attempts": max_attempts,
        "shuffle": shuffle,
        "questions": questions,
    }
    return {"type": "quiz", "value": value}
