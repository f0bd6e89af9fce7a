"""Generate the organisation-scale benchmark data: ``make bench-data``
(``python -m bench.generate [--postgres] [--scale 0.01] [--reset]``).

At ``--scale 1`` it builds, from a fixed seed (the same rows every time):

- 10,000 learners in 20 groups (teams of 20 under a manager), a superuser
  ``bench-admin`` and the learner ``bench-learner`` (20 enrolments, 10 assignments),
  all signing in with the password in :data:`bench.common.PASSWORD`;
- 50 published courses, each 5 modules × 10 lessons: 2,800 real Wagtail pages with a
  live revision. The last lesson of each module has a 10-question quiz built from the
  blocks of :mod:`lessons.blocks`; other lessons mix headings, text, callouts, code and
  video blocks;
- 40,000 enrolments with their lesson progress (about 1.5 million rows) and quiz
  attempts graded by :func:`learner.grading.grade`;
- 20 relative-date training requirements whose audiences produce 200,000 assignments,
  in every status (compliant, renewal due, expired, overdue, due soon, in progress, not
  started, exempt), built with :mod:`compliance.scheduling` so that the sync finds
  nothing to change;
- 20,000 certificates (rows only, no PDFs) and yesterday's reminders, queued by the
  real :func:`compliance.notifications.queue_reminders` and marked sent, as a site that
  runs its daily job would have them.

Course sizes (5 × 10 lessons, 10 questions) and the 20 groups and requirements stay
fixed; ``--scale`` multiplies the number of people, enrolments, assignments and
certificates (and courses, never fewer than 20).

Speed: pages are not added one by one through treebeard (``add_child`` costs a few
queries per page and a page lock). The tree paths are computed here (treebeard's own
``_get_path``), the page rows inserted with ``bulk_create``, the subclass rows with one
multi-row INSERT per batch, revisions with ``bulk_create`` and the live revision links
with ``bulk_update``; ``manage.py fixtree`` is run at the end and must be clean. Other
large tables are written with ``executemany`` of prepared rows.

The database is :func:`bench.common.database_url`: never the developer's. It is created
(PostgreSQL) and migrated when missing. A database that already has the data is left
alone, so running the command twice is harmless; ``--reset`` drops it and builds anew.
"""

import argparse
import base64
import itertools
import random
import sys
import time
import uuid
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from unittest import mock
from urllib.parse import urlsplit, urlunsplit

from . import common

SEED = 20_261_031

#: Sizes at --scale 1.
USERS = 10_000
ENROLMENTS = 40_000
ASSIGNMENTS = 200_000
CERTIFICATES = 20_000
COURSES = 50
#: Fixed whatever the scale.
GROUPS = 20
REQUIREMENTS = 20
MODULES = 5
LESSONS_PER_MODULE = 10
QUESTIONS = 10
TEAM_SIZE = 20
#: Groups left out of each requirement's audience (so each reaches 17 of 20 groups).
GROUPS_LEFT_OUT = 3
#: Courses with sequential lessons (every tenth); the load test avoids them.
SEQUENTIAL_EVERY = 10
#: The course in which bench-learner's lesson page is measured (not a requirement's).
LEARNER_LESSON_COURSE = REQUIREMENTS

#: Statuses of people with a single cycle, and their weights.
ONE_CYCLE_WEIGHTS = {
    "compliant": 36,
    "overdue": 15,
    "due_soon": 8,
    "in_progress": 10,
    "not_started": 25,
    "exempt": 6,
}
#: bench-learner's ten requirements (0-9), one cycle each.
LEARNER_STATUSES = [
    "compliant",
    "compliant",
    "overdue",
    "due_soon",
    "in_progress",
    "in_progress",
    "not_started",
    "exempt",
    "overdue",
    "compliant",
]

FIRST_NAMES = [
    "Ada",
    "Ben",
    "Chloé",
    "Dev",
    "Elif",
    "Femi",
    "Grace",
    "Hugo",
    "Ines",
    "Jonas",
    "Kiri",
    "Lena",
    "Malik",
    "Nadia",
    "Oscar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sami",
    "Tomasz",
    "Uma",
    "Victor",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zoë",
    "Anya",
    "Bruno",
    "Carmen",
    "Dmitri",
]
LAST_NAMES = [
    "Abara",
    "Berg",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "García",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Lind",
    "Mensah",
    "Novak",
    "Okafor",
    "Patel",
    "Quispe",
    "Rossi",
    "Sato",
    "Tanaka",
    "Úlfsson",
    "Varga",
    "Walsh",
    "Xu",
    "Yilmaz",
    "Zhang",
    "Ahmed",
    "Byrne",
    "Chen",
    "Duarte",
]
TOPICS = [
    "Security Awareness",
    "Data Protection",
    "Fire Safety",
    "Health and Safety at Work",
    "Anti-Bribery",
    "Equality and Inclusion",
    "Safeguarding",
    "Information Handling",
    "Manual Handling",
    "First Aid",
    "Workplace Ethics",
    "Cyber Hygiene",
    "Records Management",
    "Conflict of Interest",
    "Lone Working",
    "Display Screen Equipment",
    "Modern Slavery Awareness",
    "Accessibility Basics",
    "Incident Reporting",
    "Export Controls",
    "Project Management",
    "Writing for the Web",
    "Spreadsheet Skills",
    "Effective Meetings",
    "Giving Feedback",
]
SUBJECTS = ["Compliance", "Security", "Wellbeing", "Skills", "Leadership"]


