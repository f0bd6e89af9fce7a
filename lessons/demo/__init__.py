"""Demo courses (catalog, courses, modules and lessons), loaded by ``manage.py load_demo``.

Builds, under the catalog page the migrations created: the subjects, three published
courses with modules, lessons and quizzes (:mod:`.courses`, with the security course's
text in :mod:`.security_threats` and :mod:`.security_protection`), and one draft course
by the instructor, submitted to the "Course review" workflow. Then it features the
published courses on the home page and brands the default site.

Each course's instructor (``CourseSpec.instructor``: two demo instructors, who cannot
see each other's courses' learners) writes it and the reviewer publishes it, so the
page history reads as it would on a real site; the admin publishes the home page. The users come
from the accounts demo, which runs first.
Everything is looked up by slug or title and updated in place, so running the demo
again changes nothing unless the demo content itself changed.
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

from accounts.demo import demo_user
from catalog.models import CatalogPage

from .courses import DRAFT_COURSE, PUBLISHED_COURSES, SUBJECTS
from .pages import build_course, ensure_subjects, submit_for_review
from .site import brand_default_site, feature_courses


def load(*, log: Callable[[str], None]) -> None:
    """Create or update the demo catalog, logging one line per course and step."""
    catalog = CatalogPage.objects.order_by("path").first()
    if catalog is None:
        raise ImproperlyConfigured("There is no catalog page: run `manage.py migrate` first.")
    reviewer = demo_user("reviewer")
    # The home page is outside the reviewers' part of the tree: the admin publishes it.
    admin = demo_user("admin")

    subjects = ensure_subjects(SUBJECTS, log=log)
    published = []
    for spec in PUBLISHED_COURSES:
        course, tally = build_course(
            catalog, spec, subjects=subjects, owner=demo_user(spec.instructor), publisher=reviewer
        )
        published.append(course)
        log(f"Course “{course.title}” (published): {len(tally.pages)} pages; {tally}")

    instructor = demo_user(DRAFT_COURSE.instructor)
    draft, tally = build_course(
        catalog, DRAFT_COURSE, subjects=subjects, owner=instructor, publisher=None, live=False
    )
    log(f"Course “{draft.title}” (draft): {len(tally.pages)} pages; {tally}")
    log(f"Course “{draft.title}”: {submit_for_review(draft, user=instructor)}")

    log(feature_courses(catalog, published, publisher=admin))
    log(brand_default_site())
