"""Reads shared by the catalog pages, the home page and later apps.

Each selector returns what a page needs in a fixed number of queries, whatever the
number of courses, modules or lessons.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects

from wagtail.images import get_image_model
from wagtail.models import Page

from home.cache import cached_content

from .models import CatalogPage, CoursePage, Subject

#: The rendition filter used for course cards; prefetched so cards cost no queries.
CARD_IMAGE_FILTER = "fill-640x360"
#: Outlines change only when pages are published, which replaces them; this bounds the
#: life of one nobody asks for.
OUTLINE_CACHE_SECONDS = 24 * 3600
_UNSEARCHABLE = re.compile(r'["\x00-\x1f\x7f]')
#: The longest search query the catalog accepts; longer input is cut, not refused.
MAX_QUERY_LENGTH = 100


@dataclass(frozen=True)
class OutlineLesson:
    """A lesson as the outline shows it."""

    id: int
    title: str
    url: str
    number: int


@dataclass
class OutlineModule:
    """A module and its live lessons, in page-tree order."""

    id: int
    title: str
    url: str
    lessons: list[OutlineLesson] = field(default_factory=list)


@dataclass
class CourseOutline:
    """A course's modules and lessons in order, and the flat lesson sequence."""

    modules: list[OutlineModule]

    @property
    def lessons(self) -> list[OutlineLesson]:
        return [lesson for module in self.modules for lesson in module.lessons]

    @property
    def lesson_count(self) -> int:
        return len(self.lessons)


@dataclass(frozen=True)
class CourseLink:
    """What a link to a course needs: its title and URL."""

    title: str
    url: str


def course_links(ids: Iterable[int], request=None) -> dict[int, CourseLink]:
    """Title and URL of each course in ``ids``, for lists that link to many courses
    (the learner dashboard). Published courses come from one cached map of them all
    (see ``home.cache``); any other (an unpublished course someone is still enrolled
    in) is looked up."""
    host = request.get_host() if request else ""

    def build() -> dict[int, CourseLink]:
        return {
            course.pk: CourseLink(course.title, course.get_url(request=request) or "")
            for course in CoursePage.objects.live().defer("overview")
        }

    links = cached_content(("course-links", host), OUTLINE_CACHE_SECONDS, build)
    wanted = set(ids)
    found = {pk: links[pk] for pk in wanted if pk in links}
    missing = wanted - found.keys()
    if missing:
        for course in CoursePage.objects.filter(pk__in=missing).defer("overview"):
            found[course.pk] = CourseLink(course.title, course.get_url(request=request) or "")
    return found


def first_catalog() -> CatalogPage | None:
    """The site's catalog page (the first live one), for links from other pages."""
    return CatalogPage.objects.live().order_by("path").first()


def with_card_images(courses: Iterable[CoursePage]) -> list[CoursePage]:
    """Attach cover images and their card renditions to courses in two queries."""
    courses = list(courses)
    image_queryset = get_image_model().objects.prefetch_renditions(CARD_IMAGE_FILTER)
    prefetch_related_objects(courses, Prefetch("cover_image", queryset=image_queryset))
    return courses


def featured_courses(*, chosen_ids: list[int], limit: int) -> list[CoursePage]:
    """Courses for the home page: those chosen by an editor, in their order, or else
    the most recently published ones."""
    base = CoursePage.objects.live().public().select_related("subject")
    if chosen_ids:
        by_id = {course.id: course for course in base.filter(id__in=chosen_ids)}
        courses = [by_id[pk] for pk in chosen_ids if pk in by_id]
    else:
        courses = list(base.order_by("-first_published_at")[:limit])
    return with_card_images(courses[:limit])


def catalog_listing(
    *, catalog: CatalogPage, params: Mapping[str, str], per_page: int
) -> dict[str, object]:
    """Published courses of a catalog, searched, filtered and paginated.

    ``params`` is the request's query string: ``q`` (search words), ``subject`` (a
    subject slug), ``difficulty`` and ``page``. Unknown filter values are ignored and
    an out-of-range page shows the last page, so no query string can cause an error.
    """
    courses = CoursePage.objects.live().public().child_of(catalog).select_related("subject")
    subjects = list(Subject.objects.filter(courses__in=courses).distinct().order_by("name"))

    # Quotes and control characters are search syntax or nothing a title contains; the
    # database backends fail on an unbalanced quote or a NUL byte, so they become spaces.
    query = " ".join(_UNSEARCHABLE.sub(" ", params.get("q") or "").split())[:MAX_QUERY_LENGTH]
    subject = next((s for s in subjects if s.slug == params.get("subject")), None)
    difficulty = params.get("difficulty")
    if difficulty not in CoursePage.Difficulty.values:
        difficulty = None

    if subject:
        courses = courses.filter(subject=subject)
    if difficulty:
        courses = courses.filter(difficulty=difficulty)
    results = courses.search(query) if query else courses.order_by("title")

    page: PaginatorPage = Paginator(results, per_page).get_page(params.get("page"))
    page.object_list = with_card_images(page.object_list)

    filters = {"q": query, "subject": subject.slug if subject else "", "difficulty": difficulty}
    return {
        "courses": page,
        "query": query,
        "subjects": subjects,
        "difficulties": CoursePage.Difficulty.choices,
        "selected_subject": subject,
        "selected_difficulty": difficulty or "",
        "filter_querystring": urlencode({k: v for k, v in filters.items() if v}),
        "is_filtered": bool(query or subject or difficulty),
    }


def course_outline(course: CoursePage, request=None) -> CourseOutline:
    """The live modules and lessons of a course in page-tree order, in one query.

    A lesson under an unpublished module is left out with its module. The result is
    kept on the course instance, so the lesson guard, the page and its template tags
    share it, and in the cache until content changes (see ``catalog.cache``).
    """
    cached = getattr(course, "_outline_cache", None)
    if cached is not None:
        return cached
    course._outline_cache = cached_content(
        ("outline", course.pk, request.get_host() if request else ""),
        OUTLINE_CACHE_SECONDS,
        lambda: _build_outline(course, request),
    )
    return course._outline_cache


def _build_outline(course: CoursePage, request=None) -> CourseOutline:
    pages = (
        Page.objects.live()
        .descendant_of(course)
        .filter(depth__in=[course.depth + 1, course.depth + 2])
        .order_by("path")
    )
    modules: list[OutlineModule] = []
    module_path = None
    number = 0
    for page in pages:
        url = page.get_url(request=request)
        if page.depth == course.depth + 1:
            modules.append(OutlineModule(id=page.id, title=page.title, url=url))
            module_path = page.path
        elif module_path and page.path.startswith(module_path):
            number += 1
            modules[-1].lessons.append(
                OutlineLesson(id=page.id, title=page.title, url=url, number=number)
            )
    return CourseOutline(modules=modules)
