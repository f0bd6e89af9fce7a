"""The outline's HTML is rendered once per course version and filled in per reader:
the ticks, the lesson being read, and nothing left of the markers."""

from django.core.cache import cache

import pytest

from learner import services
from learner.models import Enrollment
from tests.learner.factories import EnrollmentFactory, small_course

pytestmark = pytest.mark.django_db


def lesson_items(html: str) -> dict[int, str]:
    """Each lesson's <li> in the outline, by lesson id."""
    items = {}
    for chunk in html.split('<li class="outline__lesson')[1:]:
        lesson_id = int(chunk.split('data-lesson-id="', 1)[1].split('"', 1)[0])
        items[lesson_id] = chunk.split("</li>", 1)[0]
    return items


def test_each_reader_gets_their_own_ticks_from_one_rendering(client, catalog):
    course = small_course()
    course.last.title = "Wrap up <!--c:1--> & more"
    course.last.save_revision().publish()
    done = EnrollmentFactory(course=course.course)
    services.lesson_complete(enrollment=done, lesson=course.reading)
    fresh = EnrollmentFactory(course=course.course, status=Enrollment.Status.ACTIVE)
    cache.clear()

    client.force_login(done.user)
    mine = client.get(course.quiz_lesson.url).content.decode()
    client.force_login(fresh.user)
    theirs = client.get(course.quiz_lesson.url).content.decode()

    for html in (mine, theirs):
        assert "<!--c:" not in html and "<!--a:" not in html and "<!--d:" not in html
        assert "Wrap up &lt;!--c:1--&gt; &amp; more" in html  # a title makes no marker
        items = lesson_items(html)
        assert " is-current" in items[course.quiz_lesson.pk]
        assert 'aria-current="page"' in items[course.quiz_lesson.pk]
        assert "is-current" not in items[course.reading.pk] + items[course.last.pk]
    assert " is-complete" in lesson_items(mine)[course.reading.pk]
    assert "(completed)" in lesson_items(mine)[course.reading.pk]
    assert "is-complete" not in theirs and "(completed)" not in theirs
