"""Who is "in progress" on a cycle: one definition, the same answer in the report's SQL,
on the dashboard and in the rule preview.

A person is in progress on a cycle with an enrolment in the course that was started by
the date, is not withdrawn or rejected by then, and is still open then or was started
while the cycle is open. An attempt completed before the cycle opened (too old to be
credited) does not count.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from compliance import selectors
from compliance.models import Assignment
from compliance.scheduling import Attempt, Status, in_progress
from compliance.selectors import reports
from learner.models import Enrollment
from tests.compliance.factories import TrainingRequirementFactory
from tests.learner.factories import EnrollmentFactory, UserFactory

D = date.fromisoformat
LONDON = ZoneInfo("Europe/London")
UTC = ZoneInfo("UTC")

#: The first cycle: assigned and open from 1 June 2026, due 1 July (not yet due soon on
#: 10 June: the largest reminder day is 14).
OPENS = D("2026-06-01")
AS_OF = D("2026-06-10")


def at(day: str, hour: int = 10, tz=LONDON) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=tz)


class TestTheRule:
    @pytest.mark.parametrize(
        ("attempt", "expected"),
        [
            (Attempt(started_on=D("2026-06-05")), True),
            (Attempt(started_on=D("2026-05-20")), True),  # started before, still open
            (Attempt(started_on=D("2024-01-05"), completed_on=D("2024-02-01")), False),
            (Attempt(started_on=D("2026-05-20"), completed_on=D("2026-05-30")), False),
            (Attempt(started_on=D("2026-05-20"), completed_on=D("2026-06-20")), True),
            (Attempt(started_on=D("2026-06-02"), completed_on=D("2026-06-08")), True),
            (Attempt(started_on=D("2026-06-02"), ended_on=D("2026-06-05")), False),
            (Attempt(started_on=D("2026-06-02"), ended_on=D("2026-06-12")), True),
            (Attempt(started_on=D("2026-06-11")), False),  # not started yet on the date
            (Attempt(started_on=None), False),  # pending or waitlisted
        ],
    )
    def test_one_attempt(self, attempt, expected):
        assert attempt.works_on(opens_on=OPENS, as_of=AS_OF) is expected
        assert in_progress([attempt], opens_on=OPENS, as_of=AS_OF) is expected

    def test_any_attempt_that_counts_is_enough(self):
        old = Attempt(started_on=D("2024-01-05"), completed_on=D("2024-02-01"))
        retake = Attempt(started_on=D("2026-06-03"))
        assert not in_progress([old], opens_on=OPENS, as_of=AS_OF)
        assert in_progress([old, retake], opens_on=OPENS, as_of=AS_OF)
        assert not in_progress([], opens_on=OPENS, as_of=AS_OF)


def enrol(user, course, *, started, completed=None, ended=None, status=None):
    if status is None:
        status = Enrollment.Status.COMPLETED if completed else Enrollment.Status.ACTIVE
    return EnrollmentFactory(
        user=user,
        course=course,
        status=status,
        requested_at=started or at("2026-06-02"),
        activated_at=started,
        completed_at=completed,
        ended_at=ended,
    )


#: (name, enrolments as (started, completed, ended, status), expected status on AS_OF)
SCENARIOS = [
    ("no enrolment", [], Status.NOT_STARTED),
    ("completed two years before the cycle: too old to be credited",
     [(at("2024-01-05"), at("2024-02-01"), None, None)], Status.NOT_STARTED),
    ("completed long ago, then a retake started in the cycle",
     [(at("2024-01-05"), at("2024-02-01"), None, None), (at("2026-06-03"), None, None, None)],
     Status.IN_PROGRESS),
    ("started before the cycle opened and still open",
     [(at("2026-05-20"), None, None, None)], Status.IN_PROGRESS),
    ("started in the cycle", [(at("2026-06-05"), None, None, None)], Status.IN_PROGRESS),
    ("started after the date (the report is as of an earlier day)",
     [(at("2026-06-12"), None, None, None)], Status.NOT_STARTED),
    ("started just after midnight, site time, after the date",
     [(datetime(2026, 6, 10, 23, 30, tzinfo=UTC), None, None, None)], Status.NOT_STARTED),
    ("withdrawn before the date",
     [(at("2026-06-02"), None, at("2026-06-05"), Enrollment.Status.WITHDRAWN)],
     Status.NOT_STARTED),
    ("withdrawn after the date",
     [(at("2026-06-02"), None, at("2026-06-12"), Enrollment.Status.WITHDRAWN)],
     Status.IN_PROGRESS),
    ("pending approval", [(None, None, None, Enrollment.Status.PENDING)], Status.NOT_STARTED),
    # The day's edges in site time (summer time: an hour ahead of UTC), which the SQL
    # compares as moments against the first moment of the next day.
    ("started at midnight, site time, on the date",
     [(datetime(2026, 6, 9, 23, 0, tzinfo=UTC), None, None, None)], Status.IN_PROGRESS),
    ("started at midnight, site time, after the date",
     [(datetime(2026, 6, 10, 23, 0, tzinfo=UTC), None, None, None)], Status.NOT_STARTED),
    ("withdrawn in the date's last minute, site time",
     [(at("2026-06-02"), None, datetime(2026, 6, 10, 22, 59, tzinfo=UTC),
       Enrollment.Status.WITHDRAWN)], Status.NOT_STARTED),
    ("withdrawn at midnight, site time, after the date",
     [(at("2026-06-02"), None, datetime(2026, 6, 10, 23, 0, tzinfo=UTC),
       Enrollment.Status.WITHDRAWN)], Status.IN_PROGRESS),
    ("started before the cycle, completed at midnight, site time, after the date",
     [(at("2026-05-20"), datetime(2026, 6, 10, 23, 0, tzinfo=UTC), None, None)],
     Status.IN_PROGRESS),
    # Counted once, however many of the person's enrolments make them in progress.
    ("withdrawn after the date, and a retake started in the cycle",
     [(at("2026-05-20"), None, at("2026-06-12"), Enrollment.Status.WITHDRAWN),
      (at("2026-06-03"), None, None, None)], Status.IN_PROGRESS),
]  # fmt: skip

#: Completions by the date that the cycle's row does not record (an uncredited attempt):
#: the rule preview replays them as credited (an approximation it documents), so only
#: the report and the dashboard are compared.
UNCREDITED_SCENARIOS = [
    ("started before the cycle, completed in the date's last minute, site time",
     [(at("2026-05-20"), datetime(2026, 6, 10, 22, 59, tzinfo=UTC), None, None)],
     Status.NOT_STARTED),
    ("started at midnight, site time, as the cycle opened, and completed",
     [(datetime(2026, 5, 31, 23, 0, tzinfo=UTC), at("2026-06-05"), None, None)],
     Status.IN_PROGRESS),
    ("started in the last minute before the cycle opened, site time, and completed",
     [(datetime(2026, 5, 31, 22, 59, tzinfo=UTC), at("2026-06-05"), None, None)],
     Status.NOT_STARTED),
]  # fmt: skip


@pytest.mark.django_db
class TestTheThreePlacesAgree:
    """The report (SQL), the dashboard (Python over the learner's rows) and the rule
    preview (the replay) give the same status for the same history."""

    def history(self, enrolments):
        learner = UserFactory()
        requirement = TrainingRequirementFactory(audience_users=[learner])
        Assignment.objects.create(
            requirement=requirement,
            user=learner,
            assigned_on=OPENS,
            opens_on=OPENS,
            due_on=D("2026-07-01"),
        )
        for started, completed, ended, status in enrolments:
            enrol(
                learner,
                requirement.course,
                started=started,
                completed=completed,
                ended=ended,
                status=status,
            )
        return learner, requirement

    @pytest.mark.parametrize(
        ("enrolments", "expected"),
        [case[1:] for case in SCENARIOS],
        ids=[case[0] for case in SCENARIOS],
    )
    def test_report_dashboard_and_preview(self, enrolments, expected):
        learner, requirement = self.history(enrolments)

        report = selectors.statuses(as_of=AS_OF).get(user=learner).status
        (dashboard,) = selectors.learner_requirements(user=learner, as_of=AS_OF)
        preview = reports.rule_preview(
            requirement=requirement, group_ids=[], user_ids=[learner.pk], as_of=AS_OF
        )

        assert report == expected
        assert dashboard.status == expected
        assert preview.statuses == {expected: 1}
        counts = selectors.status_counts(as_of=AS_OF)[requirement.pk]
        assert counts[expected] == 1

    @pytest.mark.parametrize(
        ("enrolments", "expected"),
        [case[1:] for case in UNCREDITED_SCENARIOS],
        ids=[case[0] for case in UNCREDITED_SCENARIOS],
    )
    def test_report_and_dashboard_on_uncredited_completions(self, enrolments, expected):
        learner, requirement = self.history(enrolments)

        assert selectors.statuses(as_of=AS_OF).get(user=learner).status == expected
        (dashboard,) = selectors.learner_requirements(user=learner, as_of=AS_OF)
        assert dashboard.status == expected
        assert selectors.status_counts(as_of=AS_OF)[requirement.pk][expected] == 1

    def test_an_uncredited_attempt_started_in_the_cycle_is_in_progress(self):
        # Started and finished while the cycle was open, but not credited to it (the
        # requirement was inactive then, say): the work was done in this cycle.
        learner, requirement = self.history([(at("2026-06-02"), at("2026-06-08"), None, None)])

        assert selectors.statuses(as_of=AS_OF).get(user=learner).status == Status.IN_PROGRESS
        (dashboard,) = selectors.learner_requirements(user=learner, as_of=AS_OF)
        assert dashboard.status == Status.IN_PROGRESS
