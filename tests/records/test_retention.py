"""The retention purge erases people long gone, deletes old records nothing needs,
removes old audit entries through the chain's own purge, and records what it did; at
0 years, or as a dry run, it changes nothing.

The purge runs "ten years from now" with two years' retention, so everything the test
makes in the usual way (audit entries included) is old, and rows stamped nine years
ahead are recent.
"""

import io
from datetime import UTC, datetime, timedelta

from django.core.management import call_command
from django.utils import timezone

import pytest
from axes.models import AccessLog

import audit
from audit.models import AuditEntry
from audit.services import PURGE_ACTION
from compliance import services as compliance_services
from compliance.models import Assignment, NotificationLog
from notifications.models import OutgoingEmail
from records import retention
from records.tasks import retention_purge
from tests.compliance.factories import TrainingRequirementFactory, today
from tests.learner.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now() + timedelta(days=3653)
YEARS = 2
CUTOFF = retention.years_before(NOW, YEARS)
RECENT = NOW - timedelta(days=365)


def email(key: str, *, recipient, sent_at=None) -> OutgoingEmail:
    return OutgoingEmail.objects.create(
        key=key, recipient=recipient, to=recipient.email, subject="Hi", text="Hi", sent_at=sent_at
    )


def reminder(assignment: Assignment, key: str) -> NotificationLog:
    return NotificationLog.objects.create(
        key=key,
        kind=NotificationLog.Kind.BEFORE_DUE,
        assignment=assignment,
        recipient=assignment.user,
        created_at=timezone.now(),
        sent_at=timezone.now(),
    )


@pytest.fixture
def people(db):
    """Who is there: gone long ago, gone recently, active but not seen for long."""
    return {
        "gone": UserFactory(username="gone", is_active=False, last_login=timezone.now()),
        "never": UserFactory(username="never", is_active=False, last_login=None),
        "left_recently": UserFactory(username="left", is_active=False, last_login=RECENT),
        "active": UserFactory(username="active", last_login=timezone.now()),
    }


@pytest.fixture
def records(people):
    active = people["active"]
    requirement = TrainingRequirementFactory(name="Fire safety", audience_users=[active])
    compliance_services.assignments_sync(requirement=requirement, as_of=today())
    open_cycle = Assignment.objects.get(user=active)
    done_cycle = Assignment.objects.create(
        requirement=requirement,
        user=active,
        cycle=2,
        assigned_on=today(),
        opens_on=today(),
        due_on=today(),
        completed_on=today(),
        completed_at=timezone.now(),
    )
    AccessLog.objects.create(username="active", user_agent="x", http_accept="x", path_info="/")
    return {
        "old_sent": email("old", recipient=active, sent_at=timezone.now()),
        "recent_sent": email("recent", recipient=active, sent_at=RECENT),
        "unsent": email("unsent", recipient=active),
        "open_reminder": reminder(open_cycle, "a-open"),
        "done_reminder": reminder(done_cycle, "a-done"),
    }


def purge(**options):
    return retention.purge(years=YEARS, now=NOW, **options)


def exists(row) -> bool:
    return type(row).objects.filter(pk=row.pk).exists()


def is_erased(user) -> bool:
    user.refresh_from_db()
    return user.username == f"erased-{user.pk}"


class TestPurge:
    def test_erases_people_gone_before_the_cutoff_only(self, people):
        counts = purge()
        assert counts[retention.PEOPLE_ERASED] == 2
        assert is_erased(people["gone"]) and is_erased(people["never"])
        assert not is_erased(people["left_recently"]) and not is_erased(people["active"])

    def test_deletes_old_sent_mail_and_keeps_the_rest(self, records):
        counts = purge()
        assert counts["notifications.outgoing_email"] == 1
        assert not exists(records["old_sent"])
        assert exists(records["recent_sent"]) and exists(records["unsent"])

    def test_keeps_the_reminder_log_of_open_cycles(self, records):
        counts = purge()
        assert counts["compliance.notification_log"] == 1
        assert not exists(records["done_reminder"]) and exists(records["open_reminder"])

    def test_deletes_old_sign_in_logs(self, records):
        assert purge()["accounts.sign_in_log"] == 1
        assert not AccessLog.objects.exists()

    def test_removes_old_audit_entries_and_the_chain_verifies(self, records):
        first = AuditEntry.objects.order_by("sequence").first()
        counts = purge()
        assert counts[retention.AUDIT_ENTRIES] > 0
        assert not AuditEntry.objects.filter(pk=first.pk).exists()
        assert AuditEntry.objects.filter(action=PURGE_ACTION).exists()
        audit.verify_chain()
        call_command("audit_verify")

    def test_records_what_it_removed(self, records):
        counts = purge()
        entry = AuditEntry.objects.order_by("-sequence").first()
        assert entry.action == retention.PURGE_ACTION and entry.actor_id is None
        assert entry.data["removed"] == counts
        assert entry.data["cutoff"] == CUTOFF.isoformat()

    def test_logs_each_count(self, records, caplog):
        caplog.set_level("INFO", logger="records.retention")
        purge()
        lines = [r.getMessage() for r in caplog.records if r.name == "records.retention"]
        assert any("notifications.outgoing_email" in line for line in lines)

    def test_a_second_run_finds_nothing_more(self, records, people):
        purge()
        again = purge()
        assert again[retention.PEOPLE_ERASED] == 0
        assert again["notifications.outgoing_email"] == 0


