"""The reminder queue works on sets: one ``INSERT … SELECT`` queues exactly the messages
the scheduling rules (:func:`compliance.scheduling.reminder_step`,
:func:`~compliance.scheduling.overdue_step`) give, on awkward dates and reminder days,
and queues nothing twice."""

from datetime import date, timedelta

from django.utils import timezone

import pytest

from accounts.models import Profile
from compliance import scheduling
from compliance.models import Assignment, NotificationLog, parse_reminder_days
from compliance.selectors.reminders import due_reminder_steps
from compliance.services import notifications
from tests.catalog.factories import CoursePageFactory
from tests.compliance.factories import TrainingRequirementFactory
from tests.learner.factories import UserFactory

pytestmark = pytest.mark.django_db
D = date.fromisoformat

#: (reminder days as an editor types them, overdue every days): repeats off, a
#: reminder on the due day, duplicates and stray commas, none at all, a whole year.
RULES = [
    ("14, 7, 1", 7),
    ("0", 0),
    ("", 3),
    ("30,0, 1", 1),
    (" 7,7 ,,3", 2),
    ("365", 0),
    ("1", 30),
]
#: Due dates around a leap day, a year end and a month end of 31 days.
DUE_SPANS = [
    (D("2028-02-01"), D("2028-03-31")),
    (D("2026-12-10"), D("2027-01-20")),
    (D("2026-07-01"), D("2026-08-10")),
]
AS_OF_DAYS = [
    D("2028-02-28"),
    D("2028-02-29"),
    D("2028-03-01"),
    D("2028-03-08"),
    D("2026-12-31"),
    D("2027-01-01"),
    D("2027-01-14"),
    D("2026-07-31"),
    D("2026-08-01"),
    D("2026-08-09"),
]


