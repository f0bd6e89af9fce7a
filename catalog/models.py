"""The course catalog: CatalogPage → CoursePage → ModulePage, and subjects.

These are content pages only. Who is enrolled and how far they got lives in the
learner app, which attaches to these pages from the outside. Who may change a course
(its instructors, as a group with page permissions on it) and how a course is reviewed
as a whole (the "Course review" workflow's task) are content matters and live here.
"""

from django.contrib.auth.models import Group
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.template.response import TemplateResponse
from django.utils.text import slugify

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from base.pages import CachedRestrictionsMixin

from .forms import CoursePageForm
from .workflow import (
    CourseContent,
    CourseNotReady,
    CourseReviewTask,
    CourseReviewWorkflow,
    has_live_lesson,
)

__all__ = [
    "CatalogPage",
    "CoursePage",
    "CourseReviewTask",
    "CourseReviewWorkflow",
    "CourseTeam",
    "ModulePage",
    "Subject",
]


class Subject(index.Indexed, models.Model):
    """A subject area that groups courses in the catalog ("Security", "Data")."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True, blank=True)
    description = models.TextField(blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # A slug is part of the catalog's filter URLs, so every subject needs one.
        if not self.slug:
            self.slug = slugify(self.name)[:80]
        super().save(*args, **kwargs)


class CatalogPage(CachedRestrictionsMixin, Page):
    """The public list of courses, with search, filters and pagination."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["catalog.CoursePage"]
    max_count_per_parent = 1

    #: Courses per catalog page.
    per_page = 12

    # The search form, results and pagination look the same to everyone: the template
    # renders them (``{% catalog_listing %}``) once per query string until content
    # changes, in a fragment cache keyed on the content version (``base.cache``).


