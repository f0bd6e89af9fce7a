"""Expiry: valid through the same calendar day months after completion, to the end of
that day in the site's time zone; and status at a moment."""

import importlib
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.apps import apps

import pytest

from certificates.expiry import (
    add_months,
    certificate_expiry,
    certificate_valid_until,
    expiry_moment,
    last_valid_day,
)
from certificates.models import Certificate
from tests.certificates.factories import completed_enrollment, issued_certificate

LONDON = ZoneInfo("Europe/London")
Status = Certificate.Status


class TestAddMonths:
    @pytest.mark.parametrize(
        ("start", "months", "expected"),
        [
            (date(2027, 1, 31), 1, date(2027, 2, 28)),
            (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
            (date(2028, 2, 29), 12, date(2029, 2, 28)),
            (date(2026, 3, 31), 1, date(2026, 4, 30)),
            (date(2026, 11, 15), 2, date(2027, 1, 15)),
            (date(2026, 12, 31), 1, date(2027, 1, 31)),
            (date(2026, 8, 31), 6, date(2027, 2, 28)),
            (date(2026, 5, 10), 0, date(2026, 5, 10)),
            (date(2026, 1, 15), 120, date(2036, 1, 15)),
        ],
    )
    def test_adds_calendar_months_clamping_to_the_month_end(self, start, months, expected):
        assert add_months(start, months) == expected

    def test_keeps_local_time_across_a_clock_change(self):
        # 10:00 in London in winter (UTC+0) is 10:00 in summer (UTC+1) too.
        start = datetime(2027, 1, 31, 10, 0, tzinfo=LONDON)

        result = add_months(start, 6)

        assert result == datetime(2027, 7, 31, 10, 0, tzinfo=LONDON)
        assert result.utcoffset() == timedelta(hours=1)


@pytest.mark.django_db
class TestCertificateExpiry:
    """Valid through the same calendar day ``validity`` months after the completion, to
    the end of that day in the site's time zone; expired from the next midnight."""

    def test_validity_months_count_from_completion(self):
        completed = datetime(2027, 1, 31, 15, 0, tzinfo=UTC)
        enrollment = completed_enrollment(as_of=completed, certificate_validity_months=1)

        assert certificate_valid_until(enrollment) == date(2027, 2, 28)
        assert certificate_expiry(enrollment) == datetime(2027, 3, 1, 0, 0, tzinfo=LONDON)

    def test_the_issued_certificate_carries_that_expiry(self):
        completed = datetime(2028, 1, 31, 9, 0, tzinfo=UTC)

        certificate = issued_certificate(as_of=completed, certificate_validity_months=1)

        assert certificate.valid_until == date(2028, 2, 29)
        assert certificate.expires_at == datetime(2028, 3, 1, 0, 0, tzinfo=LONDON)

    def test_month_end_is_taken_in_the_site_time_zone(self):
        # 23:30 UTC on 30 April is 00:30 on 1 May in London: a month later is 1 June.
        completed = datetime(2027, 4, 30, 23, 30, tzinfo=UTC)
        enrollment = completed_enrollment(as_of=completed, certificate_validity_months=1)

        assert certificate_valid_until(enrollment) == date(2027, 6, 1)
        assert certificate_expiry(enrollment) == datetime(2027, 6, 2, 0, 0, tzinfo=LONDON)

    def test_valid_to_the_end_of_the_last_day_whatever_the_completion_time(self):
        # Completed in the afternoon: still valid that evening a year on, as a due date
        # is met until the end of its day.
        completed = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
        certificate = issued_certificate(as_of=completed, certificate_validity_months=12)

        assert certificate.valid_until == date(2027, 12, 1)
        last_minute = datetime(2027, 12, 1, 23, 59, 59, tzinfo=LONDON)
        assert certificate.status_on(last_minute) == Status.VALID
        assert certificate.status_on(last_minute + timedelta(seconds=1)) == Status.EXPIRED

    def test_blank_validity_never_expires(self):
        enrollment = completed_enrollment(certificate_validity_months=None)

        assert certificate_expiry(enrollment) is None
        assert certificate_valid_until(enrollment) is None


class TestLastValidDay:
    def test_is_the_inverse_of_the_expiry_moment(self, settings):
        settings.TIME_ZONE = "Europe/London"
        for day in (date(2027, 3, 28), date(2027, 10, 31), date(2028, 2, 29)):  # clock changes
            assert last_valid_day(expiry_moment(day)) == day

    def test_an_expiry_stored_at_another_time_of_day_is_valid_through_that_day(self):
        # Certificates issued before the rule was one stored the completion's time of day.
        assert last_valid_day(datetime(2027, 12, 1, 14, 30, tzinfo=LONDON)) == date(2027, 12, 1)


@pytest.mark.django_db
class TestStatusAtAMoment:
    def test_valid_until_the_expiry_then_expired(self):
        completed = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)
        certificate = issued_certificate(as_of=completed, certificate_validity_months=12)
        expiry = certificate.expires_at

        assert certificate.status_on(expiry - timedelta(seconds=1)) == Status.VALID
        assert certificate.status_on(expiry) == Status.EXPIRED
        assert certificate.status_on(datetime(2030, 1, 1, tzinfo=UTC)) == Status.EXPIRED

    def test_revoked_wins_over_expired(self):
        certificate = issued_certificate(certificate_validity_months=1)
        certificate.revoked_at = certificate.issued_at + timedelta(days=1)

        later = certificate.issued_at + timedelta(days=400)
        assert certificate.status_on(later) == Status.REVOKED
        assert certificate.status_on(certificate.issued_at) == Status.VALID

    def test_database_status_filter_agrees_with_the_model(self):
        start = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)
        valid = issued_certificate(as_of=start, certificate_validity_months=24)
        expired = issued_certificate(as_of=start, certificate_validity_months=1)
        forever = issued_certificate(as_of=start)
        revoked = issued_certificate(as_of=start)
        Certificate.objects.filter(pk=revoked.pk).update(revoked_at=start + timedelta(days=2))
        as_of = datetime(2026, 6, 1, tzinfo=UTC)

        def numbers(status):
            rows = Certificate.objects.with_status(status, as_of=as_of)
            return set(rows.values_list("number", flat=True))

        assert numbers(Status.VALID) == {valid.number, forever.number}
        assert numbers(Status.EXPIRED) == {expired.number}
        assert numbers(Status.REVOKED) == {revoked.number}
        for certificate in Certificate.objects.all():
            assert certificate.number in numbers(certificate.status_on(as_of))