@dataclass(frozen=True)
class Sizes:
    users: int
    courses: int
    enrolments: int
    assignments: int
    certificates: int

    @classmethod
    def for_scale(cls, scale: float) -> "Sizes":
        return cls(
            users=max(GROUPS * 5, round(USERS * scale)),
            courses=max(REQUIREMENTS + 15, round(COURSES * scale)),
            enrolments=max(100, round(ENROLMENTS * scale)),
            assignments=max(GROUPS * 5, round(ASSIGNMENTS * scale)),
            certificates=max(20, round(CERTIFICATES * scale)),
        )


@dataclass
class Report:
    """Steps, their times and what each built."""

    steps: list[tuple[str, float, str]] = field(default_factory=list)

    @contextmanager
    def step(self, name: str):
        started = time.perf_counter()
        note: list[str] = []
        common.log(f"== {name}")
        yield note
        seconds = time.perf_counter() - started
        self.steps.append((name, seconds, "; ".join(note)))
        common.log(f"   {name}: {seconds:.1f}s {'; '.join(note)}")


def batched(iterable, size: int):
    iterator = iter(iterable)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


# --- Database ------------------------------------------------------------------------


def prepare_database(url: str, *, reset: bool) -> None:
    """Create the PostgreSQL database when missing (drop it first with ``reset``);
    delete the SQLite file with ``reset``."""
    if not common.is_postgres(url):
        path = common.sqlite_path(url)
        if reset:
            for suffix in ("", "-wal", "-shm", "-journal"):
                path.with_name(path.name + suffix).unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists and reset:
            connection.execute(
                sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name))
            )
            exists = None
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def insert_rows(
    model,
    names: list[str],
    rows,
    *,
    total: int = 0,
    label: str = "",
    batch: int = 5000,
    progress: common.Progress | None = None,
) -> int:
    """Write ``rows`` (tuples in ``names`` order), prepared the way the model's fields
    prepare dates, times, decimals, UUIDs and JSON: with ``COPY … FROM STDIN`` on
    PostgreSQL (several times faster than INSERTs), else ``executemany`` in batches."""
    from django.db import connection

    fields = [model._meta.get_field(name) for name in names]
    plain = {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "ForeignKey",
        "IntegerField",
        "OneToOneField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SlugField",
        "SmallIntegerField",
        "TextField",
    }
    preparers = [None if f.get_internal_type() in plain else f for f in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    # Identifiers come from the model's metadata; every value is a query parameter.
    table = quote(model._meta.db_table)
    statement = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
    own_progress = progress is None
    progress = progress or common.Progress(label, total)
    count = 0
    copy = f"COPY {table} ({columns}) FROM STDIN"
    with connection.cursor() as cursor:
        for chunk in batched(rows, batch):
            params = [
                tuple(
                    value if prep is None else prep.get_db_prep_save(value, connection)
                    for value, prep in zip(row, preparers, strict=True)
                )
                for row in chunk
            ]
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(copy) as writer:  # psycopg's own cursor
                    for row in params:
                        writer.write_row(row)
            else:
                cursor.executemany(statement, params)
            progress.update(len(chunk))
            count += len(chunk)
    if own_progress:
        progress.close()
    return count


# --- People --------------------------------------------------------------------------


@dataclass
class People:
    admin_id: int
    learner_id: int
    group_ids: list[int]
    members: dict[int, list[int]]  # group index → user ids
    names: dict[int, tuple[str, str]]
    managers: int


def create_people(sizes: Sizes, rng: random.Random, today: date) -> People:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from accounts.models import Profile

    user_model = get_user_model()
    password = make_password(common.PASSWORD)  # hashed once, shared by every account
    joined = timezone.make_aware(datetime.combine(today - timedelta(days=800), clock(9)))
    users = [
        user_model(
            username=common.ADMIN,
            first_name="Bench",
            last_name="Admin",
            email="bench-admin@bench.example.org",
            password=password,
            is_staff=True,
            is_superuser=True,
            date_joined=joined,
        ),
        user_model(
            username=common.LEARNER,
            first_name="Lena",
            last_name="Learner",
            email="bench-learner@bench.example.org",
            password=password,
            date_joined=joined,
        ),
    ]
    for number in range(1, sizes.users + 1):
        username = f"{common.USER_PREFIX}{number:05d}"
        users.append(
            user_model(
                username=username,
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                email=f"{username}@bench.example.org",
                password=password,
                date_joined=joined + timedelta(minutes=number),
            )
        )
    user_model.objects.bulk_create(users, batch_size=2000)
    admin, learner, *learners = users
    groups = Group.objects.bulk_create(
        [Group(name=f"Bench team {number:02d}") for number in range(1, GROUPS + 1)]
    )
    members: dict[int, list[int]] = defaultdict(list)
    memberships = []
    for index, user in enumerate(learners):
        members[index % GROUPS].append(user.pk)
        memberships.append(
            user_model.groups.through(user_id=user.pk, group_id=groups[index % GROUPS].pk)
        )
    user_model.groups.through.objects.bulk_create(memberships, batch_size=5000)

    profiles = []
    manager_count = 0
    for group_index in range(GROUPS):
        ids = members[group_index]
        for start in range(0, len(ids), TEAM_SIZE):
            team = ids[start : start + TEAM_SIZE]
            manager_count += 1
            profiles.append(Profile(user_id=team[0], manager_id=None))
            profiles.extend(Profile(user_id=pk, manager_id=team[0]) for pk in team[1:])
    profiles.append(Profile(user_id=learner.pk, manager_id=members[0][0]))
    Profile.objects.bulk_create(profiles, batch_size=5000)
    return People(
        admin_id=admin.pk,
        learner_id=learner.pk,
        group_ids=[group.pk for group in groups],
        members=dict(members),
        names={user.pk: (user.first_name, user.last_name) for user in users},
        managers=manager_count,
    )


# --- Pages ---------------------------------------------------------------------------


def paragraph(rng: random.Random, sentences: int = 4) -> str:
    words = [
        "risk",
        "report",
        "policy",
        "data",
        "access",
        "password",
        "phishing",
        "device",
        "record",
        "team",
        "manager",
        "training",
        "incident",
        "safe",
        "check",
        "share",
        "store",
        "delete",
        "protect",
        "confirm",
        "update",
        "review",
        "process",
        "colleague",
        "customer",
        "secure",
    ]
    text = []
    for _ in range(sentences):
        sentence = " ".join(rng.choice(words) for _ in range(rng.randint(8, 16)))
        text.append(sentence.capitalize() + ".")
    return "<p>" + " ".join(text) + "</p>"


def quiz_value(rng: random.Random, topic: str) -> dict:
    kinds = ["single_choice", "multiple_choice", "true_false", "short_answer", "single_choice"]
    questions = []
    for number in range(1, QUESTIONS + 1):
        kind = kinds[(number - 1) % len(kinds)]
        value = {
            "prompt": f"{topic}: question {number} — which statement is right?",
            "explanation": paragraph(rng, 1),
        }
        if kind == "single_choice":
            right = rng.randrange(4)
            value["options"] = [
                {"text": f"Option {letter}", "is_correct": index == right}
                for index, letter in enumerate("ABCD")
            ]
        elif kind == "multiple_choice":
            right = set(rng.sample(range(4), 2))
            value["options"] = [
                {"text": f"Choice {letter}", "is_correct": index in right}
                for index, letter in enumerate("ABCD")
            ]
        elif kind == "true_false":
            value["correct_answer"] = rng.choice(["true", "false"])
        else:
            value["accepted_answers"] = ["report it", "report"]
        questions.append({"type": kind, "value": value})
    return {
        "title": "Check your understanding",
        "intro": "<p>Answer every question; you need 80% to pass.</p>",
        "pass_mark": 80,
        "max_attempts": 0,
        "shuffle": False,
        "questions": questions,
    }


def lesson_body(rng: random.Random, topic: str, number: int, with_quiz: bool) -> list:
    body = [
        {"type": "heading", "value": {"text": f"{topic}: part {number}", "level": "h2"}},
        {"type": "paragraph", "value": paragraph(rng) + paragraph(rng)},
        {
            "type": "callout",
            "value": {"tone": "tip", "title": "Remember", "body": paragraph(rng, 2)},
        },
        {"type": "heading", "value": {"text": "In practice", "level": "h3"}},
        {"type": "paragraph", "value": paragraph(rng, 5)},
    ]
    if number % 4 == 1:
        body.insert(
            2,
            {
                "type": "video",
                "value": {
                    "url": "https://www.youtube.com/watch?v=aO858HyFbKI",
                    "title": f"{topic} in three minutes",
                    "caption": "",
                    "transcript": paragraph(rng, 3),
                },
            },
        )
    if number % 3 == 0:
        body.append(
            {
                "type": "code",
                "value": {"language": "bash", "code": "gpg --verify report.pdf.sig", "caption": ""},
            }
        )
    if with_quiz:
        body.append({"type": "quiz", "value": quiz_value(rng, topic)})
    return body


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

    from catalog.models import CatalogPage, CoursePage, ModulePage, Subject
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

    from wagtail.search import index

    for course in courses:  # the catalog's search finds courses (lessons are not indexed)
        index.insert_or_update_object(course)

    from learner.grading import grade

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


def graded_attempts(quiz, grade) -> dict:
    """A passing and a failing attempt at ``quiz``, graded by the real grader."""
    right: dict[str, object] = {}
    wrong: dict[str, object] = {}
    for number, question in enumerate(quiz.value["questions"]):
        kind = question.block_type
        if kind == "short_answer":
            right[str(question.id)] = question.value["accepted_answers"][0]
            wrong[str(question.id)] = "no idea"
            continue
        if kind == "true_false":
            correct = question.value["correct_answer"]
            right[str(question.id)] = correct
            wrong[str(question.id)] = "false" if correct == "true" else "true"
            continue
        options = question.value["options"].bound_blocks
        correct_ids = sorted(str(o.id) for o in options if o.value["is_correct"])
        wrong_ids = sorted(str(o.id) for o in options if not o.value["is_correct"])
        if kind == "multiple_choice":
            right[str(question.id)] = correct_ids
            wrong[str(question.id)] = wrong_ids[:1] if number % 2 else correct_ids
        else:
            right[str(question.id)] = correct_ids[0]
            wrong[str(question.id)] = wrong_ids[0] if number % 2 else correct_ids[0]
    passed = grade(quiz.value, right, pass_mark=80)
    failed = grade(quiz.value, wrong, pass_mark=80)
    return {
        "block_id": str(quiz.id),
        "pass": (right, passed.graded, passed.score, passed.passed),
        "fail": (wrong, failed.graded, failed.score, failed.passed),
    }


# --- Requirements and the plan of who stands where ------------------------------------


@dataclass
class RequirementSpec:
    pk: int
    course: Course
    due_days: int
    recurrence: int | None
    window: int
    reminder_days: str
    rule: object


def create_requirements(courses: list[Course], people: People, rng: random.Random):
    """The requirements and their audiences, written without signals: saving one through
    the ORM would queue a sync (compliance.receivers) that assigns everyone at once."""
    from compliance.models import TrainingRequirement

    requirements, audiences = [], []
    for index in range(REQUIREMENTS):
        course = courses[index]
        due_days = [30, 45, 60, 90][index % 4]
        reminders = "30, 14, 7, 1" if index % 3 == 2 and due_days > 31 else "14, 7, 1"
        if index % 3 == 1:
            reminders = "7, 1"
        requirements.append(
            TrainingRequirement(
                name=f"Bench requirement {index + 1:02d}: {course.title}",
                course_id=course.page_id,
                description="Generated by bench.generate.",
                due_rule=TrainingRequirement.DueRule.RELATIVE,
                due_days=due_days,
                recurrence_months=None if index % 5 == 4 else (12 if index % 2 == 0 else 24),
                window_days=60 if index % 3 == 0 else 30,
                reminder_days=reminders,
                overdue_every_days=7 if index % 4 else 14,
            )
        )
        audiences.append(
            sorted(set(range(GROUPS)) - set(rng.sample(range(GROUPS), GROUPS_LEFT_OUT)))
        )
    for requirement in requirements:
        requirement.full_clean()
    TrainingRequirement.objects.bulk_create(requirements)
    groups_through = TrainingRequirement.audience_groups.through
    users_through = TrainingRequirement.audience_users.through
    groups_through.objects.bulk_create(
        groups_through(trainingrequirement_id=requirement.pk, group_id=people.group_ids[number])
        for requirement, numbers in zip(requirements, audiences, strict=True)
        for number in numbers
    )
    users_through.objects.bulk_create(
        users_through(trainingrequirement_id=requirement.pk, user_id=people.learner_id)
        for requirement in requirements[: len(LEARNER_STATUSES)]
    )
    return [
        (
            RequirementSpec(
                pk=requirement.pk,
                course=courses[index],
                due_days=requirement.due_days,
                recurrence=requirement.recurrence_months,
                window=requirement.window_days,
                reminder_days=requirement.reminder_days,
                rule=requirement.rule,
            ),
            numbers,
        )
        for index, (requirement, numbers) in enumerate(zip(requirements, audiences, strict=True))
    ]


@dataclass
class Cycle:
    assigned_on: date
    opens_on: date
    due_on: date
    completed_on: date | None = None
    expires_on: date | None = None
    previous_expires_on: date | None = None
    exempt: bool = False


def plan_cycles(requirement: RequirementSpec, status: str, rng: random.Random, today: date):
    """The cycles of one person on one requirement so that, on ``today``, they stand in
    ``status`` and the sync has nothing to change (see compliance.services)."""
    from compliance import scheduling

    rule = requirement.rule
    days = requirement.due_days
    soon = rule.due_soon_days
    window = requirement.window

    def first(assigned: date, **extra) -> Cycle:
        return Cycle(assigned, assigned, scheduling.first_due(rule, assigned), **extra)

    if status in ("not_started", "in_progress", "exempt"):
        return [
            first(
                today - timedelta(days=rng.randint(0, days - soon - 1)), exempt=status == "exempt"
            )
        ]
    if status == "due_soon":
        return [first(today + timedelta(days=rng.randint(0, soon)) - timedelta(days=days))]
    if status == "overdue":
        return [first(today - timedelta(days=days + rng.randint(1, 180)))]
    if status == "compliant":
        if requirement.recurrence:
            months = requirement.recurrence
            latest = scheduling.add_months(today, -months) + timedelta(days=window + 3)
            completed = today - timedelta(days=rng.randint(0, max(0, (today - latest).days)))
        else:
            completed = today - timedelta(days=rng.randint(0, 600))
        cycle = first(completed - timedelta(days=rng.randint(0, days)))
        cycle.completed_on = completed
        cycle.expires_on = scheduling.expires_on(rule, due=cycle.due_on, completed_on=completed)
        return [cycle]
    # Two cycles: the renewal opened; "expired" once its due date passed, else "renewal".
    months = requirement.recurrence
    if status == "expired":
        target = today - timedelta(days=rng.randint(1, 150))
    else:
        target = today + timedelta(days=rng.randint(0, window - 1))
    completed = scheduling.add_months(target, -months)
    cycle = first(completed - timedelta(days=rng.randint(0, days)))
    cycle.completed_on = completed
    cycle.expires_on = scheduling.expires_on(rule, due=cycle.due_on, completed_on=completed)
    opens = scheduling.opens_on(rule, cycle.expires_on)
    renewal = Cycle(opens, opens, cycle.expires_on, previous_expires_on=cycle.expires_on)
    return [cycle, renewal]


# --- Main ----------------------------------------------------------------------------


def local_moment(day: date, hour: int = 10, minute: int = 0) -> datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, clock(hour, minute)))