class TestOffAndDryRun:
    def test_zero_years_does_nothing(self, records, people, settings):
        settings.FLEDGE_RETENTION_YEARS = 0
        entries = AuditEntry.objects.count()
        assert retention.purge(now=NOW) == {}
        assert retention.purge(years=0, now=NOW) == {}
        assert AuditEntry.objects.count() == entries
        assert exists(records["old_sent"]) and not is_erased(people["gone"])

    def test_the_setting_gives_the_years(self, records, settings):
        settings.FLEDGE_RETENTION_YEARS = YEARS
        assert retention.purge(now=NOW)["notifications.outgoing_email"] == 1

    def test_a_dry_run_counts_and_changes_nothing(self, records, people):
        entries = list(AuditEntry.objects.values_list("sequence", flat=True))
        counts = purge(dry_run=True)
        assert counts[retention.PEOPLE_ERASED] == 2
        assert counts["notifications.outgoing_email"] == 1
        assert list(AuditEntry.objects.values_list("sequence", flat=True)) == entries
        assert exists(records["old_sent"]) and exists(records["done_reminder"])
        assert not is_erased(people["gone"])
        audit.verify_chain()


class TestCutoff:
    def test_whole_calendar_years(self):
        moment = datetime(2026, 3, 1, 12, tzinfo=UTC)
        assert retention.years_before(moment, 7) == datetime(2019, 3, 1, 12, tzinfo=UTC)

    def test_29_february_becomes_the_28th(self):
        leap = datetime(2028, 2, 29, tzinfo=UTC)
        assert retention.years_before(leap, 1) == datetime(2027, 2, 28, tzinfo=UTC)
        assert retention.years_before(leap, 4) == datetime(2024, 2, 29, tzinfo=UTC)


class TestCommand:
    """The command purges before the real now: its rows are stamped years ago."""

    @pytest.fixture
    def long_ago(self, people):
        years_ago = timezone.now() - timedelta(days=3 * 366)
        gone = UserFactory(
            username="long-gone", is_active=False, last_login=years_ago, date_joined=years_ago
        )
        return {"gone": gone, "sent": email("long-ago", recipient=gone, sent_at=years_ago)}

    def test_prints_each_count_and_the_total(self, long_ago, settings):
        settings.FLEDGE_RETENTION_YEARS = YEARS
        out = io.StringIO()
        call_command("retention_purge", stdout=out)
        text = out.getvalue()
        assert "records.people_erased: 1" in text
        assert "notifications.outgoing_email: 1" in text
        assert "Removed " in text and " in total." in text
        assert is_erased(long_ago["gone"]) and not exists(long_ago["sent"])

    def test_dry_run_and_years(self, long_ago):
        out = io.StringIO()
        call_command("retention_purge", "--years", str(YEARS), "--dry-run", stdout=out)
        assert "records.people_erased: 1" in out.getvalue()
        assert "Would remove" in out.getvalue()
        assert exists(long_ago["sent"]) and not is_erased(long_ago["gone"])

    def test_off_says_so(self, settings):
        settings.FLEDGE_RETENTION_YEARS = 0
        out = io.StringIO()
        call_command("retention_purge", stdout=out)
        assert "Retention is off" in out.getvalue()


class TestTask:
    def test_the_task_runs_the_purge(self, settings, monkeypatch):
        calls = []
        monkeypatch.setattr(retention, "purge", lambda: calls.append(1) or {"x": 0})
        assert retention_purge() == {"x": 0} and calls == [1]
        schedule = settings.CELERY_BEAT_SCHEDULE["records-retention-purge"]
        assert schedule["task"] == "records.tasks.retention_purge"
