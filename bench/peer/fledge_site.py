"""The Fledge side (run in Fledge's virtualenv, after ``bench.common.setup_django`` under
``bench.run``'s settings): migrate a new database, build the course through the page
API, enrol the learner through the service and sign them in.

The course is 5 modules × 10 lessons in the catalog the migrations create; each lesson's
body is the same three rich-text paragraph blocks as wagtail-lms's. Every page is
published as an editor would (a revision, then ``publish``), lessons first: a course
goes live only with a published lesson.
"""

import uuid

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test.utils import override_settings

from catalog.models import CatalogPage, CoursePage, ModulePage
from learner.services import enrollment_request
from lessons.models import LessonPage

from ..run.measuring import signed_in_client
from ..urls import TRIVIAL_PATH
from . import content
from .sites import Prepared


def _body(module: int, lesson: int) -> list[dict]:
    return [
        {"type": "paragraph", "value": html, "id": str(uuid.uuid4())}
        for html in content.lesson_paragraphs(module, lesson)
    ]


def _publish(page):
    page.save_revision().publish()
    return page


def prepare() -> Prepared:
    call_command("migrate", interactive=False, verbosity=0)
    # Every request goes through the benchmark's URLconf (the trivial view's).
    override_settings(ROOT_URLCONF="bench.urls").enable()
    catalog = CatalogPage.objects.live().order_by("path").first()
    course = catalog.add_child(
        instance=CoursePage(
            title=content.COURSE_TITLE,
            slug="course",
            summary=content.COURSE_SUMMARY,
            overview=f"<p>{content.COURSE_SUMMARY}</p>",
            live=False,
        )
    )
    measured = None
    for module_number, module_title, lessons in content.outline():
        module = course.add_child(
            instance=ModulePage(title=module_title, slug=f"module-{module_number}", live=False)
        )
        for number, title in lessons:
            lesson = module.add_child(
                instance=LessonPage(
                    title=title,
                    slug=f"lesson-{module_number}-{number}",
                    body=_body(module_number, number),
                    live=False,
                )
            )
            _publish(lesson)
            if (module_number, number) == (content.MEASURED_MODULE, content.MEASURED_LESSON):
                measured = lesson
        _publish(module)
    _publish(course)
    course.refresh_from_db()
    measured.refresh_from_db()
    learner = get_user_model().objects.create_user("peer-learner", "peer@example.com")
    enrollment_request(user=learner, course=course)
    return Prepared(
        client=signed_in_client(learner),
        learner_pk=learner.pk,
        paths={"trivial": TRIVIAL_PATH, "course": course.url, "lesson": measured.url},
        # The enrolled learner's panel offers to leave; a lesson page for someone not
        # enrolled is a refusal, not a 200.
        markers={"course": "Leave this course", "lesson": measured.title},
    )
