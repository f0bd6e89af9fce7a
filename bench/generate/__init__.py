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
  real :func:`compliance.services.notifications.queue_reminders` and marked sent, as a site that
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

The package, in the order the steps run: :mod:`~bench.generate.sizes` (seed, sizes and
the status mix), :mod:`~bench.generate.database` (creating the database, ``COPY``),
:mod:`~bench.generate.people` (users and groups), :mod:`~bench.generate.content` and
:mod:`~bench.generate.pages` (lesson bodies and quizzes, the page tree),
:mod:`~bench.generate.compliance` (requirements, the status plan, assignments and
reminders), :mod:`~bench.generate.enrollments` (enrolments, progress, quiz attempts),
:mod:`~bench.generate.certificates`, and :mod:`~bench.generate.cli` (the command).
"""

from .cli import Report, generate, main
from .database import insert_rows, prepare_database
from .sizes import (
    ASSIGNMENTS,
    CERTIFICATES,
    COURSES,
    ENROLMENTS,
    GROUPS,
    LEARNER_LESSON_COURSE,
    LEARNER_STATUSES,
    LESSONS_PER_MODULE,
    MODULES,
    QUESTIONS,
    REQUIREMENTS,
    SEED,
    SEQUENTIAL_EVERY,
    USERS,
    Sizes,
)

__all__ = [
    "ASSIGNMENTS",
    "CERTIFICATES",
    "COURSES",
    "ENROLMENTS",
    "GROUPS",
    "LEARNER_LESSON_COURSE",
    "LEARNER_STATUSES",
    "LESSONS_PER_MODULE",
    "MODULES",
    "QUESTIONS",
    "REQUIREMENTS",
    "SEED",
    "SEQUENTIAL_EVERY",
    "USERS",
    "Report",
    "Sizes",
    "generate",
    "insert_rows",
    "main",
    "prepare_database",
]
