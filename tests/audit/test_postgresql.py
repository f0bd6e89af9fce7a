"""On PostgreSQL the table refuses UPDATE and DELETE, the retention purge's switch lets
it delete, and parallel writers keep one chain (PostgreSQL only)."""

from django.db import DatabaseError, connection, transaction

import pytest

import audit
from audit.models import AuditEntry
from learner import services
from tests.learner.factories import EnrollmentFactory, UserFactory, small_course
from tests.parallel import requires_postgresql, run_in_parallel


def record(user, n=0):
    return audit.record(
        actor=user, action="fledge.account.sign_in", obj=user, payload={"n": n}, subject=user
    )


@requires_postgresql
@pytest.mark.django_db
class TestAppendOnly:
    @pytest.mark.parametrize(
        "sql",
        [
            "UPDATE audit_auditentry SET action = 'fledge.account.sign_out'",
            "DELETE FROM audit_auditentry",
        ],
    )
    def test_a_plain_update_or_delete_is_refused(self, sql):
        record(UserFactory())
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
        assert AuditEntry.objects.get().action == "fledge.account.sign_in"

    def test_the_orm_cannot_change_an_entry_either(self):
        entry = record(UserFactory())
        entry.action = "fledge.account.sign_out"
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            entry.save()

    def test_the_purge_switch_never_allows_update(self):
        record(UserFactory())
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("SET LOCAL fledge.audit_purge = 'on'")
            cursor.execute("UPDATE audit_auditentry SET action = 'x'")


@requires_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
class TestPurgeSwitch:
    """``SET LOCAL`` lasts to the end of the real transaction, so these run outside the
    test's wrapping one."""

    def test_the_purge_switch_allows_delete_in_its_transaction_only(self):
        record(UserFactory())
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL fledge.audit_purge = 'on'")
            cursor.execute("DELETE FROM audit_auditentry")
        assert not AuditEntry.objects.exists()
        record(UserFactory())
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            AuditEntry.objects.all().delete()


@requires_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
class TestParallelWriters:
    def test_twenty_parallel_writers_keep_one_valid_chain(self):
        users = [UserFactory() for _ in range(20)]

        def write(user):
            with transaction.atomic():
                for n in range(3):
                    record(user, n)
            return user.pk

        run_in_parallel(write, users)
        head = audit.verify_chain()
        assert head.count == head.sequence == 60
        assert AuditEntry.objects.values("prev_hash").distinct().count() == 60

    def test_parallel_completions_keep_one_valid_chain(self):
        course = small_course(issues_certificate=True)
        enrollments = [EnrollmentFactory(course=course.course) for _ in range(12)]
        before = AuditEntry.objects.count()

        def complete(enrollment):
            return services.course_complete(enrollment=enrollment).status

        assert set(run_in_parallel(complete, enrollments)) == {"completed"}
        head = audit.verify_chain()
        # Each completion: the course's entry and the certificate's.
        assert head.count == before + 2 * len(enrollments)
