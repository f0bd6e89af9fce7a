"""Factories for required training: requirements, assignments (cycles) and calendar feeds.

Saving a requirement or changing its audience enqueues a sync on commit; pytest-django
tests never commit, so these factories build exactly the rows a test asks for. Wrap
the call in ``django_capture_on_commit_callbacks(execute=True)`` to run the sync too.
"""

from datetime import date, timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

import factory
from factory.django import DjangoModelFactory

from accounts.models import Profile
from compliance import services
from compliance.models import Assignment, CalendarFeed, TrainingRequirement
from tests.catalog.factories import CoursePageFactory
from tests.learner.factories import UserFactory


def today() -> date:
    """Today in the site's time zone (as the compliance services read it)."""
    return timezone.localdate()


def days(n: int) -> date:
    """``n`` days from today (negative: in the past)."""
    return today() + timedelta(days=n)


class GroupFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Team {n}")

    class Meta:
        model = Group
        django_get_or_create = ["name"]


class TrainingRequirementFactory(DjangoModelFactory):
    """A relative requirement: due 30 days after assignment, then every 12 months.

    Pass ``audience_groups=[...]`` or ``audience_users=[...]`` to set the audience.
    """

    name = factory.Sequence(lambda n: f"Required training {n}")
    course = factory.SubFactory(CoursePageFactory)
    due_rule = TrainingRequirement.DueRule.RELATIVE
    due_days = 30
    recurrence_months = 12
    window_days = 30
    grace_days = 14
    reminder_days = "14, 7, 1"

    class Meta:
        model = TrainingRequirement
        skip_postgeneration_save = True

    class Params:
        #: ``fixed=True``: due by 31 October each year (from the next 31 October).
        fixed = factory.Trait(
            due_rule=TrainingRequirement.DueRule.FIXED,
            due_days=None,
            due_date=factory.LazyFunction(
                lambda: _next_31_october(timezone.localdate()),
            ),
        )

    @factory.post_generation
    def audience_groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.audience_groups.add(*extracted)

    @factory.post_generation
    def audience_users(self, create, extracted, **kwargs):
        if create and extracted:
            self.audience_users.add(*extracted)


def _next_31_october(today):
    this_year = today.replace(month=10, day=31)
    return this_year if today <= this_year else this_year.replace(year=today.year + 1)


class AssignmentFactory(DjangoModelFactory):
    """A first cycle assigned today and due in 30 days; pass explicit dates for others
    (``assigned_on``, ``opens_on``, ``due_on``, ``completed_on``, ``expires_on``,
    ``previous_expires_on``)."""

    requirement = factory.SubFactory(TrainingRequirementFactory)
    user = factory.SubFactory(UserFactory)
    cycle = 1
    assigned_on = factory.LazyFunction(timezone.localdate)
    opens_on = factory.LazyAttribute(lambda o: o.assigned_on)
    due_on = factory.LazyAttribute(lambda o: o.assigned_on + timedelta(days=30))

    class Meta:
        model = Assignment


def assign(requirement, user, **fields) -> Assignment:
    """An assignment row with explicit dates ("2026-06-01" strings or dates);
    ``opens_on`` defaults to ``assigned_on``."""
    for key, value in fields.items():
        if key.endswith("_on") and isinstance(value, str):
            fields[key] = date.fromisoformat(value)
    fields.setdefault("opens_on", fields["assigned_on"])
    return Assignment.objects.create(requirement=requirement, user=user, **fields)


def completed_cycle(user, requirement, *, completed_days_ago: int, expires_in: int | None):
    """A first cycle completed ``completed_days_ago`` days ago, certified until
    ``expires_in`` days from today (None: never expires)."""
    return AssignmentFactory(
        requirement=requirement,
        user=user,
        assigned_on=days(-completed_days_ago - 20),
        opens_on=days(-completed_days_ago - 20),
        due_on=days(-completed_days_ago + 10),
        completed_at=timezone.now() - timedelta(days=completed_days_ago),
        completed_on=days(-completed_days_ago),
        expires_on=None if expires_in is None else days(expires_in),
    )


def managed_by(manager, *people) -> None:
    """Name ``manager`` as the manager of each of ``people`` (their profiles)."""
    for person in people:
        Profile.objects.update_or_create(user=person, defaults={"manager": manager})


class CalendarFeedFactory(DjangoModelFactory):
    user = factory.SubFactory(UserFactory)

    class Meta:
        model = CalendarFeed
        django_get_or_create = ["user"]


def requirement(**fields) -> TrainingRequirement:
    """A requirement saved without the factory's extras: Security, due 30 days after
    assignment, yearly, with a 30-day window; the model's defaults for the rest."""
    defaults = {
        "name": "Security",
        "course": CoursePageFactory(),
        "due_rule": "relative",
        "due_days": 30,
        "recurrence_months": 12,
        "window_days": 30,
    }
    return TrainingRequirement.objects.create(**{**defaults, **fields})


def synced_requirement(audience: Group, *people, as_of: date, **fields) -> TrainingRequirement:
    """:func:`requirement` (with ``fields``) for ``audience``, with ``people`` added to
    the group first, and its assignments synced as of ``as_of``."""
    audience.user_set.add(*people)
    created = requirement(**fields)
    created.audience_groups.add(audience)
    services.assignments_sync(requirement=created, as_of=as_of)
    return created


def requirement_form_data(requirement: TrainingRequirement | None = None, **changes) -> dict:
    """The requirement form as the browser posts it."""
    data = {
        "name": "Security",
        "course": "",
        "description": "",
        "audience_groups": [],
        "audience_users": [],
        "due_rule": "relative",
        "due_date": "",
        "due_days": "30",
        "recurrence_months": "12",
        "window_days": "30",
        "grace_days": "14",
        "renewal_basis": "completion",
        "reminder_days": "14, 7, 1",
        "overdue_every_days": "7",
        "active": "on",
    }
    if requirement is not None:
        data.update(
            name=requirement.name,
            course=str(requirement.course_id),
            audience_groups=[str(g.pk) for g in requirement.audience_groups.all()],
            audience_users=[str(u.pk) for u in requirement.audience_users.all()],
        )
    data.update(changes)
    return {key: value for key, value in data.items() if value is not False}
