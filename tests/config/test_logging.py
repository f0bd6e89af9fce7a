"""Logs: one line per request with its id, the user's id (never an email or a name),
path, status and duration; JSON lines in production; slow requests as warnings."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

from django.test import override_settings

import pytest

from config.logs import ContextFilter, JsonFormatter, request_id_var
from tests.learner.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def request_records(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "fledge.request"]


def as_json(record: logging.LogRecord) -> dict:
    ContextFilter().filter(record)
    return json.loads(JsonFormatter().format(record))


class TestRequestLine:
    def test_one_json_line_per_request_with_ids_path_status_and_duration(self, client, caplog):
        user = UserFactory(username="ada.lovelace", email="ada@example.com", first_name="Ada")
        client.force_login(user)
        with caplog.at_level(logging.INFO, logger="fledge.request"):
            response = client.get("/dashboard/")
        (record,) = request_records(caplog)
        line = as_json(record)
        assert line["level"] == "INFO"
        assert line["request_id"] == response["X-Request-ID"]
        assert len(line["request_id"]) == 32
        assert line["user_id"] == user.pk
        assert (line["method"], line["path"], line["status"]) == ("GET", "/dashboard/", 200)
        assert line["duration_ms"] > 0
        text = JsonFormatter().format(record)
        for personal in ("ada.lovelace", "ada@example.com", "Ada"):
            assert personal not in text

    def test_anonymous_requests_have_no_user_id(self, client, caplog):
        with caplog.at_level(logging.INFO, logger="fledge.request"):
            client.get("/accounts/login/")
        (record,) = request_records(caplog)
        assert as_json(record)["user_id"] is None

    def test_a_sane_incoming_request_id_is_kept_and_a_hostile_one_replaced(self, client):
        kept = client.get("/accounts/login/", headers={"X-Request-ID": "lb-1234abcd"})
        assert kept["X-Request-ID"] == "lb-1234abcd"
        replaced = client.get("/accounts/login/", headers={"X-Request-ID": "x\r\nSet-Cookie: a"})
        assert replaced["X-Request-ID"] != "x\r\nSet-Cookie: a"
        assert len(replaced["X-Request-ID"]) == 32

    @override_settings(FLEDGE_SLOW_REQUEST_MS=0)
    def test_slow_requests_are_warnings(self, client, caplog):
        with caplog.at_level(logging.INFO, logger="fledge.request"):
            client.get("/accounts/login/")
        (record,) = request_records(caplog)
        assert record.levelno == logging.WARNING
        assert "(slow)" in record.getMessage()

    def test_secret_tokens_in_paths_are_masked(self, client, caplog):
        with caplog.at_level(logging.INFO, logger="fledge.request"):
            client.get("/compliance/calendar/SeCrEtToKeN123456789.ics")
            client.get("/certificates/verify/ABCD-EFGH-JKLM/")
        lines = [as_json(record) for record in request_records(caplog)]
        assert [line["status"] for line in lines] == [404, 404]
        assert lines[0]["path"] == "/compliance/calendar/….ics"
        assert lines[1]["path"] == "/certificates/verify/…/"
        assert "SeCrEtToKeN" not in caplog.text

    def test_health_probes_are_not_logged_when_fine(self, client, caplog):
        with caplog.at_level(logging.INFO, logger="fledge.request"):
            client.get("/health/live")
            client.get("/health/")
        assert request_records(caplog) == []

    def test_errors_inside_a_request_carry_its_id(self, client, caplog):
        with caplog.at_level(logging.INFO):
            response = client.get("/accounts/login/")
            token = request_id_var.set("outside")
            logging.getLogger("fledge.test").info("after the request")
            request_id_var.reset(token)
        (record,) = request_records(caplog)
        assert as_json(record)["request_id"] == response["X-Request-ID"]
        (after,) = [r for r in caplog.records if r.name == "fledge.test"]
        assert as_json(after)["request_id"] == "outside"


def logging_format(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "FLEDGE_"))}
    probe = "import config.settings as s; print(s.LOGGING['handlers']['console']['formatter'])"
    result = subprocess.run(  # noqa: S603 - fixed interpreter and arguments
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_production_logs_json_and_development_text():
    assert logging_format() == "text"
    production = {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "x" * 50}
    assert logging_format(**production) == "json"
    assert logging_format(**production, DJANGO_LOG_FORMAT="text") == "text"


def test_exceptions_are_one_json_line():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())
    text = JsonFormatter().format(record)
    assert "\n" not in text
    assert "ValueError: boom" in json.loads(text)["exc_info"]


def test_task_log_lines_carry_the_task_id(caplog):
    from config.celery_app import app

    @app.task(name="tests.log_something")
    def log_something():
        logging.getLogger("fledge.test").info("inside the task")

    with caplog.at_level(logging.INFO, logger="fledge.test"):
        result = log_something.apply()
    (record,) = [r for r in caplog.records if r.name == "fledge.test"]
    assert as_json(record)["request_id"] == result.id
    assert request_id_var.get() == "-"
