"""Compliance changes in the audit trail: open first cycles moved by an edited rule
(``fledge.assignment.reschedule``), a requirement deleted (``fledge.requirement.delete``)
and cycles reopened by a course's material change
(``fledge.assignment.material_change``). Each writes one entry (one per requirement)
in the transaction of its change, with ids, dates and digests only."""

from django.contrib.auth.models import Group
from django.utils import timezone

from wagtail.log_actions import LogContext
from wagtail.models import ModelLogEntry

import pytest

import audit
from audit.models import AuditEntry
from compliance import services as compliance_services
from compliance.models import Assignment, TrainingRequirement
from compliance.services.material_changes import _created_ids
from learner import services as learning
from tests.audit.test_events import one_entry, only, rolled_back
from tests.compliance.factories import (
    AssignmentFactory,
    TrainingRequirementFactory,
    completed_cycle,
    days,
    requirement_form_data,
    synced_requirement,
    today,
)
from tests.compliance.screens import REQUIREMENTS_URL
from tests.learner.factories import EnrollmentFactory, UserFactory, member_of, small_course

pytestmark = pytest.mark.django_db

NOTE = "A new section on reporting phishing, and the old helpdesk number is gone."


def person(name: str):
    """Someone whose name and email must never reach a payload."""
    return UserFactory(username=name, first_name=name.title(), email=f"{name}@example.com")


def no_personal_data(entry: AuditEntry, *people) -> None:
    text = entry.payload.lower()
    assert "example.com" not in text
    for someone in people:
        assert someone.username not in text


@pytest.fixture
def compliance_admin(catalog, client):
    admin = member_of("Compliance admins", "cora")
    client.force_login(admin)
    return admin


class TestReschedule:
    def test_an_edited_rule_moves_the_open_cycles_in_one_entry_by_the_editor(
        self, client, compliance_admin
    ):
        ann, ben = person("ann"), person("ben")
        requirement = TrainingRequirementFactory(audience_users=[ann, ben], due_days=30)
        compliance_services.assignments_sync(requirement=requirement, as_of=today())
        data = requirement_form_data(requirement, due_days="60")
        assert client.post(f"{REQUIREMENTS_URL}edit/{requirement.pk}/", data).status_code == 302
        requirement.refresh_from_db()
        with one_entry("fledge.assignment.reschedule"):
            result = compliance_services.assignments_sync(requirement=requirement, as_of=today())
        assert result.rescheduled == 2
        entry = only("fledge.assignment.reschedule")
        ids = sorted(Assignment.objects.values_list("pk", flat=True))
        assert entry.data == {
            "requirement": requirement.pk,
            "assignments": ids,
            "from": days(30).isoformat(),
            "to": days(60).isoformat(),
        }
        assert entry.actor_id == compliance_admin.pk
        assert (entry.object_type, entry.object_id) == (
            "compliance.trainingrequirement",
            str(requirement.pk),
        )
        no_personal_data(entry, ann, ben)

    def test_cycles_moving_differently_are_listed_each_and_by_the_system(self):
        ann, ben = person("ann"), person("ben")
        requirement = TrainingRequirementFactory(audience_users=[ann, ben], due_days=30)
        early = AssignmentFactory(requirement=requirement, user=ann, assigned_on=days(-10))
        late = AssignmentFactory(requirement=requirement, user=ben, assigned_on=days(-5))
        requirement.due_days = 45  # changed in code: nobody's form edit
        requirement.save()
        with one_entry("fledge.assignment.reschedule"):
            compliance_services.assignments_sync(requirement=requirement, as_of=today())
        entry = only("fledge.assignment.reschedule")
        assert entry.actor_id is None
        assert entry.data["assignments"] == sorted([early.pk, late.pk])
        assert sorted(entry.data["moves"], key=lambda move: move["assignment"]) == sorted(
            [
                {"assignment": early.pk, "from": days(20).isoformat(), "to": days(35).isoformat()},
                {"assignment": late.pk, "from": days(25).isoformat(), "to": days(40).isoformat()},
            ],
            key=lambda move: move["assignment"],
        )
        assert "from" not in entry.data

    def test_a_rule_changed_in_code_after_the_form_edit_is_the_systems(
        self, client, compliance_admin
    ):
        requirement = TrainingRequirementFactory(audience_users=[person("ann")], due_days=30)
        compliance_services.assignments_sync(requirement=requirement, as_of=today())
        data = requirement_form_data(requirement, due_days="60")
        assert client.post(f"{REQUIREMENTS_URL}edit/{requirement.pk}/", data).status_code == 302
        TrainingRequirement.objects.filter(pk=requirement.pk).update(due_days=90)
        requirement.refresh_from_db()
        with one_entry("fledge.assignment.reschedule"):
            compliance_services.assignments_sync(requirement=requirement, as_of=today())
        assert only("fledge.assignment.reschedule").actor_id is None

    def test_nothing_moved_records_nothing_and_a_rollback_takes_the_entry(self):
        requirement = TrainingRequirementFactory(audience_users=[person("ann")], due_days=30)
        compliance_services.assignments_sync(requirement=requirement, as_of=today())
        compliance_services.assignments_sync(requirement=requirement, as_of=today())
        assert not AuditEntry.objects.filter(action="fledge.assignment.reschedule").exists()
        requirement.due_days = 10
        requirement.save()
        rolled_back(
            lambda: compliance_services.assignments_sync(requirement=requirement, as_of=today())
        )
        assert Assignment.objects.get().due_on == days(30)
        audit.verify_chain()


