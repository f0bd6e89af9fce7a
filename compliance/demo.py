"""Demo required training for ``manage.py load_demo``: two requirements, their
audiences, managers, and a history that shows every status on the day it is loaded.

- **Annual security awareness** (Security Awareness Essentials): due 30 days after
  assignment, then every 12 months (renewals open 30 days before), reminders 14, 7 and
  1 days before. Audience: the group "Staff" (the learners) and, named individually,
  ``instructor``, ``reviewer`` and ``compliance``: every demo user except ``admin``.
- **Data protection — yearly by 31 October** (Data Protection in Practice): due by the
  next 31 October, then every year; at least 14 days' notice for latecomers. Audience:
  the group "Data handlers" (``learner``, ``learner2``, ``chen``) and ``compliance``.

The role accounts are individual members of the audiences rather than group members
so that each keeps exactly its role group (``tests/home/test_load_demo.py`` checks
that); the demo thereby shows both kinds of audience.
- Managers: ``instructor`` manages ``learner`` and ``learner2``; ``compliance`` manages
  the roster-only learners ``amara``, ``bo``, ``chen`` and ``dana``.

Each person's history is written as the rows the daily sync would have left, with
dates counted back from today (see ``SECURITY_STORIES``): cycles assigned weeks or
months ago, courses completed (a backdated completed enrolment, with its lessons), a
certification that lapsed, a renewal now open, an exemption. It agrees with the
enrolments ``learner/demo.py`` made: ``learner`` and ``learner2`` are part-way through
Security Awareness Essentials; ``learner`` and ``chen`` are still waiting for approval
on Data Protection in Practice; ``dana``, who was turned down for it, is not a data
handler.

Idempotent: a person who already has cycles of a requirement is left as they are,
and requirements, groups and managers are only created when missing (never reset), so
running the demo again changes nothing. The demo is a snapshot of one day: loaded
later, the same rows show how time moves people on (due soon becomes overdue…).
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import Profile
from catalog.models import CoursePage
from catalog.selectors import course_outline
from learner.models import Enrollment, LessonProgress

from . import scheduling, selectors, services
from .models import Assignment, TrainingRequirement
from .scheduling import Status

SECURITY = "security-awareness-essentials"
DATA = "data-protection-in-practice"

STAFF = "Staff"
DATA_HANDLERS = "Data handlers"
#: Group members (demo usernames from accounts/demo.py and learner/demo.py).
GROUP_MEMBERS = {
    STAFF: ("learner", "learner2", "amara", "bo", "chen", "dana"),
    DATA_HANDLERS: ("learner", "learner2", "chen"),
}
#: Person → manager (accounts.Profile.manager).
MANAGERS = {
    "learner": "manager",
    "learner2": "manager",
    "amara": "compliance",
    "bo": "compliance",
    "chen": "compliance",
    "dana": "compliance",
}
#: Who grants the demo exemption.
EXEMPTED_BY = "compliance"
#: Who approved the backdated enrolments in courses that need approval.
APPROVED_BY = "instructor"


@dataclass(frozen=True)
class Story:
    """One person's history on a demo requirement, counted in days before today."""

    username: str
    assigned_days_ago: int
    #: When they completed the first cycle (None: not done).
    completed_days_ago: int | None = None
    #: Set to exempt them from the first cycle, for this reason.
    exemption: str = ""
    #: What the story shows on the day the demo is loaded (for the reader).
    shows: Status | None = None


#: Security awareness: relative, due 30 days after assignment, every 12 months.
SECURITY_STORIES = (
    # Enrolled by learner/demo.py, two lessons done, due in 20 days.
    Story("learner", 10, shows=Status.IN_PROGRESS),
    # Enrolled, one lesson done, due in 10 days (within the 14-day reminder).
    Story("learner2", 20, shows=Status.DUE_SOON),
    Story("amara", 3, shows=Status.NOT_STARTED),
    # Due 15 days ago, not started: reminders and her manager's digest.
    Story("bo", 45, shows=Status.OVERDUE),
    # Completed 405 days ago; certified until about 40 days ago; renewal not done.
    Story("chen", 430, 405, shows=Status.EXPIRED),
    Story(
        "dana",
        60,
        exemption="Completed equivalent security training with her previous employer "
        "this year (certificate on file).",
        shows=Status.EXEMPT,
    ),
    # Completed about six months ago: certified for another six.
    Story("instructor", 200, 185, shows=Status.COMPLIANT),
    # Completed 355 days ago: still certified, renewal open and due in about 10 days.
    Story("reviewer", 380, 355, shows=Status.COMPLIANT),
    # Completed late (due 70 days ago, done 64 days ago): compliant now.
    Story("compliance", 100, 64, shows=Status.COMPLIANT),
)
#: Data protection: by the next 31 October, assigned three weeks ago.
DATA_STORIES = (
    Story("learner", 21, shows=Status.NOT_STARTED),  # request awaiting approval
    Story("learner2", 21, shows=Status.NOT_STARTED),
    Story("chen", 21, shows=Status.NOT_STARTED),  # request awaiting approval
    Story("compliance", 21, 5, shows=Status.COMPLIANT),  # done early: until next year's
)