class CoursePage(CourseContent, CachedRestrictionsMixin, Page):
    """A course: its overview, settings and, as child pages, its modules in order.

    The enrolment, capacity, sequencing and certificate fields are read by the learner,
    compliance and certificates apps; this page only stores them. Its instructors are
    chosen on its edit form (see ``CoursePageForm``) and kept as a group with page
    permissions on it (``CourseTeam``); they are not content, so not in revisions.
    """

    class Difficulty(models.TextChoices):
        BEGINNER = "beginner", "Beginner"
        INTERMEDIATE = "intermediate", "Intermediate"
        ADVANCED = "advanced", "Advanced"

    class EnrollmentPolicy(models.TextChoices):
        OPEN = "open", "Open: anyone signed in may enrol"
        APPROVAL = "approval", "Approval required: an instructor approves each request"
        CLOSED = "closed", "Closed: no new enrolments"

    summary = models.CharField(max_length=300, help_text="One or two sentences for listings.")
    overview = RichTextField(blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.ForeignKey(
        Subject, null=True, blank=True, on_delete=models.SET_NULL, related_name="courses"
    )
    difficulty = models.CharField(
        max_length=20, choices=Difficulty.choices, default=Difficulty.BEGINNER
    )
    estimated_minutes = models.PositiveIntegerField(
        default=30, validators=[MinValueValidator(1)], help_text="Roughly how long it takes."
    )
    enrollment_policy = models.CharField(
        max_length=20, choices=EnrollmentPolicy.choices, default=EnrollmentPolicy.OPEN
    )
    capacity = models.PositiveIntegerField(
        null=True, blank=True, help_text="Most active learners at once. Blank means unlimited."
    )
    waitlist_enabled = models.BooleanField(
        "Waitlist", default=True, help_text="When full, let learners join a waitlist."
    )
    sequential_lessons = models.BooleanField(
        default=False, help_text="Each lesson opens only after the previous one is complete."
    )
    issues_certificate = models.BooleanField("Issue a certificate", default=True)
    certificate_validity_months = models.PositiveIntegerField(
        null=True, blank=True, help_text="Months a certificate stays valid. Blank: no expiry."
    )
    pass_mark = models.PositiveSmallIntegerField(
        "Default pass mark (%)",
        default=80,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Used by quizzes that do not set their own pass mark.",
    )
    #: Not content: ticked for one publish. What the publishing revision holds is what
    #: counts (``catalog.services.course_published``); the box starts unticked again.
    material_change = models.BooleanField(
        "Material change",
        default=False,
        help_text="Tick when this version changes what learners must know: on publishing, "
        "everyone whose required training was completed on an earlier version must "
        "complete the course again.",
    )
    change_note = models.TextField(
        "What changed",
        blank=True,
        help_text="Sent to the people who must complete the course again.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("overview"),
        FieldPanel("cover_image"),
        FieldRowPanel([FieldPanel("subject"), FieldPanel("difficulty")]),
        FieldPanel("estimated_minutes"),
        FieldPanel(
            "instructors",
            heading="Instructors",
            help_text="Who may edit this course, submit it for review and see its learners. "
            "Leave empty for the course's creator.",
        ),
        MultiFieldPanel(
            [FieldPanel("material_change"), FieldPanel("change_note")],
            heading="Publishing this version",
        ),
    ]
    settings_panels = [
        MultiFieldPanel(
            [
                FieldPanel("enrollment_policy"),
                FieldRowPanel([FieldPanel("capacity"), FieldPanel("waitlist_enabled")]),
                FieldPanel("sequential_lessons"),
            ],
            heading="Enrolment",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("issues_certificate"), FieldPanel("certificate_validity_months")]
                ),
                FieldPanel("pass_mark"),
            ],
            heading="Assessment and certificate",
        ),
        *Page.settings_panels,
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=1.5),
        index.SearchField("overview"),
        index.AutocompleteField("summary"),
        index.RelatedFields("subject", [index.SearchField("name")]),
        index.FilterField("subject"),
        index.FilterField("difficulty"),
    ]

    parent_page_types = ["catalog.CatalogPage"]
    subpage_types = ["catalog.ModulePage"]
    base_form_class = CoursePageForm

    #: The first mode is what the reviewer's preview shows: the whole course, drafts
    #: included, with every lesson's body.
    preview_modes = [("", "Whole course"), ("page", "Course page")]

    def get_context(self, request, *args, **kwargs):
        from .selectors import course_outline, draft_outline  # selectors import these models

        context = super().get_context(request, *args, **kwargs)
        is_preview = getattr(request, "is_preview", False)
        outline = (
            draft_outline(course=self)
            if is_preview
            else course_outline(course=self, request=request)
        )
        context["outline"] = outline
        return context

    def serve_preview(self, request, mode_name):
        if mode_name == "page":
            return super().serve_preview(request, mode_name)
        from .selectors import course_review  # selectors import these models

        request.is_preview = True
        request.preview_mode = mode_name
        context = self.get_context(request)
        context["review"] = course_review(course=self)
        return TemplateResponse(request, "catalog/course_review.html", context)

    def publish(self, revision, *args, **kwargs):
        """Wagtail's publish, refused (``CourseNotReady``) while the course has no
        published lesson: a course without lessons is never live."""
        if not has_live_lesson(self):
            raise CourseNotReady()
        return super().publish(revision, *args, **kwargs)


class CourseTeam(models.Model):
    """A course's instructors: a Django group holding Wagtail's "add" and "change" page
    permissions on the course (see ``catalog.permissions``), kept in step with the
    course's edit form by ``catalog.services.set_course_instructors``."""

    course = models.OneToOneField(CoursePage, on_delete=models.CASCADE, related_name="team")
    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="course_team")

    def __str__(self) -> str:
        return f"Instructors of {self.course}"


class ModulePage(CourseContent, CachedRestrictionsMixin, Page):
    """A module groups a course's lessons; its children are lessons, in tree order."""

    summary = models.CharField(max_length=300, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("summary")]
    search_fields = [*Page.search_fields, index.SearchField("summary")]

    parent_page_types = ["catalog.CoursePage"]
    subpage_types = ["lessons.LessonPage"]
    levels_below_course = 1

    def get_context(self, request, *args, **kwargs):
        from .selectors import course_outline  # selectors import these models

        context = super().get_context(request, *args, **kwargs)
        course = self.get_parent().specific
        context["course"] = course
        context["outline"] = course_outline(course=course, request=request)
        return context
