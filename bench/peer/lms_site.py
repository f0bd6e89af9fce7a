"""The wagtail-lms side (run in ``bench/.peer-venv``, after Django is set up on
:mod:`bench.peer.lms_project.settings`): migrate, collect the static files, build the
course and sign the enrolled learner in.

wagtail-lms has no modules: an ``H5PLessonPage`` must be a child of its ``CoursePage``
(its access check reads the parent as the course), so the 50 lessons are the course's
children in module order, titled as in Fledge. Each lesson's body is the same three
rich-text paragraph blocks as Fledge's; no H5P activity (they need uploaded packages).
"""

import json
import uuid

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from wagtail.models import Site

from wagtail_lms.models import CourseEnrollment, CoursePage, H5PLessonPage

from . import content
from .lms_project.urls import TRIVIAL_PATH
from .sites import Prepared


def _body(module: int, lesson: int) -> str:
    return json.dumps(
        [
            {"type": "paragraph", "value": html, "id": str(uuid.uuid4())}
            for html in content.lesson_paragraphs(module, lesson)
        ]
    )


def prepare() -> Prepared:
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    home = Site.objects.get(is_default_site=True).root_page
    course = home.add_child(
        instance=CoursePage(
            title=content.COURSE_TITLE,
            slug="course",
            description=f"<p>{content.COURSE_SUMMARY}</p>",
        )
    )
    course.save_revision().publish()
    measured = None
    for module, _module_title, lessons in content.outline():
        for number, title in lessons:
            lesson = course.add_child(
                instance=H5PLessonPage(
                    title=title, slug=f"lesson-{module}-{number}", body=_body(module, number)
                )
            )
            lesson.save_revision().publish()
            if (module, number) == (content.MEASURED_MODULE, content.MEASURED_LESSON):
                measured = lesson
    learner = get_user_model().objects.create_user("peer-learner", "peer@example.com")
    CourseEnrollment.objects.create(user=learner, course=course)
    client = Client()
    client.force_login(learner)
    return Prepared(
        client=client,
        learner_pk=learner.pk,
        paths={"trivial": TRIVIAL_PATH, "course": course.url, "lesson": measured.url},
        # The enrolled learner's course page says so; a lesson page for someone not
        # enrolled is a redirect to the course.
        markers={"course": "Enrolled:", "lesson": content.lesson_title(3, 5)},
    )
