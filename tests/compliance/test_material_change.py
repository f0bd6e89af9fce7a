"""A course published with a material change reopens the required training completed on
its older revisions: a new cycle due ``FLEDGE_MATERIAL_CHANGE_DUE_DAYS`` later and one
email with the editor's note. Minor edits change nothing."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone

import pytest

from catalog.workflow import publish_course
from compliance.models import Assignment
from learner import services as learning
from learner.models import Enrollment
from notifications.models import OutgoingEmail
from tests.compliance.factories import (
    AssignmentFactory,
    completed_cycle,
    days,
    synced_requirement,
)
from tests.learner.factories import EnrollmentFactory, UserFactory, small_course

pytestmark = pytest.mark.django_db

NOTE = "A new section on reporting phishing, and the old helpdesk number is gone."


def publish(course, *, material: bool = False, note: str = "", summary: str = ""):
    """Publish a new revision of ``course``, as an editor's publish does; return it."""
    course.material_change, course.change_note = material, note
    course.summary = summary or f"{course.summary} (edited)"
    revision = course.save_revision()
    revision.publish()
    course.refresh_from_db()
    return revision


def complete(user, course) -> Enrollment:
    """``user`` completes ``course`` on its live revision."""
    enrollment = EnrollmentFactory(user=user, course=course)
    return learning.course_complete(enrollment=enrollment)


def cycles(user, requirement) -> list[Assignment]:
    return list(Assignment.objects.filter(user=user, requirement=requirement).order_by("cycle"))


@pytest.fixture
def setup(staff, settings, django_capture_on_commit_callbacks):
    """Ann and Ben complete Security on revision A."""
    settings.FLEDGE_MATERIAL_CHANGE_DUE_DAYS = 30
    course = small_course(title="Security basics").course
    revision_a = publish(course)
    ann, ben, cat = UserFactory(username="ann"), UserFactory(username="ben"), UserFactory()
    req = synced_requirement(staff, ann, ben, cat, as_of=timezone.localdate(), course=course)
    with django_capture_on_commit_callbacks(execute=True):
        complete(ann, course)
        complete(ben, course)
    mail.outbox.clear()
    return course, req, revision_a, ann, ben, cat


