"""What the data set is made of: the seed, the sizes at ``--scale 1`` and those fixed
whatever the scale, the mix of statuses, ``bench-learner``'s, and the local moment of a
day that the rows are dated at."""

from dataclasses import dataclass
from datetime import date, datetime
from datetime import time as clock

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


def local_moment(day: date, hour: int = 10, minute: int = 0) -> datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, clock(hour, minute)))