class TestRequirementDelete:
    def test_the_admin_delete_records_the_rule_and_the_assignments_removed(
        self, client, compliance_admin
    ):
        ann, ben = person("ann"), person("ben")
        group = Group.objects.create(name="Staff")
        requirement = TrainingRequirementFactory(audience_users=[ann], audience_groups=[group])
        AssignmentFactory(requirement=requirement, user=ann)
        AssignmentFactory(requirement=requirement, user=ben)
        pk = requirement.pk
        with one_entry("fledge.requirement.delete"):
            response = client.post(f"{REQUIREMENTS_URL}delete/{pk}/")
        assert response.status_code == 302
        assert not TrainingRequirement.objects.filter(pk=pk).exists()
        entry = only("fledge.requirement.delete")
        assert entry.actor_id == compliance_admin.pk
        assert entry.data["requirement"] == pk
        assert entry.data["assignments_removed"] == 2
        rule = entry.data["rule"]
        assert (rule["due_days"], rule["recurrence_months"]) == (30, 12)
        assert rule["audience_groups"] == [group.pk]
        assert rule["audience_users"] == [audit.pseudonym(ann.pk)]
        no_personal_data(entry, ann, ben)
        # Site history keeps it, labelled, though the requirement is gone.
        log = ModelLogEntry.objects.get(action="fledge.requirement.delete")
        assert (log.object_id, log.user_id) == (str(pk), compliance_admin.pk)

    def test_a_delete_in_code_is_recorded_by_the_system(self):
        requirements = TrainingRequirementFactory.create_batch(2)
        with one_entry("fledge.requirement.delete"):
            requirements[0].delete()
        assert only("fledge.requirement.delete").actor_id is None
        before = AuditEntry.objects.count()
        TrainingRequirement.objects.filter(pk=requirements[1].pk).delete()
        assert AuditEntry.objects.count() == before + 1
        audit.verify_chain()

    def test_a_rolled_back_delete_leaves_no_entry(self):
        requirement = TrainingRequirementFactory()
        AssignmentFactory(requirement=requirement)
        pk = requirement.pk
        rolled_back(requirement.delete)
        assert TrainingRequirement.objects.filter(pk=pk).exists()
        assert Assignment.objects.filter(requirement_id=pk).count() == 1
        audit.verify_chain()


def publish(course, *, material: bool = False, note: str = ""):
    """Publish a new revision of ``course``, as an editor's publish does; return it."""
    course.material_change, course.change_note = material, note
    course.summary = f"{course.summary} (edited)"
    revision = course.save_revision()
    revision.publish()
    course.refresh_from_db()
    return revision


@pytest.fixture
def completed(settings, django_capture_on_commit_callbacks):
    """Ann and Ben complete the course of a requirement on its first revision."""
    settings.FLEDGE_MATERIAL_CHANGE_DUE_DAYS = 30
    course = small_course(title="Security basics").course
    publish(course)
    ann, ben = person("ann"), person("ben")
    staff = Group.objects.create(name="Staff")
    requirement = synced_requirement(staff, ann, ben, as_of=timezone.localdate(), course=course)
    with django_capture_on_commit_callbacks(execute=True):
        for someone in (ann, ben):
            learning.course_complete(enrollment=EnrollmentFactory(user=someone, course=course))
    return course, requirement, ann, ben