def next_31_october(today: date) -> date:
    """This year's 31 October, or next year's once it has passed."""
    this_year = date(today.year, 10, 31)
    return this_year if today <= this_year else date(today.year + 1, 10, 31)


@dataclass(frozen=True)
class RequirementSpec:
    """A demo requirement: its fields, its audience and its people's stories."""

    name: str
    course_slug: str
    fields: dict
    group: str
    individuals: tuple[str, ...]
    stories: tuple[Story, ...]


def requirement_specs(today: date) -> list[RequirementSpec]:
    """The demo requirements, with dates computed from ``today``."""
    return [
        RequirementSpec(
            "Annual security awareness",
            SECURITY,
            {
                "description": "Everyone completes Security Awareness Essentials within "
                "30 days of joining, and again every year.",
                "due_rule": TrainingRequirement.DueRule.RELATIVE,
                "due_days": 30,
                "recurrence_months": 12,
                "window_days": 30,
                "reminder_days": "14, 7, 1",
            },
            STAFF,
            ("instructor", "reviewer", "compliance"),
            SECURITY_STORIES,
        ),
        RequirementSpec(
            "Data protection — yearly by 31 October",
            DATA,
            {
                "description": "Everyone who handles personal data completes Data "
                "Protection in Practice by 31 October each year.",
                "due_rule": TrainingRequirement.DueRule.FIXED,
                "due_date": next_31_october(today),
                "recurrence_months": 12,
                "window_days": 30,
                "grace_days": 14,
                "reminder_days": "14, 7, 1",
            },
            DATA_HANDLERS,
            ("compliance",),
            DATA_STORIES,
        ),
    ]


def _group_with_members(name: str, users: dict[str, AbstractBaseUser]) -> Group:
    group, _ = Group.objects.get_or_create(name=name)
    members = [users[username] for username in GROUP_MEMBERS[name] if username in users]
    already = set(group.user_set.values_list("pk", flat=True))
    missing = [user for user in members if user.pk not in already]
    if missing:
        group.user_set.add(*missing)
    return group


def _set_managers(users: dict[str, AbstractBaseUser]) -> int:
    """Give each demo person their manager, unless they already have one."""
    changed = 0
    for username, manager_name in MANAGERS.items():
        if username not in users or manager_name not in users:
            continue
        profile, _ = Profile.objects.get_or_create(user=users[username])
        if profile.manager_id is None:
            profile.manager = users[manager_name]
            profile.save(update_fields=["manager"])
            changed += 1
    return changed


def _requirement(
    spec: RequirementSpec,
    course: CoursePage,
    group: Group,
    users: dict[str, AbstractBaseUser],
) -> tuple[TrainingRequirement, bool]:
    """The demo requirement, created (validated) with its audience when missing; an
    existing one is left as it is, edits included."""
    requirement = TrainingRequirement.objects.filter(name=spec.name).first()
    if requirement is not None:
        return requirement, False
    requirement = TrainingRequirement(name=spec.name, course=course, **spec.fields)
    requirement.full_clean()
    requirement.save()
    requirement.audience_groups.add(group)
    requirement.audience_users.add(*[users[name] for name in spec.individuals if name in users])
    return requirement, True


def _at(day: date, hour: int = 11) -> datetime:
    """``hour`` o'clock on ``day`` in the site's time zone."""
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _completed_enrollment(
    user: AbstractBaseUser,
    course: CoursePage,
    completed_on: date,
    *,
    approved_by: AbstractBaseUser | None,
) -> Enrollment:
    """A completed enrolment from the past, with every lesson done: demo history that
    the learner services (which work in the present and announce completions) cannot
    backdate. No ``course_completed`` signal is sent, so no certificate or email."""
    completed_at = _at(completed_on)
    started_at = completed_at - timedelta(days=7)
    lesson_ids = [lesson.id for lesson in course_outline(course=course).lessons]
    needs_approval = course.enrollment_policy == CoursePage.EnrollmentPolicy.APPROVAL
    enrollment = Enrollment.objects.create(
        user=user,
        course=course,
        status=Enrollment.Status.COMPLETED,
        requested_at=started_at,
        activated_at=started_at,
        completed_at=completed_at,
        decided_by=approved_by if needs_approval else None,
        progress_percent=100,
        lessons_completed=len(lesson_ids),
        last_activity_at=completed_at,
    )
    step = (completed_at - started_at) / max(len(lesson_ids), 1)
    LessonProgress.objects.bulk_create(
        LessonProgress(
            enrollment=enrollment,
            lesson_id=lesson_id,
            first_viewed_at=started_at + index * step,
            last_viewed_at=started_at + (index + 1) * step,
            completed_at=started_at + (index + 1) * step,
            views=1,
            time_spent_seconds=600,
        )
        for index, lesson_id in enumerate(lesson_ids)
    )
    return enrollment


