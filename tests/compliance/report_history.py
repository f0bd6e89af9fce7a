"""The known history that the report tests read: two requirements and one person in
each status on 15 June 2026, and what the summary shows of it."""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from compliance.models import TrainingRequirement
from compliance.scheduling import Status
from compliance.selectors import reports
from tests.catalog.factories import CoursePageFactory
from tests.compliance.factories import TrainingRequirementFactory, assign
from tests.learner.factories import EnrollmentFactory, UserFactory

LONDON = ZoneInfo("Europe/London")
#: The known history is read on these two dates.
JUNE = "2026-06-15"
JANUARY = "2026-01-10"


@dataclass
class History:
    """Security (due 30 days after assignment, yearly, reminders 14/7/1) and Fire
    safety, with one person in each status on 15 June 2026."""

    security: TrainingRequirement
    fire: TrainingRequirement
    people: dict[str, object]


def build_history() -> History:
    # No audience: the rows below are the whole history (no sync adds to it).
    security = TrainingRequirementFactory(
        name="Security", course=CoursePageFactory(title="Security basics")
    )
    fire = TrainingRequirementFactory(name="Fire safety", course=CoursePageFactory(title="Fire"))
    names = ["compliant", "due_soon", "overdue", "expired", "exempt", "not_started"]
    people = {
        name: UserFactory(username=name, first_name=name.title(), last_name="Person")
        for name in [*names, "in_progress", "leaver"]
    }
    # Compliant from 20 January 2026 (not yet done on 10 January: not started then).
    assign(
        security,
        people["compliant"],
        assigned_on="2026-01-01",
        due_on="2026-01-31",
        completed_on="2026-01-20",
        expires_on="2027-01-20",
    )
    # Due on 20 June: within the largest reminder day (14) on 15 June.
    assign(security, people["due_soon"], assigned_on="2026-05-20", due_on="2026-06-20")
    assign(security, people["overdue"], assigned_on="2026-04-01", due_on="2026-05-01")
    # Certified until 15 January 2026; the renewal opened on 16 December and is not done.
    assign(
        security,
        people["expired"],
        assigned_on="2025-01-01",
        due_on="2025-01-31",
        completed_on="2025-01-15",
        expires_on="2026-01-15",
    )
    assign(
        security,
        people["expired"],
        cycle=2,
        assigned_on="2025-12-16",
        due_on="2026-01-15",
        previous_expires_on="2026-01-15",
    )
    assign(
        security,
        people["exempt"],
        assigned_on="2026-03-01",
        due_on="2026-03-31",
        exempt=True,
        exempted_on="2026-03-10",
        exemption_reason="Trained elsewhere",
    )
    assign(security, people["not_started"], assigned_on="2026-06-01", due_on="2026-07-01")
    assign(security, people["in_progress"], assigned_on="2026-06-01", due_on="2026-07-01")
    EnrollmentFactory(
        user=people["in_progress"],
        course=security.course,
        activated_at=datetime(2026, 6, 2, 10, tzinfo=LONDON),
    )
    # Overdue in January, then left the audience on 1 May.
    assign(
        security,
        people["leaver"],
        assigned_on="2025-12-01",
        due_on="2025-12-31",
        closed_on="2026-05-01",
    )
    assign(fire, people["overdue"], assigned_on="2026-04-01", due_on="2026-05-01")
    return History(security=security, fire=fire, people=people)


def summary_rows(response) -> dict[str, reports.StatusCounts]:
    """The summary's figures by requirement name."""
    return {row.requirement.name: row.figures for row in response.context["rows"]}


def counts(figures: reports.StatusCounts) -> dict[str, int]:
    """The number assigned and each status that has anyone in it."""
    found = {status.value: figures.count(status) for status in Status}
    return {"assigned": figures.assigned, **{k: v for k, v in found.items() if v}}
