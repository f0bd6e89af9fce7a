"""The assignment sync works on sets: its statements do not grow with the audience
(inserts aside, which Django splits by the database's parameter limit), it decides over
values read before it writes, and it batches long id lists."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from compliance import services
from compliance.models import Assignment
from compliance.services import assignments as assignment_services
from compliance.signals import assignments_created
from learner.models import Enrollment
from tests.compliance.factories import requirement, synced_requirement
from tests.learner.factories import EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db
D = date.fromisoformat


def people(group: Group, count: int) -> list[int]:
    """``count`` active people in ``group``, inserted in bulk (no signals, no hashing)."""
    User = get_user_model()
    start = User.objects.count()
    users = User.objects.bulk_create(
        [User(username=f"person-{start + n}", email="") for n in range(count)]
    )
    Group.user_set.through.objects.bulk_create(
        [Group.user_set.through(group=group, user=user) for user in users]
    )
    return [user.pk for user in users]


def statements(function) -> list[str]:
    """The SQL statements ``function`` ran, INSERTs left out: a bulk insert is split by
    the database's parameter limit (62 rows on SQLite), which is not the sync's doing."""
    with CaptureQueriesContext(connection) as captured:
        function()
    return [
        query["sql"]
        for query in captured.captured_queries
        if not query["sql"].lstrip().upper().startswith("INSERT")
    ]


def lifecycle(size: int) -> list[int]:
    """A requirement of ``size`` people through every kind of change, as the number of
    statements of each sync: first cycles, the same day again, everyone leaving, coming
    back, an edited rule, and renewals. Caches start empty (content types and the
    webhooks' subscribed event types are read once, then cached)."""
    cache.clear()
    ContentType.objects.clear_cache()
    staff = Group.objects.create(name=f"Staff {size}")
    ids = people(staff, size)
    training = requirement()
    training.audience_groups.add(staff)
    counts = []

    def sync(day: str, **expected) -> None:
        result = []
        counts.append(
            len(
                statements(
                    lambda: result.append(
                        services.assignments_sync(requirement=training, as_of=D(day))
                    )
                )
            )
        )
        for name, value in expected.items():
            assert getattr(result[0], name) == value, name

    sync("2026-01-15", created=size)
    sync("2026-01-15", created=0, closed=0, renewals=0, rescheduled=0)
    training.audience_groups.remove(staff)
    sync("2026-01-16", closed=size)
    training.audience_groups.add(staff)
    sync("2026-01-17", reopened=size)
    training.due_days = 45
    training.save()
    sync("2026-01-18", rescheduled=size)
    Assignment.objects.filter(requirement=training).update(
        completed_on=D("2026-02-01"), expires_on=D("2027-02-01")
    )
    sync("2027-01-10", renewals=size)
    assert Assignment.objects.filter(requirement=training, cycle=2).count() == size
    assert set(Assignment.objects.values_list("user_id", flat=True)) >= set(ids)
    return counts


class TestStatementCount:
    def test_hundreds_of_people_take_the_statements_of_three(self):
        assert lifecycle(900) == lifecycle(3)

    def test_a_sync_that_changes_nothing_is_three_reads(self, staff):
        people(staff, 50)
        training = synced_requirement(staff, as_of=D("2026-01-15"))
        reads = statements(
            lambda: services.assignments_sync_requirement(training, as_of=D("2026-01-16"))
        )
        # The audience, each person's latest cycle, the rescheduling check (and the
        # savepoint of the requirement's transaction around them).
        assert len([sql for sql in reads if sql.upper().startswith("SELECT")]) == 3

    def test_existing_cycles_are_read_as_values_not_model_instances(self, staff, monkeypatch):
        """What made the sync slow: every assignment of the requirement loaded as an
        object. Now no stored cycle becomes an instance, whatever changes."""
        stays, leaves, renews = UserFactory(), UserFactory(), UserFactory()
        training = synced_requirement(staff, stays, leaves, renews, as_of=D("2026-01-15"))
        Assignment.objects.filter(user=renews).update(
            completed_on=D("2026-02-01"), expires_on=D("2026-12-20")
        )
        staff.user_set.remove(leaves)
        staff.user_set.add(UserFactory())
        training.due_days = 45
        training.save()

        def no_instances(cls, *args, **kwargs):
            raise AssertionError("an Assignment was loaded as a model instance")

        monkeypatch.setattr(Assignment, "from_db", classmethod(no_instances))
        result = services.assignments_sync(requirement=training, as_of=D("2026-12-01"))
        assert (result.created, result.closed, result.renewals, result.rescheduled) == (
            1,
            1,
            1,
            1,
        )


class TestDecidedOverWhatWasRead:
    def test_a_credited_newcomer_is_renewed_by_the_next_sync_not_the_same(self, staff):
        """Credited with a completion 350 days old, the first cycle expires in 15 days,
        inside the 30-day window: its renewal opens on the next run, as before."""
        learner = UserFactory()
        staff.user_set.add(learner)
        training = requirement()
        EnrollmentFactory(
            user=learner,
            course=training.course,
            status=Enrollment.Status.COMPLETED,
            completed_at=datetime(2025, 1, 30, 12, tzinfo=ZoneInfo("UTC")),
        )
        training.audience_groups.add(staff)
        first = services.assignments_sync(requirement=training, as_of=D("2026-01-15"))
        assert (first.created, first.credited, first.renewals) == (1, 1, 0)
        again = services.assignments_sync(requirement=training, as_of=D("2026-01-15"))
        assert (again.created, again.renewals) == (0, 1)
        renewal = Assignment.objects.get(user=learner, cycle=2)
        assert (renewal.due_on, renewal.previous_expires_on) == (D("2026-01-30"),) * 2

    def test_only_the_latest_cycle_of_a_leaver_is_closed(self, staff):
        learner = UserFactory()
        training = synced_requirement(staff, learner, as_of=D("2026-01-15"))
        Assignment.objects.filter(user=learner).update(
            completed_on=D("2026-02-01"), expires_on=D("2027-02-01")
        )
        assert services.assignments_sync(requirement=training, as_of=D("2027-01-10")).renewals
        staff.user_set.remove(learner)
        assert services.assignments_sync(requirement=training, as_of=D("2027-01-11")).closed == 1
        first, renewal = Assignment.objects.filter(user=learner).order_by("cycle")
        assert (first.closed_on, renewal.closed_on) == (None, D("2027-01-11"))

    def test_a_renewal_carries_the_exemption_of_the_cycle_it_renews(self, staff):
        learner, admin = UserFactory(), UserFactory()
        training = synced_requirement(staff, learner, as_of=D("2026-01-15"))
        Assignment.objects.filter(user=learner).update(
            completed_on=D("2026-02-01"),
            expires_on=D("2027-02-01"),
            exempt=True,
            exempted_on=D("2026-01-20"),
            exemption_reason="On secondment",
            exempted_by=admin,
        )
        services.assignments_sync(requirement=training, as_of=D("2027-01-10"))
        renewal = Assignment.objects.get(user=learner, cycle=2)
        assert (renewal.exempt, renewal.exempted_on, renewal.exempted_by_id) == (
            True,
            D("2026-01-20"),
            admin.pk,
        )
        assert renewal.exemption_reason == "On secondment"

    def test_new_cycles_and_renewals_are_announced_together(self, staff):
        stays, joins = UserFactory(), UserFactory()
        training = synced_requirement(staff, stays, as_of=D("2026-01-15"))
        Assignment.objects.filter(user=stays).update(
            completed_on=D("2026-02-01"), expires_on=D("2027-02-01")
        )
        staff.user_set.add(joins)
        announced = []

        def receiver(sender, rows, **kwargs):
            announced.extend((kwargs["requirement"].pk, row.user_id, row.cycle) for row in rows)

        assignments_created.connect(receiver, dispatch_uid="test-sync-set-based")
        try:
            services.assignments_sync(requirement=training, as_of=D("2027-01-10"))
        finally:
            assignments_created.disconnect(dispatch_uid="test-sync-set-based")
        assert sorted(announced) == sorted([(training.pk, joins.pk, 1), (training.pk, stays.pk, 2)])


class TestBatches:
    def test_long_id_lists_are_written_in_batches(self, staff, monkeypatch):
        monkeypatch.setattr(assignment_services, "ID_BATCH", 2)  # 2 ids a statement
        ids = people(staff, 5)
        training = requirement()
        EnrollmentFactory(
            user=get_user_model().objects.get(pk=ids[4]),
            course=training.course,
            status=Enrollment.Status.COMPLETED,
            completed_at=datetime(2025, 6, 1, 12, tzinfo=ZoneInfo("UTC")),
        )
        training.audience_groups.add(staff)
        first = services.assignments_sync(requirement=training, as_of=D("2026-01-15"))
        assert (first.created, first.credited) == (5, 1)
        staff.user_set.clear()  # all leave; the credited one has nothing open to close
        assert services.assignments_sync(requirement=training, as_of=D("2026-01-16")).closed == 4
        assert not Assignment.objects.filter(closed_on__isnull=True, completed_on__isnull=True)
        staff.user_set.add(*ids)
        assert services.assignments_sync(requirement=training, as_of=D("2026-01-17")).reopened == 4
        assert not Assignment.objects.filter(closed_on__isnull=False)