def history(
    requirement: TrainingRequirement,
    user: AbstractBaseUser,
    story: Story,
    *,
    today: date,
    exempted_by: AbstractBaseUser | None,
    approved_by: AbstractBaseUser | None,
) -> list[Assignment]:
    """The cycles the daily sync would have left for ``story`` by ``today`` (unsaved):
    the first cycle, credited with a backdated completion, and the renewal once its
    window has opened."""
    rule = requirement.rule
    assigned_on = today - timedelta(days=story.assigned_days_ago)
    first = Assignment(
        requirement=requirement,
        user=user,
        cycle=1,
        assigned_on=assigned_on,
        opens_on=assigned_on,
        due_on=scheduling.first_due(rule, assigned_on),
    )
    rows = [first]
    if story.exemption:
        first.exempt = True
        first.exempted_on = min(today, assigned_on + timedelta(days=5))
        first.exemption_reason = story.exemption
        first.exempted_by = exempted_by
    if story.completed_days_ago is None:
        return rows
    completed_on = today - timedelta(days=story.completed_days_ago)
    first.enrollment = _completed_enrollment(
        user, requirement.course, completed_on, approved_by=approved_by
    )
    first.completed_at = first.enrollment.completed_at
    first.completed_on = completed_on
    first.expires_on = scheduling.expires_on(rule, due=first.due_on, completed_on=completed_on)
    if first.expires_on and scheduling.opens_on(rule, first.expires_on) <= today:
        opens = scheduling.opens_on(rule, first.expires_on)
        rows.append(
            Assignment(
                requirement=requirement,
                user=user,
                cycle=2,
                assigned_on=opens,
                opens_on=opens,
                due_on=first.expires_on,
                previous_expires_on=first.expires_on,
            )
        )
    return rows


def status_summary(requirement: TrainingRequirement, today: date) -> str:
    """The status counts of ``requirement`` on ``today``: "9 people: overdue 1, …"."""
    counts = Counter(
        selectors.statuses(
            as_of=today, queryset=Assignment.objects.filter(requirement=requirement)
        ).values_list("status", flat=True)
    )
    parts = [f"{status.label.lower()} {counts[status]}" for status in Status if counts[status]]
    people = sum(counts.values())
    return f"{people} {'person' if people == 1 else 'people'}: {', '.join(parts) or 'none'}"


def load(*, log: Callable[[str], None]) -> None:
    """Create the demo requirements, groups, managers and histories (once each), and
    log one line per requirement with its status counts."""
    today = selectors.local_today()
    courses = {c.slug: c for c in CoursePage.objects.filter(slug__in=[SECURITY, DATA])}
    if len(courses) < 2:
        log("Required training: skipped (the demo courses are missing)")
        return
    specs = requirement_specs(today)
    usernames = {EXEMPTED_BY, APPROVED_BY, *MANAGERS, *MANAGERS.values()}
    for spec in specs:
        usernames.update(spec.individuals, (story.username for story in spec.stories))
    for members in GROUP_MEMBERS.values():
        usernames.update(members)
    found = get_user_model().objects.filter(username__in=usernames)
    users = {user.username: user for user in found}
    groups = {name: _group_with_members(name, users) for name in GROUP_MEMBERS}
    managers_set = _set_managers(users)
    log(
        f"Groups {', '.join(groups)}; {managers_set} managers set"
        if managers_set
        else f"Groups {', '.join(groups)}; managers already set"
    )

    for spec in specs:
        course = courses[spec.course_slug]
        requirement, created = _requirement(spec, course, groups[spec.group], users)
        has_history = set(
            Assignment.objects.filter(requirement=requirement).values_list("user_id", flat=True)
        )
        rows = []
        for story in spec.stories:
            user = users.get(story.username)
            if user is None or user.pk in has_history:
                continue
            rows.extend(
                history(
                    requirement,
                    user,
                    story,
                    today=today,
                    exempted_by=users.get(EXEMPTED_BY),
                    approved_by=users.get(APPROVED_BY),
                )
            )
        Assignment.objects.bulk_create(rows)
        # The audience sync on top: it changes nothing when the stories cover everyone.
        synced = services.assignments_sync(requirement=requirement, as_of=today)
        changes = synced.created + synced.renewals + synced.closed + synced.reopened
        log(
            f"{requirement.name}: {'created' if created else 'kept'}, {len(rows)} cycles added"
            + (f", sync: {synced}" if changes else "")
            + f"; today {status_summary(requirement, today)}"
        )
