"""Generate the organisation-scale benchmark data: ``make bench-data``
(``python -m bench.generate``): the command line, and the steps it runs in order, each
timed and noted, then ``manage.py fixtree``.
"""

import argparse
import logging
import random
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from io import StringIO

from .. import common
from .certificates import create_certificates
from .compliance import (
    create_requirements,
    plan_assignments,
    plan_statuses,
    queue_yesterdays_reminders,
    write_assignments,
)
from .database import prepare_database
from .enrollments import create_enrollments, plan_enrollments, write_attempts, write_progress
from .pages import create_pages
from .people import create_people
from .sizes import GROUPS, LESSONS_PER_MODULE, MODULES, QUESTIONS, SEED, Sizes


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


def generate(sizes: Sizes, report: Report, seed: int) -> dict:
    """Every step, in the order the seeded generator is drawn from (the same rows every
    time); what was built, counted."""
    from django.db import connection, transaction
    from django.utils import timezone

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
        plan = plan_statuses(requirements, people=people, sizes=sizes, rng=rng, note=note)

    with report.step("enrolments") as note:
        enrolments, completed_plan = plan_enrollments(
            plan,
            people=people,
            sizes=sizes,
            courses=courses,
            requirements=requirements,
            rng=rng,
            today=today,
            note=note,
        )

    with report.step("assignments") as note:
        rows, tally = plan_assignments(
            plan,
            people=people,
            enrolments=enrolments,
            completed_plan=completed_plan,
            rng=rng,
            today=today,
            note=note,
        )
        built["assignments"] = len(rows)
        built["status_counts"] = dict(tally)

    with report.step("enrolment rows") as note, transaction.atomic():
        built["enrolments"] = create_enrollments(
            enrolments, rows=rows, rng=rng, today=today, note=note
        )

    with report.step("lesson progress") as note, transaction.atomic():
        built["lesson_progress"] = write_progress(enrolments, rng=rng, note=note)

    with report.step("quiz attempts") as note, transaction.atomic():
        built["quiz_attempts"] = write_attempts(enrolments, rng=rng, note=note)

    with report.step("assignment rows") as note, transaction.atomic():
        write_assignments(rows, note)

    with report.step("certificates") as note, transaction.atomic():
        built["certificates"] = create_certificates(
            enrolments, people=people, sizes=sizes, rng=rng, note=note
        )

    with report.step("yesterday's reminders") as note, transaction.atomic():
        built["notification_log"] = queue_yesterdays_reminders(today, note)

    with report.step("analyze") as note:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        note.append("planner statistics refreshed")
    return built


def check_tree(report: Report) -> None:
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
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate", description=__doc__.splitlines()[0]
    )
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
