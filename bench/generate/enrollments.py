"""Enrolments and progress: who is in which course (linked to the completed cycles
that need them, and ``bench-learner``'s twenty), the enrolment rows, their lesson
progress and their graded quiz attempts."""

import random
import uuid
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

from .compliance import RequirementSpec
from .database import insert_rows
from .pages import Course
from .people import People
from .sizes import LEARNER_LESSON_COURSE, LEARNER_STATUSES, REQUIREMENTS, Sizes, local_moment


def plan_enrollments(
    plan: list,
    *,
    people: People,
    sizes: Sizes,
    courses: list[Course],
    requirements: list[tuple[RequirementSpec, list[int]]],
    rng: random.Random,
    today: date,
    note: list[str],
) -> tuple[list[dict], dict]:
    """The enrolments as dicts (rows come later) and, per (requirement, user) of a
    completed cycle, the index of the completed enrolment planned for it."""
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
        if item["user_id"] == people.learner_id and item["course"].index == LEARNER_LESSON_COURSE:
            item["done"] = 3
    note.append(f"{len(enrolments):,} planned")
    return enrolments, completed_plan


def create_enrollments(
    enrolments: list[dict], *, rows: list[list], rng: random.Random, today: date, note: list[str]
) -> int:
    """The Enrollment rows; each planned dict gets its ``enrollment``, and the assignment
    rows of the completed cycles their enrolment's id."""
    from learner.models import Enrollment

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
    note.append(f"{len(objects):,}: " + ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items())))
    return len(objects)


def started(enrolments: list[dict]):
    """Each enrolment that was activated (so has progress): its planned dict, its
    Enrollment and its course."""
    for item in enrolments:
        if item["enrollment"].activated_at is not None:
            yield item, item["enrollment"], item["course"]


def write_progress(enrolments: list[dict], *, rng: random.Random, note: list[str]) -> int:
    """Lesson progress: every lesson done, and the one being read, of each started
    enrolment."""
    from learner.models import LessonProgress

    def progress_rows():
        for item, enrollment, course in started(enrolments):
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
        min(item["done"] + 1, len(course.lesson_ids)) for item, _, course in started(enrolments)
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
    note.append(f"{count:,} rows")
    return count


def write_attempts(enrolments: list[dict], *, rng: random.Random, note: list[str]) -> int:
    """Quiz attempts at the quizzes passed on the way (about 15 % failed once first)."""
    from learner.models import QuizAttempt

    def attempt_rows():
        for item, enrollment, course in started(enrolments):
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
        len(course.quiz_lessons.keys() & set(course.lesson_ids[: item["done"]]))
        for item, _, course in started(enrolments)
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
    note.append(f"{count:,} rows")
    return count
