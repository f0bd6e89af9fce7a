"""A known history for the records tests, made the way the app makes it (services,
the sync, the reminder job), so every row and audit entry is one the app writes."""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import Group

from certificates.models import Certificate
from compliance import services as compliance_services
from compliance.models import Assignment, TrainingRequirement
from compliance.services import notifications
from learner import services as learner_services
from learner.models import Enrollment
from tests.compliance.factories import TrainingRequirementFactory, managed_by, today
from tests.learner.factories import (
    EnrollmentFactory,
    SmallCourse,
    UserFactory,
    answer_key,
    small_course,
)


@dataclass
class History:
    person: object
    other: object
    manager: object
    course: SmallCourse
    fire: TrainingRequirement
    ethics: TrainingRequirement
    enrolment: Enrollment
    certificate: Certificate
    fire_cycle: Assignment
    ethics_cycle: Assignment


def known_history() -> History:
    """Ada Evidence is required to take "Fire safety" (due in 10 days) and "Ethics"
    (exempted: on sabbatical). She gets a reminder, fails the quiz once (0%), passes
    it (100%), completes the course and so holds a certificate. Bob Other has the same
    requirement, a reminder and an enrolment of his own."""
    person = UserFactory(
        username="ada", first_name="Ada", last_name="Evidence", email="ada@example.org"
    )
    other = UserFactory(
        username="bob", first_name="Bob", last_name="Other", email="bob@example.org"
    )
    manager = UserFactory(username="mona", first_name="Mona", last_name="Manager")
    managed_by(manager, person)
    person.groups.add(Group.objects.get_or_create(name="Warehouse")[0])
    course = small_course(title="Fire safety basics")
    fire = TrainingRequirementFactory(
        name="Fire safety", course=course.course, audience_users=[person, other], due_days=10
    )
    ethics = TrainingRequirementFactory(name="Ethics", audience_users=[person])
    for requirement in (fire, ethics):
        compliance_services.assignments_sync(requirement=requirement, as_of=today())
    ethics_cycle = Assignment.objects.get(requirement=ethics, user=person)
    compliance_services.assignment_exempt(
        assignment=ethics_cycle, by=manager, reason="On sabbatical until June"
    )
    notifications.run_reminders(as_of=today() + timedelta(days=9))

    enrolment = EnrollmentFactory(user=person, course=course.course)
    EnrollmentFactory(user=other, course=course.course)
    for lesson in (course.reading, course.last):
        learner_services.lesson_complete(enrollment=enrolment, lesson=lesson)
    for correct in (False, True):
        learner_services.quiz_submit(
            enrollment=enrolment,
            lesson=course.quiz_lesson,
            data=answer_key(course.quiz_lesson, correct=correct),
            token=str(uuid.uuid4()),
        )
    enrolment.refresh_from_db()
    return History(
        person=person,
        other=other,
        manager=manager,
        course=course,
        fire=fire,
        ethics=ethics,
        enrolment=enrolment,
        certificate=Certificate.objects.get(enrollment=enrolment),
        fire_cycle=Assignment.objects.get(requirement=fire, user=person),
        ethics_cycle=Assignment.objects.get(pk=ethics_cycle.pk),
    )
