"""The hash chain: each entry names the one before, ``audit_verify`` proves it intact
and names the first entry altered behind its back."""

import datetime
import io
import json
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from django.db import connection, transaction

from wagtail.models import ModelLogEntry

import pytest

import audit
from audit import tasks
from audit.models import AuditEntry
from audit.services import GENESIS_HASH, canonical_json
from audit.wagtail_hooks import ACTIONS
from tests.learner.factories import UserFactory

pytestmark = pytest.mark.django_db

requires_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="PostgreSQL refuses the tampering itself"
)


def record_three(actor):
    for n in range(3):
        audit.record(
            actor=actor,
            action="fledge.report.export",
            obj=actor,
            payload={"rows": n, "filters": {"b": 2, "a": 1}},
            subject=actor,
        )


def verify() -> str:
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def alter(sequence: int, **fields) -> None:
    """Change a stored entry directly in the database (SQLite has no trigger)."""
    sets = ", ".join(f"{name} = %s" for name in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE audit_auditentry SET {sets} WHERE sequence = %s",  # noqa: S608 - test
            [*fields.values(), sequence],
        )


class TestRecord:
    def test_entries_chain_from_genesis_with_canonical_payloads(self):
        user = UserFactory()
        record_three(user)
        first, second, third = AuditEntry.objects.order_by("sequence")
        assert [first.sequence, second.sequence, third.sequence] == [1, 2, 3]
        assert first.prev_hash == GENESIS_HASH
        assert second.prev_hash == first.entry_hash
        assert third.prev_hash == second.entry_hash
        assert first.payload == '{"filters":{"a":1,"b":2},"rows":0}'
        assert first.actor_id == user.pk
        assert first.object_type == "auth.user" and first.object_id == str(user.pk)

    def test_the_subject_is_a_keyed_pseudonym_not_the_id(self, settings):
        user = UserFactory()
        entry = audit.record(
            actor=None, action="fledge.account.sign_in", obj=user, payload={}, subject=user
        )
        assert len(entry.subject) == 64 and str(user.pk) != entry.subject
        assert entry.subject == audit.pseudonym(user.pk)
        settings.FLEDGE_AUDIT_PSEUDONYM_KEY = "another key"
        assert audit.pseudonym(user.pk) != entry.subject

    def test_each_entry_is_also_in_wagtails_history_of_the_object(self):
        user = UserFactory()
        audit.record(actor=user, action="fledge.account.sign_in", obj=user, payload={"x": 1})
        logged = ModelLogEntry.objects.get(
            content_type=ContentType.objects.get_for_model(user), object_id=str(user.pk)
        )
        assert logged.action == "fledge.account.sign_in"
        assert logged.user_id == user.pk
        assert logged.data == {"x": 1}
        assert logged.message == ACTIONS["fledge.account.sign_in"]

    def test_an_event_without_an_object_is_only_in_the_chain(self):
        audit.record(actor=None, action="fledge.account.sign_in_failed", obj=None, payload={})
        assert AuditEntry.objects.get().object_type == ""
        assert not ModelLogEntry.objects.exists()

    def test_a_rolled_back_change_leaves_no_entry(self):
        user = UserFactory()
        with pytest.raises(RuntimeError), transaction.atomic():
            audit.record(actor=user, action="fledge.account.sign_in", obj=user, payload={})
            raise RuntimeError("the change failed")
        assert not AuditEntry.objects.exists()
        assert not ModelLogEntry.objects.exists()

    def test_payload_dates_and_decimals_serialise(self):
        entry = audit.record(
            actor=None,
            action="fledge.quiz.submit",
            obj=None,
            payload={"on": datetime.date(2026, 1, 2), "score": Decimal("87.5")},
        )
        assert json.loads(entry.payload) == {"on": "2026-01-02", "score": "87.5"}
        assert entry.payload == canonical_json(entry.data)


class TestAuditVerify:
    def test_an_empty_chain_verifies(self):
        assert "0 entries" in verify()

    def test_a_fresh_chain_verifies_with_its_head(self):
        record_three(UserFactory())
        head = AuditEntry.objects.get(sequence=3)
        output = verify()
        assert "3 entries" in output and head.entry_hash in output


@requires_sqlite
class TestAuditVerifyAfterTampering:
    """Rows altered directly in the database (on PostgreSQL the trigger refuses the
    change itself: tests/audit/test_postgresql.py)."""

    def test_an_altered_payload_is_named(self):
        record_three(UserFactory())
        alter(2, payload='{"filters":{"a":1,"b":2},"rows":99}')
        with pytest.raises(CommandError, match="entry #2: payload does not match"):
            verify()

    def test_an_altered_field_with_a_recomputed_payload_hash_is_named(self):
        record_three(UserFactory())
        alter(2, action="fledge.account.sign_out")
        with pytest.raises(CommandError, match="entry #2: entry hash does not match"):
            verify()

    def test_a_rewritten_entry_breaks_the_link_to_the_next(self):
        record_three(UserFactory())
        alter(2, entry_hash="f" * 64)
        with pytest.raises(CommandError, match="entry #2"):
            verify()

    def test_a_removed_entry_is_named_by_the_one_after_the_gap(self):
        record_three(UserFactory())
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditentry WHERE sequence = 2")
        with pytest.raises(CommandError, match="entry #3: follows #1"):
            verify()

    def test_the_command_exits_1(self):
        record_three(UserFactory())
        alter(1, subject="someone else")
        with pytest.raises(SystemExit) as exit_info:
            execute_from_command_line(["manage.py", "audit_verify"])
        assert exit_info.value.code == 1


def test_the_daily_job_logs_the_head(caplog):
    record_three(UserFactory())
    head = AuditEntry.objects.get(sequence=3)
    with caplog.at_level("INFO", logger="audit.services"):
        assert tasks.log_chain_head.delay().get() == 3
    assert head.entry_hash in caplog.text


def test_site_history_lists_the_entry_with_its_label(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    audit.record(actor=admin, action="fledge.report.export", obj=admin, payload={"rows": 3})
    client.force_login(admin)
    response = client.get("/admin/reports/site-history/")
    assert response.status_code == 200
    assert ACTIONS["fledge.report.export"] in response.content.decode()