def generate(sizes: Sizes, report: Report, seed: int) -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from certificates.models import Certificate, CertificateSequence, format_number
    from compliance import notifications
    from compliance.models import Assignment, NotificationLog
    from compliance.scheduling import cycle_status
    from learner.models import Enrollment, LessonProgress, QuizAttempt

    rng = random.Random(seed)
    today = timezone.localdate()
    now = timezone.now()
    built: dict[str, int] = {}

    with report.step("people") as note, transaction.atomic():
        people = create_people(sizes, rng, today)
        built["users"] = sizes.users + 2
        built["groups"] = GROUPS
        note.append(f"{sizes.users + 2:,} users in {GROUPS} groups, {people.managers} managers")

    with report.step("pages") as note, transaction.atomic():
        courses = create_pages(sizes, rng, people.admin_id, now)
        pages = len(courses) * (1 + MODULES + MODULES * LESSONS_PER_MODULE)
        built["courses"] = len(courses)
        built["pages"] = pages
        note.append(
            f"{len(courses)} courses, {pages:,} published pages "
            f"({len(courses) * MODULES} quizzes of {QUESTIONS} questions)"
        )

    with report.step("plan") as note:
        requirements = create_requirements(courses, people, rng)
        pairs = []  # (requirement, user id, status)
        for requirement, groups in requirements:
            for group in groups:
                pairs.extend((requirement, user_id) for user_id in people.members[group])
        recurring = [i for i, (requirement, _) in enumerate(pairs) if requirement.recurrence]
        learner_rows = len(LEARNER_STATUSES)
        two_cycles = max(0, min(len(recurring), sizes.assignments - len(pairs) - learner_rows))
        renewing = set(rng.sample(recurring, two_cycles))
        statuses = list(ONE_CYCLE_WEIGHTS)
        weights = list(ONE_CYCLE_WEIGHTS.values())
        plan = []
        for index, (requirement, user_id) in enumerate(pairs):
            if index in renewing:
                status = "expired" if rng.random() < 0.45 else "renewal"
            else:
                status = rng.choices(statuses, weights)[0]
            plan.append((requirement, user_id, status))
        for index, status in enumerate(LEARNER_STATUSES):
            plan.append((requirements[index][0], people.learner_id, status))
        note.append(f"{len(pairs):,} people × requirement, {two_cycles:,} with a renewal open")

    # --- Enrolments: who is in which course -------------------------------------------
    with report.step("enrolments") as note:
        enrolments = []  # dicts, then Enrollment rows
        in_progress = [(r, u) for r, u, s in plan if s == "in_progress" and u != people.learner_id]
        budget = sizes.enrolments - 20  # bench-learner's
        if len(in_progress) > budget:
            in_progress = in_progress[:budget]
        completed_cycles = [(r, u) for r, u, s in plan if s in ("compliant", "expired", "renewal")]
        rest = budget - len(in_progress)
        others = rest * 15 // 100
        linked = min(len(completed_cycles), rest - others)
        others = rest - linked
        linked_pairs = set(rng.sample(range(len(completed_cycles)), linked))

        def enrol(user_id: int, course: Course, status: str, start: date, finish: date | None):
            lessons = len(course.lesson_ids)
            if status == "completed":
                done = lessons
            elif status == "active":
                done = rng.randint(0, lessons - 1)
            else:
                done = 0
            enrolments.append(
                {
                    "user_id": user_id,
                    "course": course,
                    "status": status,
                    "start": start,
                    "finish": finish,
                    "done": done,
                }
            )

        for requirement, user_id in in_progress:
            start = today - timedelta(days=rng.randint(0, 20))
            enrol(user_id, requirement.course, "active", start, None)
        completed_plan = {}
        for index, (requirement, user_id) in enumerate(completed_cycles):
            if index in linked_pairs:
                completed_plan[(requirement.pk, user_id)] = len(enrolments)
                enrol(user_id, requirement.course, "completed", today, today)  # dates below
        free_courses = courses[REQUIREMENTS:]
        learner_ids = [pk for ids in people.members.values() for pk in ids]
        taken = set()
        status_mix = ["active"] * 55 + ["completed"] * 35 + ["withdrawn"] * 5 + ["pending"] * 5
        while others > 0:
            user_id = rng.choice(learner_ids)
            course = rng.choice(free_courses)
            if (user_id, course.index) in taken:
                continue
            taken.add((user_id, course.index))
            status = rng.choice(status_mix)
            start = today - timedelta(days=rng.randint(1, 400))
            finish = start + timedelta(days=rng.randint(1, 60)) if status == "completed" else None
            if finish and finish > today:
                finish = today
            enrol(user_id, course, status, start, finish)
            others -= 1
        # bench-learner: requirement courses as its statuses need, then ten active and
        # five completed courses outside the requirements.
        learner_courses = []
        for index, status in enumerate(LEARNER_STATUSES):
            if status == "in_progress":
                learner_courses.append((courses[index], "active"))
        for index, status in enumerate(LEARNER_STATUSES):
            if status == "compliant":
                learner_courses.append((courses[index], "completed"))
        extra = 20 - len(learner_courses)
        for offset in range(extra):
            course = courses[LEARNER_LESSON_COURSE + offset]
            learner_courses.append((course, "active" if offset < extra - 5 else "completed"))
        for course, status in learner_courses:
            start = today - timedelta(days=rng.randint(30, 200))
            finish = today - timedelta(days=rng.randint(1, 29)) if status == "completed" else None
            enrol(people.learner_id, course, status, start, finish)
            if status == "completed" and course.index < len(LEARNER_STATUSES):
                completed_plan[(requirements[course.index][0].pk, people.learner_id)] = (
                    len(enrolments) - 1
                )
        # The measured lesson: the first quiz of LEARNER_LESSON_COURSE, not yet reached.
        for item in enrolments:
            if (
                item["user_id"] == people.learner_id
                and item["course"].index == LEARNER_LESSON_COURSE
            ):
                item["done"] = 3
        note.append(f"{len(enrolments):,} planned")

    # --- Assignments (rows), linking completed cycles to completed enrolments --------
    with report.step("assignments") as note:
        rows = []
        tally: Counter[str] = Counter()
        exempt_reason = "Covered by an equivalent external qualification."
        for requirement, user_id, status in plan:
            cycles = plan_cycles(requirement, status, rng, today)
            enrolment_index = completed_plan.get((requirement.pk, user_id))
            for number, cycle in enumerate(cycles, start=1):
                completed_at = None
                if cycle.completed_on:
                    completed_at = local_moment(cycle.completed_on, 14, rng.randint(0, 59))
                    if enrolment_index is not None:
                        item = enrolments[enrolment_index]
                        item["start"] = min(
                            cycle.completed_on - timedelta(days=rng.randint(1, 20)), item["start"]
                        )
                        item["finish"] = cycle.completed_on
                        item["completed_at"] = completed_at
                        item["cycle_row"] = len(rows)
                rows.append(
                    [
                        requirement.pk,
                        user_id,
                        number,
                        cycle.assigned_on,
                        cycle.opens_on,
                        cycle.due_on,
                        completed_at,
                        cycle.completed_on,
                        cycle.expires_on,
                        cycle.previous_expires_on,
                        None,  # enrollment, once the enrolments have ids
                        cycle.exempt,
                        cycle.assigned_on if cycle.exempt else None,
                        exempt_reason if cycle.exempt else "",
                        people.admin_id if cycle.exempt else None,
                        None,
                    ]
                )
            last = cycles[-1]
            tally[
                cycle_status(
                    requirement.rule,
                    as_of=today,
                    due=last.due_on,
                    completed_on=last.completed_on,
                    expires=last.expires_on,
                    previous_expires=last.previous_expires_on,
                    started=status == "in_progress",
                    exempt=last.exempt,
                ).value
            ] += 1
        note.append(
            f"{len(rows):,} planned; statuses today: "
            + ", ".join(f"{k} {v:,}" for k, v in sorted(tally.items()))
        )
        built["assignments"] = len(rows)
        built["status_counts"] = dict(tally)

    with report.step("enrolment rows") as note, transaction.atomic():
        objects = []
        for item in enrolments:
            course = item["course"]
            start = item["start"]
            requested = local_moment(start, 9, rng.randint(0, 59))
            status = item["status"]
            completed_at = item.get("completed_at") or (
                local_moment(item["finish"], 15) if status == "completed" else None
            )
            activated = requested if status in ("active", "completed") else None
            last_activity = completed_at or (
                requested + timedelta(days=rng.randint(0, max(0, (today - start).days)))
                if activated
                else None
            )
            done = item["done"]
            objects.append(
                Enrollment(
                    user_id=item["user_id"],
                    course_id=course.page_id,
                    status=status,
                    requested_at=requested,
                    activated_at=activated,
                    completed_at=completed_at,
                    ended_at=requested + timedelta(days=3) if status == "withdrawn" else None,
                    progress_percent=100 * done // len(course.lesson_ids),
                    lessons_completed=done,
                    last_activity_at=last_activity,
                    last_lesson_id=course.lesson_ids[min(done, len(course.lesson_ids) - 1)]
                    if activated
                    else None,
                )
            )
        Enrollment.objects.bulk_create(objects, batch_size=2000)
        for item, enrollment in zip(enrolments, objects, strict=True):
            item["enrollment"] = enrollment
            if "cycle_row" in item:
                rows[item["cycle_row"]][10] = enrollment.pk
        counts = Counter(e.status for e in objects)
        built["enrolments"] = len(objects)
        note.append(
            f"{len(objects):,}: " + ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items()))
        )

    with report.step("lesson progress") as note, transaction.atomic():

        def progress_rows():
            for item in enrolments:
                enrollment = item["enrollment"]
                if enrollment.activated_at is None:
                    continue
                course = item["course"]
                done = item["done"]
                end = enrollment.completed_at or enrollment.last_activity_at
                span = max(1, int((end - enrollment.activated_at).total_seconds()))
                for position, lesson_id in enumerate(course.lesson_ids[: done + 1]):
                    viewed = enrollment.activated_at + timedelta(seconds=span * position // 51)
                    complete = position < done
                    yield (
                        enrollment.pk,
                        lesson_id,
                        viewed,
                        viewed + timedelta(minutes=12),
                        viewed + timedelta(minutes=11) if complete else None,
                        rng.randint(1, 3),
                        rng.randint(120, 900),
                    )

        total = sum(
            min(item["done"] + 1, len(item["course"].lesson_ids))
            for item in enrolments
            if item["enrollment"].activated_at
        )
        count = insert_rows(
            LessonProgress,
            [
                "enrollment",
                "lesson",
                "first_viewed_at",
                "last_viewed_at",
                "completed_at",
                "views",
                "time_spent_seconds",
            ],
            progress_rows(),
            total=total,
            label="lesson progress",
        )
        built["lesson_progress"] = count
        note.append(f"{count:,} rows")

    with report.step("quiz attempts") as note, transaction.atomic():

        def attempt_rows():
            for item in enrolments:
                enrollment = item["enrollment"]
                if enrollment.activated_at is None:
                    continue
                course = item["course"]
                for position, lesson_id in enumerate(course.lesson_ids[: item["done"]]):
                    quiz = course.quiz_lessons.get(lesson_id)
                    if quiz is None:
                        continue
                    moment = enrollment.activated_at + timedelta(hours=position)
                    attempts = ["fail", "pass"] if rng.random() < 0.15 else ["pass"]
                    for number, kind in enumerate(attempts, start=1):
                        answers, graded, score, passed = quiz[kind]
                        yield (
                            enrollment.pk,
                            lesson_id,
                            quiz["block_id"],
                            number,
                            uuid.UUID(int=rng.getrandbits(128), version=4),
                            moment + timedelta(minutes=number * 5),
                            answers,
                            graded,
                            Decimal(score),
                            80,
                            passed,
                        )

        estimate = sum(
            sum(
                1
                for lesson_id in item["course"].lesson_ids[: item["done"]]
                if lesson_id in item["course"].quiz_lessons
            )
            for item in enrolments
            if item["enrollment"].activated_at
        )
        count = insert_rows(
            QuizAttempt,
            [
                "enrollment",
                "lesson",
                "quiz_block_id",
                "number",
                "submission_token",
                "submitted_at",
                "answers",
                "graded",
                "score",
                "pass_mark",
                "passed",
            ],
            attempt_rows(),
            total=int(estimate * 1.15),
            label="quiz attempts",
            batch=1000,
        )
        built["quiz_attempts"] = count
        note.append(f"{count:,} rows")

    with report.step("assignment rows") as note, transaction.atomic():
        count = insert_rows(
            Assignment,
            [
                "requirement",
                "user",
                "cycle",
                "assigned_on",
                "opens_on",
                "due_on",
                "completed_at",
                "completed_on",
                "expires_on",
                "previous_expires_on",
                "enrollment",
                "exempt",
                "exempted_on",
                "exemption_reason",
                "exempted_by",
                "closed_on",
            ],
            rows,
            total=len(rows),
            label="assignments",
        )
        note.append(f"{count:,} rows")

    with report.step("certificates") as note, transaction.atomic():
        completed = [item for item in enrolments if item["enrollment"].status == "completed"]
        learner_first = sorted(completed, key=lambda item: item["user_id"] != people.learner_id)
        chosen = learner_first[: min(sizes.certificates, len(completed))]
        chosen.sort(key=lambda item: (item["enrollment"].completed_at, item["enrollment"].pk))
        sequences: Counter[int] = Counter()
        certificates = []
        for item in chosen:
            enrollment = item["enrollment"]
            issued = enrollment.completed_at
            year = timezone.localtime(issued).year
            sequences[year] += 1
            first, last = people.names[item["user_id"]]
            months = item["course"].validity_months
            expires = None
            if months:
                from certificates.expiry import expiry_moment
                from compliance.scheduling import valid_through

                # The app's rule: valid through the same day `months` on, to its end.
                expires = expiry_moment(valid_through(timezone.localdate(issued), months))
            certificates.append(
                Certificate(
                    enrollment_id=enrollment.pk,
                    user_id=item["user_id"],
                    course_id=item["course"].page_id,
                    number=format_number(year, sequences[year]),
                    verification_code=base64.urlsafe_b64encode(rng.randbytes(16))
                    .rstrip(b"=")
                    .decode(),
                    holder_name=f"{first} {last}",
                    course_title=item["course"].title,
                    issued_at=issued,
                    expires_at=expires,
                )
            )
        Certificate.objects.bulk_create(certificates, batch_size=2000)
        CertificateSequence.objects.bulk_create(
            [CertificateSequence(year=year, last_number=n) for year, n in sequences.items()]
        )
        built["certificates"] = len(certificates)
        note.append(f"{len(certificates):,} rows (no PDFs), numbers up to {dict(sequences)}")

    with report.step("yesterday's reminders") as note, transaction.atomic():
        yesterday = today - timedelta(days=1)
        notifications.queue_reminders(as_of=yesterday)
        sent = NotificationLog.objects.update(sent_at=local_moment(yesterday, 6, 5), attempts=1)
        built["notification_log"] = sent
        note.append(f"{sent:,} messages queued by queue_reminders(as_of={yesterday}), marked sent")

    with report.step("analyze") as note:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        note.append("planner statistics refreshed")
    return built


def check_tree(report: Report) -> None:
    from io import StringIO

    from django.core.management import call_command

    with report.step("fixtree") as note:
        output = StringIO()
        call_command("fixtree", interactive=False, stdout=output)
        text = output.getvalue()
        if text.count("No problems found.") != 2:
            print(text, file=sys.stderr)
            raise SystemExit("manage.py fixtree found problems in the generated tree")
        note.append("page and collection trees clean")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the sizes (0.01: quick)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--reset", action="store_true", help="drop the database and build anew")
    common.add_database_arguments(parser)
    options = parser.parse_args(argv)
    url = common.database_url(options)
    sizes = Sizes.for_scale(options.scale)
    report = Report()
    started = time.perf_counter()
    common.log(f"Benchmark data at scale {options.scale:g} in {common.describe(url)}")

    with report.step("database") as note:
        prepare_database(url, reset=options.reset)
        common.setup_django(url)
        from django.contrib.auth import get_user_model
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        note.append(("reset and " if options.reset else "") + "migrated")

    if get_user_model().objects.filter(username=common.LEARNER).exists():
        from compliance.models import Assignment

        print(
            f"{common.describe(url)} already holds benchmark data "
            f"({get_user_model().objects.count():,} users, "
            f"{Assignment.objects.count():,} assignments); nothing to do. "
            "Use --reset to build it again."
        )
        return

    import logging

    logging.getLogger("wagtail").setLevel(logging.WARNING)
    built = generate(sizes, report, options.seed)
    check_tree(report)
    total = time.perf_counter() - started

    print(f"\nBuilt in {common.describe(url)} at scale {options.scale:g} (seed {options.seed}):")
    for key, value in built.items():
        if isinstance(value, int):
            print(f"  {key.replace('_', ' '):<20} {value:>12,}")
    print("  assignment statuses today (current cycle per person and requirement):")
    for status, count in sorted(built["status_counts"].items()):
        print(f"    {status:<18} {count:>10,}")
    print("\nSteps:")
    for name, seconds, note in report.steps:
        print(f"  {name:<22} {seconds:7.1f}s  {note}")
    print(f"  {'total':<22} {total:7.1f}s")


if __name__ == "__main__":
    main()
