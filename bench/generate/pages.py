"""Courses, modules and lessons: a published page tree under the catalog, written in
bulk (tree paths from treebeard's ``_get_path``, page rows with ``bulk_create``, subclass
rows with :func:`~bench.generate.database.insert_rows`, revisions and live-revision
links in bulk)."""

import random
import uuid
from dataclasses import dataclass
from datetime import datetime
from unittest import mock

from .. import common
from .content import SUBJECTS, TOPICS, graded_attempts, lesson_body, paragraph
from .database import batched, insert_rows
from .sizes import LESSONS_PER_MODULE, MODULES, SEQUENTIAL_EVERY, Sizes


@dataclass
class Course:
    index: int
    page_id: int
    title: str
    sequential: bool
    validity_months: int | None
    lesson_ids: list[int]
    quiz_lessons: dict[int, dict]  # lesson id → graded passing/failing attempts


def create_pages(sizes: Sizes, rng: random.Random, owner_id: int, now: datetime) -> list[Course]:
    """Courses → modules → lessons under the catalog, published, in few queries."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import F

    from wagtail.models import Page, Revision
    from wagtail.search import index as search_index

    from catalog.models import CatalogPage, CoursePage, ModulePage, Subject
    from learner.grading import grade
    from lessons import blocks as lesson_blocks
    from lessons.models import LessonPage

    catalog = CatalogPage.objects.order_by("path").first()
    if catalog is None:
        raise SystemExit("The migrations made no catalog page; is this a Fledge database?")
    subjects = Subject.objects.bulk_create(
        [Subject(name=name, slug=name.lower()) for name in SUBJECTS]
    )
    page_type = ContentType.objects.get_for_model(Page)

    def seeded_uuid() -> uuid.UUID:
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    def base_fields(page, parent_path: str, parent_depth: int, parent_url: str, step: int):
        page.path = Page._get_path(parent_path, parent_depth + 1, step)
        page.depth = parent_depth + 1
        page.url_path = f"{parent_url}{page.slug}/"
        page.draft_title = page.title
        page.locale_id = catalog.locale_id
        page.translation_key = seeded_uuid()
        page.owner_id = owner_id
        page.live = True
        page.has_unpublished_changes = False
        page.first_published_at = page.last_published_at = now
        page.latest_revision_created_at = now
        return page

    courses, modules, lessons = [], [], []
    course_specs = []
    # Stream block ids come from the seeded generator, so every run stores the same ids.
    with mock.patch.object(lesson_blocks.uuid, "uuid4", seeded_uuid):
        for index in range(sizes.courses):
            topic = TOPICS[index % len(TOPICS)]
            title = f"{topic} {index + 1:02d}"
            course = CoursePage(
                title=title,
                slug=f"bench-course-{index + 1:02d}",
                summary=f"What everyone needs to know about {topic.lower()}.",
                overview=paragraph(rng, 6),
                subject=subjects[index % len(subjects)],
                difficulty=["beginner", "intermediate", "advanced"][index % 3],
                estimated_minutes=MODULES * LESSONS_PER_MODULE * 10,
                sequential_lessons=index % SEQUENTIAL_EVERY == SEQUENTIAL_EVERY - 1,
                certificate_validity_months=12 if index % 3 == 0 else None,
                numchild=MODULES,
            )
            base_fields(course, catalog.path, catalog.depth, catalog.url_path, index + 1)
            courses.append(course)
            spec = Course(
                index=index,
                page_id=0,
                title=title,
                sequential=course.sequential_lessons,
                validity_months=course.certificate_validity_months,
                lesson_ids=[],
                quiz_lessons={},
            )
            course_specs.append((spec, course, []))
            for module_number in range(1, MODULES + 1):
                module = ModulePage(
                    title=f"Module {module_number}",
                    slug=f"module-{module_number}",
                    summary=f"Part {module_number} of {title}.",
                    numchild=LESSONS_PER_MODULE,
                )
                base_fields(module, course.path, course.depth, course.url_path, module_number)
                modules.append(module)
                for lesson_number in range(1, LESSONS_PER_MODULE + 1):
                    number = (module_number - 1) * LESSONS_PER_MODULE + lesson_number
                    with_quiz = lesson_number == LESSONS_PER_MODULE
                    raw = lesson_blocks.stamp_ids(
                        LessonPage.body.field.stream_block,
                        lesson_body(rng, topic, number, with_quiz),
                    )
                    lesson = LessonPage(
                        title=f"Lesson {number}: {topic} {'quiz' if with_quiz else 'basics'}",
                        slug=f"lesson-{lesson_number}",
                        summary=f"Lesson {number} of {title}.",
                        estimated_minutes=10,
                        body=raw,
                        numchild=0,
                    )
                    base_fields(lesson, module.path, module.depth, module.url_path, lesson_number)
                    lessons.append(lesson)
                    course_specs[-1][2].append(lesson)

    # One lesson's body must pass the block validation the admin applies.
    quiz_lesson = next(lesson for lesson in lessons if lesson.quiz is not None)
    LessonPage.body.field.stream_block.clean(quiz_lesson.body)

    page_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
    all_pages = courses + modules + lessons
    progress = common.Progress("pages", len(all_pages) * 2)
    for batch in batched(all_pages, 500):
        bases = [
            Page(**{f.attname: getattr(page, f.attname) for f in page_fields}) for page in batch
        ]
        Page.objects.bulk_create(bases)
        for page, base in zip(batch, bases, strict=True):
            page.id = page.page_ptr_id = base.pk
        progress.update(len(batch))
    for model, pages in ((CoursePage, courses), (ModulePage, modules), (LessonPage, lessons)):
        names = [f.name for f in model._meta.local_concrete_fields]
        insert_rows(
            model,
            names,
            ([getattr(page, model._meta.get_field(n).attname) for n in names] for page in pages),
            progress=progress,
            batch=250,
        )
    progress.close()

    revisions = [
        Revision(
            content_type_id=page.content_type_id,
            base_content_type_id=page_type.pk,
            object_id=str(page.pk),
            created_at=now,
            user_id=owner_id,
            object_str=page.title,
            content=page.serializable_data(),
        )
        for page in all_pages
    ]
    Revision.objects.bulk_create(revisions, batch_size=250)
    bases = []
    for page, revision in zip(all_pages, revisions, strict=True):
        bases.append(Page(id=page.pk, live_revision_id=revision.pk, latest_revision_id=revision.pk))
    Page.objects.bulk_update(bases, ["live_revision", "latest_revision"], batch_size=500)
    Page.objects.filter(pk=catalog.pk).update(numchild=F("numchild") + len(courses))

    for course in courses:  # the catalog's search finds courses (lessons are not indexed)
        search_index.insert_or_update_object(course)

    result = []
    for spec, course, course_lessons in course_specs:
        spec.page_id = course.pk
        spec.lesson_ids = [lesson.pk for lesson in course_lessons]
        for lesson in course_lessons:
            quiz = lesson.quiz
            if quiz is not None:
                spec.quiz_lessons[lesson.pk] = graded_attempts(quiz, grade)
        result.append(spec)
    return result
