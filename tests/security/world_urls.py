"""URL builders over the shared world, for the access and CSRF tables.

A table row names its URL as a function of the world (``conftest.World``), built when
the test runs: ``rev("learner:withdraw", ME_ENROLLMENT)`` is the withdraw URL of the
learner's own enrolment.
"""

from collections.abc import Callable

from django.urls import reverse

from .conftest import World


def rev(name: str, *args, query: str = "") -> Callable[[World], str]:
    """``reverse(name, args=...)`` where each arg may be a function of the world, with
    an optional query string."""

    def build(world: World) -> str:
        values = [arg(world) if callable(arg) else arg for arg in args]
        return reverse(name, args=values) + (f"?{query}" if query else "")

    return build


def page_url(get_page: Callable[[World], object]) -> Callable[[World], str]:
    """The public URL of the page that ``get_page`` picks from the world."""
    return lambda world: get_page(world).url


def course_url(world: World) -> str:
    """The learner's course."""
    return world.course.url


# Ids of the world's objects, as table shorthand.
ME_ENROLLMENT = lambda w: w.me.enrollment.pk  # noqa: E731 - table shorthand
OTHER_ENROLLMENT = lambda w: w.other.enrollment.pk  # noqa: E731
READING = lambda w: w.small.reading.pk  # noqa: E731
QUIZ = lambda w: w.small.quiz_lesson.pk  # noqa: E731
REQUIREMENT = lambda w: w.requirement.pk  # noqa: E731
PENDING = lambda w: w.pending.pk  # noqa: E731
MY_CERTIFICATE = lambda w: w.me.certificate.pk  # noqa: E731
SUBJECT = lambda w: w.subject.pk  # noqa: E731
