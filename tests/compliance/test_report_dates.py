"""Report dates out of range ("as of" and due ranges near year 1 or 9999): a clear
message and a 400 (or the filter fragment re-shown with the error), never a 500.

Accepted: 1 January 2000 to 100 years from today, in the site's time zone.
"""

from datetime import date

from django.contrib.auth.models import Group
from django.utils import timezone

import pytest

from compliance.forms import AsOfForm, report_date_range
from compliance.scheduling import add_months
from tests.compliance.factories import AssignmentFactory
from tests.learner.factories import UserFactory

pytestmark = pytest.mark.django_db

SUMMARY_URL = "/admin/compliance/summary/"
REPORT_URL = "/admin/compliance/report/"


def latest() -> date:
    return add_months(timezone.localdate(), 1200)


def message() -> str:
    return f"Enter a date between 1 January 2000 and {latest():%-d %B %Y}."


@pytest.fixture
def admin_client(client):
    user = UserFactory(username="cora")
    user.groups.add(Group.objects.get(name="Compliance admins"))
    AssignmentFactory()
    client.force_login(user)
    client.raise_request_exception = False  # a 500 is an answer here, not an exception
    return client


OUT_OF_RANGE = ["9999-12-31", "9999-12-25", "0001-01-01", "1999-12-31"]


class TestTheRange:
    def test_from_2000_to_a_hundred_years_ahead(self):
        assert report_date_range(date(2026, 12, 1)) == (date(2000, 1, 1), date(2126, 12, 1))

    def test_the_ends_are_accepted_and_beyond_them_is_refused(self):
        earliest, last = report_date_range()
        for value, valid in [
            (earliest, True),
            (last, True),
            (date(1999, 12, 31), False),
            (date.fromordinal(last.toordinal() + 1), False),
        ]:
            form = AsOfForm({"as_of": value.isoformat()})
            assert form.is_valid() is valid, value
            if not valid:
                assert form.errors["as_of"] == [message()]


class TestSummary:
    @pytest.mark.parametrize("value", OUT_OF_RANGE)
    def test_out_of_range_as_of_is_a_400_with_the_message(self, admin_client, value):
        response = admin_client.get(SUMMARY_URL, {"as_of": value})

        assert response.status_code == 400
        assert message() in response.content.decode()

    def test_the_last_accepted_day_works(self, admin_client):
        response = admin_client.get(SUMMARY_URL, {"as_of": latest().isoformat()})

        assert response.status_code == 200


class TestReportByPerson:
    @pytest.mark.parametrize("value", OUT_OF_RANGE)
    def test_out_of_range_as_of_is_refused_everywhere(self, admin_client, value):
        self.assert_refused(admin_client, {"as_of": value})

    @pytest.mark.parametrize(
        "params",
        [
            {"due_from": "0001-01-01"},
            {"due_to": "9999-12-31"},
            {"due_from": "1999-12-31", "due_to": "2026-12-31"},
        ],
    )
    def test_out_of_range_due_dates_are_refused_everywhere(self, admin_client, params):
        self.assert_refused(admin_client, params)

    def test_the_ends_of_the_range_work(self, admin_client):
        params = {
            "as_of": latest().isoformat(),
            "due_from": "2000-01-01",
            "due_to": latest().isoformat(),
        }
        assert admin_client.get(REPORT_URL, params).status_code == 200
        assert admin_client.get(f"{REPORT_URL}results/", params).status_code == 200
        for kind in ("csv", "xlsx"):
            response = admin_client.get(REPORT_URL, {**params, "export": kind})
            assert response.status_code == 200
            assert b"".join(response.streaming_content)

    def assert_refused(self, client, params):
        page = client.get(REPORT_URL, params)
        assert page.status_code == 400
        assert message() in page.content.decode()
        assert list(page.context["object_list"]) == []

        results = client.get(f"{REPORT_URL}results/", params)
        assert results.status_code == 200  # the filter drawer's fragment shows the error
        assert message() in results.content.decode()

        for kind in ("csv", "xlsx"):
            export = client.get(REPORT_URL, {**params, "export": kind})
            assert export.status_code == 400
            assert message() in export.content.decode()