def every_day(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


@pytest.fixture
def cycles() -> None:
    """Open cycles of every rule, due on every day of :data:`DUE_SPANS`, for a person
    with a manager and one without; some completed, closed or exempt; and the same on
    an inactive requirement."""
    course = CoursePageFactory()
    managed, alone = UserFactory(), UserFactory()
    Profile.objects.create(user=managed, manager=UserFactory())
    requirements = [
        TrainingRequirementFactory(course=course, reminder_days=days, overdue_every_days=every)
        for days, every in RULES
    ]
    requirements.append(TrainingRequirementFactory(course=course, active=False))
    due_dates = [day for first, last in DUE_SPANS for day in every_day(first, last)]
    rows = []
    for requirement in requirements:
        for user in (managed, alone):
            for cycle, due in enumerate(due_dates, start=1):
                rows.append(
                    Assignment(
                        requirement=requirement,
                        user=user,
                        cycle=cycle,
                        assigned_on=due - timedelta(days=40),
                        opens_on=due - timedelta(days=30),
                        due_on=due,
                        completed_on=due - timedelta(days=2) if cycle % 11 == 0 else None,
                        closed_on=due - timedelta(days=5) if cycle % 13 == 0 else None,
                        exempt=cycle % 17 == 0,
                    )
                )
    Assignment.objects.bulk_create(rows)


def by_the_rules(as_of: date) -> set[tuple]:
    """``(key, assignment, recipient, kind, step, cc manager)`` of each message due on
    ``as_of``, from the pure scheduling functions, row by row."""
    managers = dict(Profile.objects.values_list("user_id", "manager_id"))
    expected = set()
    for a in Assignment.objects.select_related("requirement"):
        requirement = a.requirement
        if not (
            requirement.active
            and a.completed_on is None
            and a.closed_on is None
            and not a.exempt
            and a.opens_on <= as_of
            and a.assigned_on <= as_of
        ):
            continue
        if as_of > a.due_on:
            kind = "overdue"
            every = requirement.overdue_every_days
            step = scheduling.overdue_step(as_of=as_of, due=a.due_on, every_days=every)
        else:
            kind = "before_due"
            rule = scheduling.Rule.relative(
                0, reminder_days=parse_reminder_days(requirement.reminder_days)
            )
            step = scheduling.reminder_step(rule, as_of=as_of, due=a.due_on)
        if step is not None:
            cc = kind == "overdue" and managers.get(a.user_id) is not None
            expected.add((f"a{a.pk}:{kind}:{step}", a.pk, a.user_id, kind, step, cc))
    return expected


def queued() -> set[tuple]:
    return set(
        NotificationLog.objects.values_list(
            "key", "assignment_id", "recipient_id", "kind", "step", "cc_manager"
        )
    )


class TestSameMessagesAsTheRules:
    @pytest.mark.usefixtures("cycles")
    def test_queue_and_preview_equal_the_scheduling_rules_on_awkward_days(self):
        kinds = set()
        for as_of in AS_OF_DAYS:
            expected = by_the_rules(as_of)
            assert expected, as_of
            kinds |= {(row[3], row[4], row[5]) for row in expected}
            preview = {
                (m.key, m.assignment_id, m.recipient_id, m.kind, m.step, m.cc_manager)
                for m in notifications.due_messages(as_of)
            }
            assert preview == expected, as_of
            assert notifications.queue_reminders(as_of=as_of) == len(expected), as_of
            assert queued() == expected, as_of
            NotificationLog.objects.all().delete()
        # The days cover the edge cases: the due day, a reminder on it, repeats off,
        # later repeats, and the manager copied on overdue messages only.
        assert {("before_due", 0, False), ("overdue", 0, True), ("overdue", 0, False)} <= kinds
        assert any(kind == "overdue" and step > 1 for kind, step, _ in kinds)
        assert ("before_due", 365, False) in kinds

    def test_a_cycle_due_today_gets_the_reminder_of_day_zero_else_the_smallest(self):
        course = CoursePageFactory()
        user = UserFactory()
        today = D("2026-06-17")
        for days in ("7, 0", "7, 1"):
            requirement = TrainingRequirementFactory(course=course, reminder_days=days)
            Assignment.objects.create(
                requirement=requirement,
                user=user,
                assigned_on=today,
                opens_on=today,
                due_on=today,
            )
        rows = due_reminder_steps(as_of=today).order_by("requirement__reminder_days")
        assert [(row["kind"], row["step"]) for row in rows] == [
            ("before_due", 0),
            ("before_due", 1),
        ]


class TestQueueingOnce:
    @pytest.mark.usefixtures("cycles")
    def test_running_twice_inserts_nothing_the_second_time(self):
        as_of = D("2028-02-29")
        first = notifications.queue_reminders(as_of=as_of)
        rows = queued()
        assert first == len(rows) > 0
        assert notifications.queue_reminders(as_of=as_of) == 0
        assert queued() == rows

    @pytest.mark.usefixtures("cycles")
    def test_a_message_already_in_the_log_is_skipped_and_left_alone(self):
        as_of = D("2027-01-01")
        key, assignment, recipient, kind, step, cc = min(by_the_rules(as_of))
        sent_at = timezone.now() - timedelta(days=1)
        NotificationLog.objects.create(
            key=key,
            kind=kind,
            step=step,
            assignment_id=assignment,
            recipient_id=recipient,
            cc_manager=cc,
            created_at=sent_at,
            sent_at=sent_at,
        )
        assert notifications.queue_reminders(as_of=as_of) == len(by_the_rules(as_of)) - 1
        assert NotificationLog.objects.get(key=key).sent_at == sent_at

    @pytest.mark.usefixtures("cycles")
    def test_new_rows_are_unsent_with_the_models_defaults(self):
        before = timezone.now()
        notifications.queue_reminders(as_of=D("2028-03-01"))
        log = NotificationLog.objects.order_by("pk").first()
        assert (log.sent_at, log.lease_until, log.lease_token, log.attempts, log.error) == (
            None,
            None,
            "",
            0,
            "",
        )
        assert before <= log.created_at <= timezone.now()

    @pytest.mark.usefixtures("cycles")
    def test_two_queries_however_many_cycles_are_open(self, django_assert_num_queries):
        with django_assert_num_queries(2):  # the reminder days, then INSERT … SELECT
            assert notifications.queue_reminders(as_of=D("2026-08-01")) > 100
