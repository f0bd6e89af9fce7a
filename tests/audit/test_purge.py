"""The retention purge: it removes the oldest entries (a prefix of the chain, never the
head), records the removal as an entry of its own, and the chain still verifies from
what it recorded; a prefix removed without a purge entry is named."""

import io
from datetime import UTC, datetime

from django.core.management import call_command, execute_from_command_line
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

import pytest

import audit
from audit.models import AuditEntry
from audit.services import PURGE_ACTION
from audit.wagtail_hooks import ACTIONS
from tests.learner.factories import UserFactory
from tests.parallel import requires_postgresql

requires_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="PostgreSQL refuses the removal itself"
)


def record(n: int) -> AuditEntry:
    return audit.record(
        actor=None, action="fledge.account.sign_in_failed", obj=None, payload={"n": n}
    )


def old_then_new(old: int, new: int) -> datetime:
    """``old`` entries, then the cut-off, then ``new`` entries; the cut-off."""
    for n in range(old):
        record(n)
    before = timezone.now()
    for n in range(new):
        record(old + n)
    return before


def sequences() -> list[int]:
    return list(AuditEntry.objects.values_list("sequence", flat=True))


@pytest.mark.django_db
class TestPurgeEntries:
    def test_removes_the_old_prefix_and_records_one_purge_entry(self):
        before = old_then_new(3, 2)
        last_old = AuditEntry.objects.get(sequence=3)
        admin = UserFactory()
        result = audit.purge_entries(before=before, actor=admin)
        assert isinstance(result, audit.PurgeResult)
        assert (result.removed_from, result.removed_to, result.removed_count) == (1, 3, 3)
        assert result.last_removed_hash == last_old.entry_hash
        assert sequences() == [4, 5, 6]
        purge = AuditEntry.objects.get(action=PURGE_ACTION)
        assert purge == result.entry and purge.sequence == 6
        assert purge.actor_id == admin.pk and purge.object_type == ""
        assert purge.data == {
            "removed_from": 1,
            "removed_to": 3,
            "removed_count": 3,
            "last_removed_hash": last_old.entry_hash,
            "before": before.astimezone(UTC).isoformat(),
        }
        assert PURGE_ACTION in ACTIONS

    def test_the_chain_verifies_after_a_purge_and_after_a_second(self):
        first_cut = old_then_new(3, 2)
        audit.purge_entries(before=first_cut)
        assert audit.verify_chain().count == 3
        # The second purge removes the first purge's entry (#6) as well.
        second_cut = old_then_new(2, 2)
        result = audit.purge_entries(before=second_cut)
        assert (result.removed_from, result.removed_to, result.removed_count) == (4, 8, 5)
        assert sequences() == [9, 10, 11]
        head = audit.verify_chain()
        assert (head.count, head.sequence) == (3, 11)
        assert AuditEntry.objects.filter(action=PURGE_ACTION).count() == 1

    def test_a_second_purge_that_keeps_the_first_purges_entry_verifies(self):
        audit.purge_entries(before=old_then_new(3, 2))  # removes #1-#3, recorded as #6
        cut_off = AuditEntry.objects.get(sequence=5).recorded_at
        result = audit.purge_entries(before=cut_off)  # removes #4 only, recorded as #7
        assert (result.removed_from, result.removed_to) == (4, 4)
        assert sequences() == [5, 6, 7]
        assert audit.verify_chain().count == 3

    def test_the_head_is_kept_when_every_entry_is_old(self):
        before = old_then_new(3, 0)
        result = audit.purge_entries(before=before)
        assert (result.removed_from, result.removed_to) == (1, 2)
        assert sequences() == [3, 4]
        assert audit.verify_chain().sequence == 4

    @pytest.mark.parametrize(("old", "new"), [(0, 2), (1, 0)], ids=["none-old", "only-head"])
    def test_nothing_to_remove_writes_nothing(self, old, new):
        before = old_then_new(old, new)
        assert audit.purge_entries(before=before) is None
        assert sequences() == list(range(1, old + new + 1))

    def test_an_empty_chain_has_nothing_to_remove(self):
        assert audit.purge_entries(before=timezone.now()) is None
        assert not AuditEntry.objects.exists()

    def test_a_naive_cut_off_is_refused(self):
        with pytest.raises(ValueError, match="timezone-aware"):
            audit.purge_entries(before=datetime(2026, 1, 1))  # noqa: DTZ001 - the point

    def test_audit_verify_exits_0_after_a_purge(self, capsys):
        audit.purge_entries(before=old_then_new(3, 1))
        out = io.StringIO()
        call_command("audit_verify", stdout=out)
        assert "Audit chain intact: 2 entries, head #5" in out.getvalue()
        # Returning, not raising SystemExit, is exit status 0 (a break exits 1).
        execute_from_command_line(["manage.py", "audit_verify"])
        assert "Audit chain intact" in capsys.readouterr().out


@requires_sqlite
@pytest.mark.django_db
class TestRemovalWithoutAPurge:
    """Rows removed directly in the database (on PostgreSQL the trigger refuses that)."""

    def test_a_removed_prefix_is_named_at_the_first_remaining_entry(self):
        old_then_new(3, 1)
        AuditEntry.objects.filter(sequence__lte=2).delete()
        with pytest.raises(audit.ChainBroken, match="starts after removed entries") as broken:
            audit.verify_chain()
        assert broken.value.sequence == 3

    def test_a_prefix_removed_beyond_the_purge_is_named(self):
        audit.purge_entries(before=old_then_new(3, 2))
        AuditEntry.objects.filter(sequence=4).delete()
        with pytest.raises(audit.ChainBroken, match="starts after removed entries") as broken:
            audit.verify_chain()
        assert broken.value.sequence == 5

    def test_a_purge_entry_with_an_altered_hash_does_not_vouch(self):
        audit.purge_entries(before=old_then_new(3, 1))
        forged = AuditEntry.objects.get(action=PURGE_ACTION)
        payload = forged.payload.replace(forged.data["last_removed_hash"], "f" * 64)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE audit_auditentry SET payload = %s WHERE sequence = %s",
                [payload, forged.sequence],
            )
        with pytest.raises(audit.ChainBroken, match="last hash its purge recorded") as broken:
            audit.verify_chain()
        assert broken.value.sequence == 4


@requires_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
class TestPurgeOnPostgresql:
    """Outside the test's wrapping transaction, so ``SET LOCAL`` ends where it would."""

    def test_the_purge_passes_the_trigger_and_a_plain_delete_is_refused_after(self):
        before = old_then_new(3, 1)
        result = audit.purge_entries(before=before)
        assert (result.removed_from, result.removed_to, result.removed_count) == (1, 3, 3)
        assert audit.verify_chain().count == 2
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            AuditEntry.objects.all().delete()
        assert sequences() == [4, 5]

    def test_the_switch_is_off_again_in_the_callers_transaction(self):
        before = old_then_new(3, 1)
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            audit.purge_entries(before=before)
            AuditEntry.objects.all().delete()
        assert sequences() == [1, 2, 3, 4]  # the purge rolled back with the caller

    def test_audit_verify_passes_after_a_purge(self):
        audit.purge_entries(before=old_then_new(2, 1))
        out = io.StringIO()
        call_command("audit_verify", stdout=out)
        assert "Audit chain intact: 2 entries" in out.getvalue()
