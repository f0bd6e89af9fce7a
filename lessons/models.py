"""Lesson pages: the units a learner reads, watches and is quizzed on."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.functional import cached_property

from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from base.cache import DEFAULT_TIMEOUT, cached_content
from base.pages import CachedRestrictionsMixin
from base.prepared import Marker, PreparedQuery
from catalog.models import CoursePage
from catalog.selectors import course_outline
from catalog.workflow import CourseContent

from .blocks import LessonBodyBlock
from .navigation import lesson_navigation

#: Compiled once (``base.prepared``): a lesson's course, by its path.
_course_at = PreparedQuery(
    lambda path: CoursePage.objects.select_related("subject").filter(path=path).order_by(),
    path=Marker.text(),
)


class LessonPage(CourseContent, CachedRestrictionsMixin, Page):
    """A lesson in a module. Its body is a StreamField of text, media and at most one
    quiz; passing the quiz (or marking the lesson complete when there is none)
    completes it for the learner."""

    summary = models.CharField(max_length=300, blank=True)
    estimated_minutes = models.PositiveIntegerField(default=10, validators=[MinValueValidator(1)])
    body = StreamField(LessonBodyBlock())

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("estimated_minutes"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]

    parent_page_types = ["catalog.ModulePage"]
    subpage_types: list[str] = []
    levels_below_course = 2

    @cached_property
    def course(self):
        """The course this lesson belongs to: from the content cache (see ``base.cache``),
        else one query; then kept on the instance."""
        return cached_content(("course-of", self.pk), DEFAULT_TIMEOUT, self._read_course)

    def _read_course(self):
        # At its known place (``course_path``): one lookup by path, not a search of the
        # ancestors.
        found = _course_at(path=self.course_path)
        return found[0] if found else None

    @property
    def quiz(self):
        """The lesson's quiz block (a bound block with ``id`` and ``value``), or None.
        Only quiz blocks are converted from the stored JSON, not the whole body."""
        return self.body.first_block_by_name("quiz")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        outline = course_outline(course=self.course, request=request)
        navigation = lesson_navigation(outline=outline, lesson_id=self.id)
        context.update(
            {
                "module": navigation.module,
                "course": self.course,
                "outline": outline,
                "previous_lesson": navigation.previous,
                "next_lesson": navigation.next,
                "lesson_number": navigation.number,
            }
        )
        return context
