"""``base.transactions.after_commit``: work after the commit, whose failures are logged
with the real error and never undo or break what committed.

Django's robust ``on_commit`` names a failing callback by ``__qualname__``; a
``functools.partial`` has none, so the log call itself raised ``AttributeError``, which
hid the real error and escaped into the request or command (a certificate that failed
to render during a completion was a 500, and crashed ``load_demo``).
"""

import io
import logging
import re
from functools import partial
from pathlib import Path

from django.core.management import call_command
from django.urls import reverse

import pytest

from base.transactions import after_commit, callable_name
from certificates import services as certificate_services
from certificates import tasks as certificate_tasks
from certificates.models import Certificate
from learner.models import Enrollment
from tests.catalog.factories import CoursePageFactory
from tests.learner.factories import EnrollmentFactory, UserFactory
from tests.lessons.factories import give_a_lesson

ROOT = Path(__file__).resolve().parents[2]


def explode(certificate_id: int, *, reason: str = "") -> None:
    raise RuntimeError(f"WeasyPrint could not draw {certificate_id}")


def failing_render(document) -> bytes:
    raise RuntimeError("Pango is not installed")


def on_commit_errors(caplog) -> list[logging.LogRecord]:
    """Django's error lines for failed robust callbacks (logged by the connection, or
    by ``django.test`` for callbacks captured in a test transaction)."""
    return [
        record
        for record in caplog.records
        if record.levelno == logging.ERROR and "in on_commit()" in record.getMessage()
    ]


class TestAfterCommit:
    def test_runs_after_the_commit_with_its_arguments(self, db, django_capture_on_commit_callbacks):
        calls = []
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            after_commit(calls.append, 42)
            assert calls == []
        assert calls == [42]
        assert len(callbacks) == 1

    def test_a_failure_is_logged_with_the_real_error_and_not_raised(
        self, db, django_capture_on_commit_callbacks, caplog
    ):
        ran = []
        with django_capture_on_commit_callbacks(execute=True):
            after_commit(explode, 7, reason="a secret name")
            after_commit(ran.append, "next")  # later callbacks still run

        assert ran == ["next"]
        [record] = on_commit_errors(caplog)
        message = record.getMessage()
        assert "tests.base.test_transactions.explode(7, reason=…)" in message
        assert "WeasyPrint could not draw 7" in message
        assert "a secret name" not in message
        assert record.exc_info[0] is RuntimeError

    def test_a_bare_partial_hides_the_error_this_helper_exists_for(
        self, db, django_capture_on_commit_callbacks
    ):
        from django.db import transaction

        with (
            pytest.raises(AttributeError, match="__qualname__"),
            django_capture_on_commit_callbacks(execute=True),
        ):
            transaction.on_commit(partial(explode, 7), robust=True)

    def test_names(self):
        assert (
            callable_name(certificate_tasks.render_certificate.delay)
            == "certificates.tasks.render_certificate.delay"
        )
        assert callable_name(partial(explode, 1)) == "partial(tests.base.test_transactions.explode)"
        assert callable_name(io.StringIO().write) == "_io.StringIO.write"
        assert callable_name(lambda: None).endswith("test_names.<locals>.<lambda>")


def test_every_on_commit_in_the_project_goes_through_after_commit():
    """One helper: a direct ``on_commit`` (and so a bare partial in one) is refused."""
    skipped = {"tests", "node_modules", "media", "private-media", "staticfiles"}
    folders = [
        p for p in ROOT.iterdir() if p.is_dir() and p.name[0] != "." and p.name not in skipped
    ]
    offenders = []
    for path in sorted(path for folder in folders for path in folder.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative == Path("base/transactions.py") or any(
            part.startswith(".")
            for part in relative.parts  # e.g. bench/.peer-venv
        ):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if re.search(r"\bon_commit\(", line):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == [], "use base.transactions.after_commit:\n" + "\n".join(offenders)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
class TestFailingCertificateRender:
    """Real commits (no test transaction around them), so the callbacks run after the
    request and inside the command, as they do in production with in-process tasks."""

    def test_completion_request_succeeds_and_the_pdf_is_rendered_later(
        self, client, monkeypatch, caplog
    ):
        course = CoursePageFactory(issues_certificate=True)
        lesson = give_a_lesson(course)
        user = UserFactory()
        EnrollmentFactory(user=user, course=course)
        client.force_login(user)
        real_render = certificate_services.render_pdf
        monkeypatch.setattr(certificate_services, "render_pdf", failing_render)

        response = client.post(reverse("learner:complete", args=[lesson.pk]))

        assert response.status_code == 302
        enrollment = Enrollment.objects.get(user=user, course=course)
        assert enrollment.status == Enrollment.Status.COMPLETED
        certificate = Certificate.objects.get(enrollment=enrollment)
        assert not certificate.pdf
        # The render was handed over after the response (tasks run in-process here).
        [record] = [r for r in caplog.records if "after the response" in r.getMessage()]
        assert record.levelno == logging.ERROR
        assert (
            f"certificates.tasks.render_certificate.delay({certificate.pk})" in record.getMessage()
        )
        assert "Pango is not installed" in record.getMessage()

        # The renderer works again: the download renders the missing file.
        monkeypatch.setattr(certificate_services, "render_pdf", real_render)
        download = client.get(reverse("certificates:download", args=[certificate.number]))
        assert download.status_code == 200
        assert b"".join(download.streaming_content).startswith(b"%PDF")

    def test_load_demo_finishes_and_stale_certificates_render_afterwards(
        self, monkeypatch, caplog, settings, tmp_path
    ):
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        settings.MEDIA_ROOT = tmp_path / "media"
        real_render = certificate_services.render_pdf
        monkeypatch.setattr(certificate_services, "render_pdf", failing_render)
        output = io.StringIO()

        call_command("load_demo", stdout=output)

        assert "Username" in output.getvalue()  # it got as far as printing the logins
        assert Certificate.objects.exists()
        assert not Certificate.objects.exclude(pdf="").exists()
        errors = on_commit_errors(caplog)
        assert errors
        assert all("Pango is not installed" in r.getMessage() for r in errors)

        monkeypatch.setattr(certificate_services, "render_pdf", real_render)
        call_command("render_certificates", "--stale", stdout=io.StringIO())
        assert not Certificate.objects.filter(pdf="").exists()
