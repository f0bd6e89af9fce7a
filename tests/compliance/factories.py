"""Factories for required training: requirements, assignments (cycles) and calendar feeds.

Saving a requirement or changing its audience enqueues a sync on commit; pytest-django
tests never commit, so these factories build exactly the rows a test asks for. Wrap
the call in ``django_capture_on_commit_callbacks(execute=True)`` to run the sync too.
"""

from datetime import timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

import factory
from factory.django import DjangoModelFactory

from compliance.models import Assignment, CalendarFeed, TrainingRequirement
from tests.catalog.factories import CoursePageFactory
from tests.learner.factories import UserFactory


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


class CalendarFeedFactory(DjangoModelFactory):
    user = factory.SubFactory(UserFactory)

    class Meta:
        model = CalendarFeed
        django_get_or_create = ["user"]


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
