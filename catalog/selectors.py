"""Reads shared by the catalog pages, the home page and later apps.

Each selector returns what a page needs in a fixed number of queries, whatever the
number of courses, modules or lessons.
"""

import re
from collections import namedtuple
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects

from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from base.cache import cached_content
from base.pages import url_below
from base.prepared import Marker, PreparedQuery

from .models import CatalogPage, CoursePage, Subject
from .workflow import has_live_lesson, will_be_published

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


def course_links(*, ids: Iterable[int], request=None) -> dict[int, CourseLink]:
    """Title and URL of each course in ``ids``, for lists that link to many courses
    (the learner dashboard). Published courses come from one cached map of them all
    (see ``base.cache``); any other (an unpublished course someone is still enrolled
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


def with_card_images(*, courses: Iterable[CoursePage]) -> list[CoursePage]:
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
    return with_card_images(courses=courses[:limit])


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
    page.object_list = with_card_images(courses=page.object_list)

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


def course_outline(*, course: CoursePage, request=None) -> CourseOutline:
    """The live modules and lessons of a course in page-tree order, in one query.

    A lesson under an unpublished module is left out with its module. The result is
    kept on the course instance, so the lesson guard, the page and its template tags
    share it, and in the cache until content changes (see ``catalog.cache``).
    """
    cached = getattr(course, "_outline_cache", None)
    if cached is not None:
        return cached
    key = ("outline", course.pk, request.get_host() if request else "")

    def build() -> CourseOutline:
        outline = _build_outline(course, request)
        outline.html_key = ("outline-html", *key[1:])  # its HTML, cached beside it
        return outline

    course._outline_cache = cached_content(key, OUTLINE_CACHE_SECONDS, build)
    return course._outline_cache


def _assemble_outline(course: CoursePage, pages, *, shown, title, url) -> CourseOutline:
    """Modules and numbered lessons from ``pages`` (the course's two levels below it,
    in tree order); a page not ``shown`` is left out, a module with its lessons."""
    modules: list[OutlineModule] = []
    module_path = None
    number = 0
    for page in pages:
        visible = shown(page)
        if page.depth == course.depth + 1:
            module_path = page.path if visible else None
            if visible:
                modules.append(OutlineModule(id=page.id, title=title(page), url=url(page)))
        elif visible and module_path and page.path.startswith(module_path):
            number += 1
            modules[-1].lessons.append(
                OutlineLesson(id=page.id, title=title(page), url=url(page), number=number)
            )
    return CourseOutline(modules=modules)


def _two_levels_below(course: CoursePage):
    return (
        Page.objects.descendant_of(course)
        .filter(depth__in=[course.depth + 1, course.depth + 2])
        .order_by("path")
    )


_OutlineRow = namedtuple("_OutlineRow", "id path depth title url_path")
#: Compiled once (``base.prepared``): the first reader after a publish pays for this.
_live_two_levels_below = PreparedQuery(
    lambda prefix, modules, lessons: (
        Page.objects.filter(path__startswith=prefix, depth__in=(modules, lessons), live=True)
        .order_by("path")
        .values_list(*_OutlineRow._fields)
    ),
    prefix=Marker.text(),
    modules=Marker.number(),
    lessons=Marker.number(),
)


def _build_outline(course: CoursePage, request=None) -> CourseOutline:
    """The live outline from one query of plain values: no page objects are made, and
    each link is the course's URL and the page's path below it (see
    :func:`base.pages.url_below`), not a ``get_url`` per page, which is what a
    first reader after a publish or a restart pays for."""
    course_url = course.get_url(request=request)
    if course_url is None:  # not routable: each page answers for itself
        return _assemble_outline(
            course,
            _two_levels_below(course).live().only("id", "path", "depth", "title", "url_path"),
            shown=lambda page: True,
            title=lambda page: page.title,
            url=lambda page: page.get_url(request=request),
        )
    rows = _live_two_levels_below(
        prefix=course.path, modules=course.depth + 1, lessons=course.depth + 2
    )
    return _assemble_outline(
        course,
        (_OutlineRow(*row) for row in rows),
        shown=lambda page: True,
        title=lambda page: page.title,
        url=lambda page: url_below(course, course_url, page.url_path),
    )


def draft_outline(*, course: CoursePage) -> CourseOutline:
    """The outline as it will be once the course's drafts are published: every module
    and lesson by its latest title, for previews. Pages taken offline on purpose are
    left out with their lessons; pages not yet live link to their place in the
    whole-course preview."""
    return _assemble_outline(
        course,
        _two_levels_below(course),
        shown=lambda page: page.live or will_be_published(page),
        title=lambda page: page.draft_title,
        url=lambda page: (page.get_url() if page.live else None) or f"#page-{page.pk}",
    )


@dataclass(frozen=True)
class ReviewPage:
    """A module or lesson as the reviewer sees it: its latest content and what
    approving the course does to it."""

    page: Page
    #: "new" (never published), "changed", "published" (no changes) or "offline"
    #: (taken offline on purpose: approving leaves it so).
    status: str
    number: int | None = None

    @property
    def will_publish(self) -> bool:
        return self.status in {"new", "changed"}


@dataclass
class ReviewModule:
    module: ReviewPage
    lessons: list[ReviewPage] = field(default_factory=list)


@dataclass
class CourseReview:
    """Everything the reviewer approves when they approve a course."""

    modules: list[ReviewModule]
    #: Whether the course would have a published lesson once approved.
    can_be_approved: bool

    @property
    def modules_to_publish(self) -> int:
        return sum(1 for module in self.modules if module.module.will_publish)

    @property
    def lessons_to_publish(self) -> int:
        return sum(1 for m in self.modules for lesson in m.lessons if lesson.will_publish)

    @property
    def lesson_count(self) -> int:
        return sum(1 for module in self.modules for lesson in module.lessons)


def _review_status(page: Page) -> str:
    if will_be_published(page):
        return "changed" if page.first_published_at else "new"
    return "published" if page.live else "offline"


def course_review(*, course: CoursePage) -> CourseReview:
    """The course's modules and lessons at their latest revisions, in order, each with
    what approving does to it (for the reviewer's whole-course preview). One query for
    the tree, then one per page for its latest revision: previews only."""
    pages = _two_levels_below(course).specific()
    modules: list[ReviewModule] = []
    module_path = None
    number = 0
    for page in pages:
        latest = page.get_latest_revision_as_object() if page.latest_revision_id else page
        if page.depth == course.depth + 1:
            modules.append(ReviewModule(module=ReviewPage(latest, _review_status(page))))
            module_path = page.path
        elif module_path and page.path.startswith(module_path):
            number += 1
            modules[-1].lessons.append(ReviewPage(latest, _review_status(page), number))
    return CourseReview(modules=modules, can_be_approved=has_live_lesson(course, after_review=True))


def editable_courses(*, user: AbstractBaseUser) -> QuerySet[CoursePage]:
    """The courses ``user`` may edit, and so whose learners, requests, attempts and
    certificates they see: one lazy queryset (usable as a subquery) that every
    instructor-facing listing filters through.

    Every course for a superuser; otherwise the courses at or below a page where one of
    the user's groups has Wagtail's "change" page permission: a course's own group for
    its instructors, the catalog for reviewers. The same rule as
    ``course.permissions_for_user(user).can_edit()`` (``catalog.permissions``); edit
    access lent by a workflow task in progress is not counted.
    """
    if not user.is_authenticated or not user.is_active:
        return CoursePage.objects.none()
    if user.is_superuser:
        return CoursePage.objects.all()
    paths = [
        perm.page.path
        for perm in PagePermissionPolicy().get_cached_permissions_for_user(user)
        if perm.permission.codename == "change_page"
    ]
    if not paths:
        return CoursePage.objects.none()
    within = Q()
    for path in paths:
        within |= Q(path__startswith=path)
    return CoursePage.objects.filter(within)


def course_instructors(*, course: CoursePage) -> QuerySet:
    """The course's instructors, by name."""
    return (
        get_user_model()
        .objects.filter(groups__course_team__course=course)
        .order_by("first_name", "last_name", "username")
    )


def courses_within(*, pages) -> QuerySet[CoursePage]:
    """The courses among ``pages`` and under them (deleting a page deletes these)."""
    within = Q(pk__in=[])
    for page in pages:
        within |= Q(path__startswith=page.path)
    return CoursePage.objects.filter(within)