class TestMaterialChange:
    def test_the_completion_records_the_live_revision(self, setup):
        course, req, revision_a, ann, *_ = setup
        enrollment = Enrollment.objects.get(user=ann)
        assert enrollment.course_revision_id == revision_a.pk

    def test_a_material_change_reopens_older_completions_with_a_new_cycle(
        self, setup, django_capture_on_commit_callbacks
    ):
        course, req, revision_a, ann, ben, cat = setup
        with django_capture_on_commit_callbacks(execute=True):
            publish(course, material=True, note=NOTE)
        today = timezone.localdate()
        for person in (ann, ben):
            first, second = cycles(person, req)
            assert first.completed_on == today  # kept as history
            assert second.cycle == 2
            assert second.is_open
            assert (second.assigned_on, second.opens_on) == (today, today)
            assert second.due_on == today + timedelta(days=30)
            assert second.previous_expires_on == second.due_on
        # Cat never completed: her open first cycle is left as it is.
        assert [row.cycle for row in cycles(cat, req)] == [1]

    def test_the_due_date_follows_the_setting(self, setup, settings):
        course, req, _, ann, *_ = setup
        settings.FLEDGE_MATERIAL_CHANGE_DUE_DAYS = 10
        publish(course, material=True, note=NOTE)
        assert cycles(ann, req)[-1].due_on == timezone.localdate() + timedelta(days=10)

    def test_one_email_each_with_the_note_sent_once(
        self, setup, django_capture_on_commit_callbacks
    ):
        course, req, _, ann, ben, _ = setup
        with django_capture_on_commit_callbacks(execute=True):
            revision_b = publish(course, material=True, note=NOTE)
        with django_capture_on_commit_callbacks(execute=True):
            revision_b.publish()  # the same revision again: nothing older is left
        assert sorted(m.to[0] for m in mail.outbox) == [ann.email, ben.email]
        message = mail.outbox[0]
        assert "Security basics has changed" in message.subject
        assert NOTE in message.body
        assert NOTE in message.alternatives[0][0]
        assert OutgoingEmail.objects.filter(sent_at__isnull=False).count() == 2

    def test_only_completions_on_older_revisions_are_reopened(
        self, setup, django_capture_on_commit_callbacks
    ):
        course, req, _, ann, ben, cat = setup
        publish(course, material=True, note=NOTE)  # B: Ann and Ben reopened
        complete(cat, course)  # Cat completes on B
        assert cycles(cat, req)[-1].completed_on is not None
        publish(course, summary="Typo fixed")  # C, minor: nothing changes
        assert [len(cycles(person, req)) for person in (ann, ben, cat)] == [2, 2, 1]
        emails = OutgoingEmail.objects.count()
        publish(course, material=True, note="Another change.")  # D: Cat is now older
        assert [len(cycles(person, req)) for person in (ann, ben, cat)] == [2, 2, 2]
        assert OutgoingEmail.objects.count() == emails + 1

    def test_minor_edits_change_nothing(self, setup):
        course, req, _, ann, ben, cat = setup
        before = list(Assignment.objects.order_by("pk").values())
        publish(course, summary="Reworded the overview")
        assert list(Assignment.objects.order_by("pk").values()) == before
        assert not OutgoingEmail.objects.exists()

    def test_the_box_is_unticked_on_the_page_after_publishing(self, setup):
        course, *_ = setup
        revision = publish(course, material=True, note=NOTE)
        assert (course.material_change, course.change_note) == (False, "")
        assert revision.content["material_change"] is True  # the evidence is kept

    def test_a_credit_from_before_assignment_counts_by_its_date(self, staff, settings):
        settings.FLEDGE_MATERIAL_CHANGE_DUE_DAYS = 30
        course = small_course().course
        publish(course)
        dora = UserFactory()
        req = synced_requirement(staff, as_of=timezone.localdate(), course=course)
        completed_cycle(dora, req, completed_days_ago=40, expires_in=200)
        publish(course, material=True, note=NOTE)
        assert cycles(dora, req)[-1].due_on == timezone.localdate() + timedelta(days=30)

    def test_the_new_cycle_is_due_no_later_than_the_old_expiry(self, staff, settings):
        settings.FLEDGE_MATERIAL_CHANGE_DUE_DAYS = 30
        course = small_course().course
        publish(course)
        eve = UserFactory()
        req = synced_requirement(staff, as_of=timezone.localdate(), course=course)
        completed_cycle(eve, req, completed_days_ago=300, expires_in=12)
        publish(course, material=True, note=NOTE)
        assert cycles(eve, req)[-1].due_on == timezone.localdate() + timedelta(days=12)

    def test_an_open_renewal_due_later_is_brought_forward(self, staff, settings):
        settings.FLEDGE_MATERIAL_CHANGE_DUE_DAYS = 30
        course = small_course().course
        publish(course)
        fay = UserFactory()
        req = synced_requirement(staff, as_of=timezone.localdate(), course=course)
        completed_cycle(fay, req, completed_days_ago=320, expires_in=50)
        AssignmentFactory(
            requirement=req,
            user=fay,
            cycle=2,
            assigned_on=days(-10),
            due_on=days(50),
            previous_expires_on=days(50),
        )
        publish(course, material=True, note=NOTE)
        renewal = cycles(fay, req)[-1]
        assert (renewal.cycle, renewal.due_on) == (2, days(30))
        assert renewal.previous_expires_on == days(30)
        assert OutgoingEmail.objects.filter(recipient=fay).count() == 1

    def test_exempt_and_closed_cycles_are_left_alone(self, setup):
        course, req, _, ann, ben, _ = setup
        Assignment.objects.filter(user=ann).update(exempt=True)
        Assignment.objects.filter(user=ben).update(closed_on=timezone.localdate())
        publish(course, material=True, note=NOTE)
        assert [len(cycles(person, req)) for person in (ann, ben)] == [1, 1]

    def test_approving_a_course_review_with_the_box_ticked_reopens_too(self, setup):
        course, req, _, ann, *_ = setup
        course.material_change, course.change_note = True, NOTE
        course.save_revision()
        publish_course(course, user=None)
        assert len(cycles(ann, req)) == 2