@pytest.mark.django_db
class TestExpiryFromRequiredTraining:
    def test_a_recurring_requirement_sets_expiry_to_the_end_of_the_cycle(self, settings):
        from django.contrib.auth.models import Group

        from compliance import services as compliance
        from compliance.models import Assignment, TrainingRequirement
        from learner import services as learning
        from tests.learner.factories import EnrollmentFactory, UserFactory, small_course

        settings.TIME_ZONE = "Europe/London"
        course = small_course(issues_certificate=True, certificate_validity_months=36)
        learner = UserFactory()
        staff = Group.objects.create(name="Staff")
        staff.user_set.add(learner)
        requirement = TrainingRequirement.objects.create(
            name="Yearly", course=course.course, due_rule="relative", due_days=30,
            recurrence_months=12,
        )  # fmt: skip
        requirement.audience_groups.add(staff)
        compliance.assignments_sync(requirement=requirement, as_of=date(2026, 3, 1))
        enrollment = EnrollmentFactory(user=learner, course=course.course)
        completed = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)
        for lesson in course.lessons:
            learning.lesson_complete(enrollment=enrollment, lesson=lesson, as_of=completed)

        assignment = Assignment.objects.get(user=learner)
        assert assignment.expires_on == date(2027, 3, 10)
        certificate = Certificate.objects.get(enrollment=enrollment)
        # Valid through the renewal's due date, in the site's time zone.
        assert certificate.expires_at == datetime(2027, 3, 11, 0, 0, tzinfo=LONDON)
        assert certificate.valid_until == assignment.expires_on


@pytest.mark.django_db
class TestOlderCertificates:
    def test_the_migration_moves_an_expiry_to_the_end_of_its_day(self, settings):
        migration = importlib.import_module(
            "certificates.migrations.0002_expiry_at_the_end_of_the_last_day"
        )
        settings.TIME_ZONE = "Europe/London"
        old = issued_certificate(certificate_validity_months=12)
        midnight = issued_certificate(certificate_validity_months=12)
        Certificate.objects.filter(pk=old.pk).update(
            expires_at=datetime(2027, 12, 1, 14, 30, tzinfo=LONDON)  # the old rule's time of day
        )
        Certificate.objects.filter(pk=midnight.pk).update(
            expires_at=datetime(2027, 3, 11, 0, 0, tzinfo=LONDON)
        )

        migration.expire_at_the_end_of_the_day(apps, None)

        old.refresh_from_db()
        midnight.refresh_from_db()
        assert old.expires_at == datetime(2027, 12, 2, 0, 0, tzinfo=LONDON)
        assert old.valid_until == date(2027, 12, 1)
        assert midnight.expires_at == datetime(2027, 3, 11, 0, 0, tzinfo=LONDON)
