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
from catalog.workflow import CourseContent

from .blocks import LessonBodyBlock


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
        from catalog.models import CoursePage

        return cached_content(
            ("course-of", self.pk),
            DEFAULT_TIMEOUT,
            lambda: CoursePage.objects.ancestor_of(self).select_related("subject").first(),
        )

    @property
    def quiz(self):
        """The lesson's quiz block (a bound block with ``id`` and ``value``), or None.
        Only quiz blocks are converted from the stored JSON, not the whole body."""
        return self.body.first_block_by_name("quiz")

    def get_context(self, request, *args, **kwargs):
        from catalog.selectors import course_outline

        context = super().get_context(request, *args, **kwargs)
        course = self.course
        outline = course_outline(course, request=request)
        module = next((m for m in outline.modules if any(x.id == self.id for x in m.lessons)), None)
        lessons = outline.lessons
        position = next((i for i, lesson in enumerate(lessons) if lesson.id == self.id), None)
        context.update(
            {
                "module": module,
                "course": course,
                "outline": outline,
                "previous_lesson": lessons[position - 1] if position else None,
                "next_lesson": (
                    lessons[position + 1]
                    if position is not None and position + 1 < len(lessons)
                    else None
                ),
                "lesson_number": position + 1 if position is not None else None,
            }
        )
        return context
