"""Template tags for linking to the catalog from any page, and the home page's courses
(the home app sits below the catalog, so its template asks the catalog for them)."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from wagtail.models import Page

from base.cache import DEFAULT_TIMEOUT, cached_content
from base.prepared import PreparedQuery
from catalog.models import CatalogPage, CoursePage
from catalog.selectors import OUTLINE_CACHE_SECONDS, CourseOutline, featured_courses, first_catalog
from catalog.selectors import catalog_listing as listing_for

register = template.Library()


@register.simple_tag
def site_catalog() -> CatalogPage | None:
    """The site's catalog page (the first live one), or None before there is one."""
    return first_catalog()


@register.simple_tag
def home_featured_courses(page) -> list[CoursePage]:
    """The home page's courses: those its editors chose, in their order, or else the
    most recently published ones, at most ``page.featured_limit``."""
    chosen = [item.course_id for item in page.featured_courses.all()]
    return featured_courses(chosen_ids=chosen, limit=page.featured_limit)


#: Compiled once (``base.prepared``).
_first_catalog = PreparedQuery(
    lambda: CatalogPage.objects.live().order_by("path").values_list("path", "url_path", "title")[:1]
)


def _catalog_link(request) -> tuple[str, str, str] | None:
    """(path, URL, title) of the site's catalog page, cached with the content."""

    def build() -> tuple[str, str, str] | None:
        # Plain values and a bare Page for its URL: every page's header asks for this,
        # and the first request after a change pays for it.
        found = _first_catalog()
        if not found:
            return None
        path, url_path, title = found[0]
        return path, Page(path=path, url_path=url_path).get_url(request=request), title

    host = request.get_host() if request else ""
    return cached_content(("catalog-link", host), DEFAULT_TIMEOUT, build)


@register.simple_tag(takes_context=True)
def catalog_url(context) -> str:
    """The URL of the site's catalog page, or the home page when there is none yet."""
    link = _catalog_link(context.get("request"))
    return link[1] if link else "/"


@register.simple_tag(takes_context=True)
def parent_link(context, page) -> tuple[str, str]:
    """(URL, title) of ``page``'s parent, for a breadcrumb. A course's parent is almost
    always the catalog the header links to, which is then not read a second time."""
    request = context.get("request")
    catalog = _catalog_link(request)
    if catalog and catalog[0] == page.path[: -Page.steplen]:
        return catalog[1], catalog[2]

    def build() -> tuple[str, str]:
        parent = page.get_parent()
        return parent.get_url(request=request) or "", parent.title

    host = request.get_host() if request else ""
    return cached_content(("parent-link", page.pk, host), DEFAULT_TIMEOUT, build)


@register.inclusion_tag("catalog/includes/catalog_listing.html", takes_context=True)
def catalog_listing(context, page: CatalogPage) -> dict:
    """The catalog's search form, results for the query string, and pagination."""
    request = context["request"]
    listing = listing_for(catalog=page, params=request.GET, per_page=page.per_page)
    return {**listing, "page": page, "request": request}


_MARKER = re.compile(r"<!--([cad]):(\d+)-->")
_COMPLETED_TEXT = '<span class="visually-hidden"> (completed)</span>'


def outline_html(outline: CourseOutline) -> str:
    """The outline's HTML with the markers :func:`course_outline` fills in per reader:
    ``<!--c:ID-->`` the lesson's state classes, ``<!--a:ID-->`` ``aria-current`` on the
    lesson being read, ``<!--d:ID-->`` "(completed)" for screen readers. Titles are
    escaped, so a title cannot make a marker.

    Built in Python rather than a template: it is rendered on the first request after a
    publish or a restart, where a template loop over 50 lessons cost about 2 ms of a
    lesson page's cold time and this costs about 0.1 ms."""
    parts = ['<nav class="outline" aria-label="Course outline"><ol class="outline__modules">']
    for module in outline.modules:
        parts.append(
            f'<li class="outline__module"><h3 class="outline__module-title">'
            f"{escape(module.title)}</h3>"
        )
        if not module.lessons:
            parts.append('<p class="muted">No lessons yet.</p></li>')
            continue
        parts.append('<ol class="outline__lessons">')
        for lesson in module.lessons:
            pk = int(lesson.id)
            parts.append(
                f'<li class="outline__lesson<!--c:{pk}-->" data-lesson-id="{pk}">'
                f'<a href="{escape(lesson.url)}"<!--a:{pk}-->>'
                f'<span class="outline__number">{int(lesson.number)}.</span> '
                f"{escape(lesson.title)}<!--d:{pk}--></a></li>"
            )
        parts.append("</ol></li>")
    if not outline.modules:
        parts.append('<li class="muted">This course has no modules yet.</li>')
    parts.append("</ol></nav>")
    return "".join(parts)


@register.simple_tag
def course_outline(outline: CourseOutline, completed_ids=None, current_id=None) -> SafeString:
    """A course's outline with the reader's ticks and the lesson being read.

    The HTML of the 50 links is the same for every reader of a course version, so it is
    rendered once, cached with the outline (its ``html_key``), and each request only
    fills in the markers the template leaves: a few string replacements instead of a
    template loop of 50 lessons. A draft outline (a preview) has no key and is rendered
    each time."""
    key = getattr(outline, "html_key", None)

    if key:
        html = cached_content(key, OUTLINE_CACHE_SECONDS, lambda: outline_html(outline))
    else:
        html = outline_html(outline)
    completed = set(completed_ids or ())

    def fill(match: re.Match) -> str:
        kind, lesson_id = match.group(1), int(match.group(2))
        if kind == "c":
            current = " is-current" if lesson_id == current_id else ""
            return current + (" is-complete" if lesson_id in completed else "")
        if kind == "a":
            return ' aria-current="page"' if lesson_id == current_id else ""
        return _COMPLETED_TEXT if lesson_id in completed else ""

    return mark_safe(_MARKER.sub(fill, html))  # noqa: S308 - our template's own output