class TestMaterialChange:
    def test_the_new_cycles_are_one_entry_with_the_cycles_they_supersede(self, completed):
        course, requirement, ann, ben = completed
        first = {a.user_id: a.pk for a in Assignment.objects.filter(cycle=1)}
        with one_entry("fledge.assignment.material_change"):
            revision = publish(course, material=True, note=NOTE)
        new = {a.user_id: a for a in Assignment.objects.filter(cycle=2)}
        entry = only("fledge.assignment.material_change")
        due = days(30).isoformat()
        assert entry.data == {
            "requirement": requirement.pk,
            "course": course.pk,
            "revision": revision.pk,
            "due": due,
            "assignments": sorted(a.pk for a in new.values()),
            "cycles": sorted(
                (
                    {"assignment": new[user].pk, "superseded": first[user], "due": due}
                    for user in (ann.pk, ben.pk)
                ),
                key=lambda cycle: cycle["assignment"],
            ),
            "note_digest": audit.text_digest(NOTE),
        }
        assert entry.actor_id is None  # no admin user: a scheduled publish, say
        assert "phishing" not in entry.payload
        no_personal_data(entry, ann, ben)
        log = ModelLogEntry.objects.get(action="fledge.assignment.material_change")
        assert log.data["note"] == NOTE  # shown in Site history, not hashed

    def test_one_entry_per_requirement_by_the_publisher(self, completed):
        course, requirement, ann, _ = completed
        other = TrainingRequirementFactory(course=course, audience_users=[ann])
        completed_cycle(ann, other, completed_days_ago=10, expires_in=300)
        editor = UserFactory()
        before = AuditEntry.objects.count()
        with LogContext(user=editor):
            publish(course, material=True, note=NOTE)
        entries = AuditEntry.objects.filter(
            sequence__gt=before, action="fledge.assignment.material_change"
        )
        assert sorted(entry.data["requirement"] for entry in entries) == sorted(
            [requirement.pk, other.pk]
        )
        assert {entry.actor_id for entry in entries} == {editor.pk}
        audit.verify_chain()

    def test_a_renewal_brought_forward_shows_its_old_due_date(self, settings):
        settings.FLEDGE_MATERIAL_CHANGE_DUE_DAYS = 30
        course = small_course().course
        publish(course)
        fay = person("fay")
        requirement = TrainingRequirementFactory(course=course, audience_users=[fay])
        done = completed_cycle(fay, requirement, completed_days_ago=320, expires_in=50)
        renewal = AssignmentFactory(
            requirement=requirement,
            user=fay,
            cycle=2,
            assigned_on=days(-10),
            due_on=days(50),
            previous_expires_on=days(50),
        )
        with one_entry("fledge.assignment.material_change"):
            publish(course, material=True, note=NOTE)
        assert only("fledge.assignment.material_change").data["cycles"] == [
            {
                "assignment": renewal.pk,
                "superseded": done.pk,
                "due": days(30).isoformat(),
                "from": days(50).isoformat(),
            }
        ]

    def test_a_minor_edit_records_nothing_and_a_rollback_takes_the_entry(self, completed):
        course, *_ = completed
        publish(course)
        assert not AuditEntry.objects.filter(action="fledge.assignment.material_change").exists()
        rolled_back(lambda: publish(course, material=True, note=NOTE))
        assert not Assignment.objects.filter(cycle=2).exists()
        audit.verify_chain()

    def test_a_cycle_the_sync_created_first_is_not_taken_for_a_new_one(self, completed):
        _, requirement, ann, _ = completed
        intended = Assignment(
            requirement=requirement,
            user=ann,
            cycle=2,
            assigned_on=today(),
            opens_on=today(),
            due_on=days(30),
            previous_expires_on=days(30),
        )
        AssignmentFactory(
            requirement=requirement,
            user=ann,
            cycle=2,
            assigned_on=today(),
            due_on=days(200),
            previous_expires_on=days(200),
        )
        assert _created_ids([intended], today=today()) == {}
