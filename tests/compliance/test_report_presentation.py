"""How the compliance admin reads: status badges of their own colour (with WCAG
contrast), the state of a person's request to join the course beside their status,
the summary's exports, the Active badge, and export buttons in plain sight."""

import csv
import io
import re
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

import openpyxl
import pytest

from accounts.models import Profile
from compliance.scheduling import Status
from compliance.selectors import local_today
from learner.models import Enrollment
from tests.compliance.factories import AssignmentFactory, TrainingRequirementFactory
from tests.html import table_rows
from tests.learner.factories import EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db

REPORT_URL = "/admin/compliance/report/"
SUMMARY_URL = "/admin/compliance/summary/"
ASSIGNMENTS_URL = "/admin/compliance/assignments/"
REQUIREMENTS_URL = "/admin/compliance/requirements/"
BADGES_CSS = Path(settings.BASE_DIR) / "static" / "css" / "admin-badges.css"


@pytest.fixture
def admin_user():
    user = UserFactory(username="cora", first_name="Cora", last_name="Admin")
    user.groups.add(Group.objects.get(name="Compliance admins"))
    return user


@pytest.fixture
def people(catalog):
    """One requirement: Pia's request to join its course awaits approval, Wes is on the
    waitlist, Cam completed it (and asked to join again), Nell has done nothing."""
    requirement = TrainingRequirementFactory(name="Security")
    today = local_today()
    rows = {}
    for username in ("pia", "wes", "cam", "nell"):
        user = UserFactory(username=username)
        rows[username] = AssignmentFactory(
            requirement=requirement, user=user, assigned_on=today - timedelta(days=10)
        )
    for username, status in (("pia", "pending"), ("wes", "waitlisted"), ("cam", "pending")):
        EnrollmentFactory(
            course=requirement.course,
            user=rows[username].user,
            status=status,
            activated_at=None,
        )
    rows["cam"].completed_on = today
    rows["cam"].expires_on = today + timedelta(days=365)
    rows["cam"].save()
    return rows


def status_cells(html: str) -> dict[str, str]:
    """Username → the text of the Status cell, from the listing's rows."""
    found = {}
    for row, cells in table_rows(html):
        for username in ("pia", "wes", "cam", "nell"):
            if f"{username}@" in row:
                found[username] = next(c for c in cells if re.match(r"^(Not started|Compliant)", c))
    return found


class TestRequestToJoin:
    def test_the_report_names_a_waiting_request_beside_the_status(self, client, admin_user, people):
        client.force_login(admin_user)
        html = client.get(REPORT_URL).content.decode()
        assert status_cells(html) == {
            "pia": "Not started · Awaiting approval",
            "wes": "Not started · On the waitlist",
            "cam": "Compliant",  # met: a new request changes nothing
            "nell": "Not started",
        }

    def test_the_assignments_listing_too(self, client, admin_user, people):
        client.force_login(admin_user)
        html = client.get(ASSIGNMENTS_URL).content.decode()
        assert status_cells(html)["pia"] == "Not started · Awaiting approval"
        assert status_cells(html)["wes"] == "Not started · On the waitlist"

    @pytest.mark.parametrize("export", ["csv", "xlsx"])
    def test_exports_have_a_request_to_join_column(self, client, admin_user, people, export):
        client.force_login(admin_user)
        body = b"".join(client.get(REPORT_URL, {"export": export}).streaming_content)
        if export == "csv":
            rows = list(csv.reader(io.StringIO(body.decode())))
        else:
            sheet = openpyxl.load_workbook(io.BytesIO(body)).active
            rows = [
                ["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)
            ]
        column = rows[0].index("Request to join")
        by_username = {row[1]: row[column] for row in rows[1:]}
        assert by_username == {
            "pia": "Awaiting approval",
            "wes": "On the waitlist",
            "cam": "",
            "nell": "",
        }

    def test_a_report_as_of_an_earlier_date_leaves_it_out(self, client, admin_user, people):
        client.force_login(admin_user)
        yesterday = (local_today() - timedelta(days=1)).isoformat()
        body = b"".join(
            client.get(REPORT_URL, {"export": "csv", "as_of": yesterday}).streaming_content
        )
        rows = list(csv.reader(io.StringIO(body.decode())))
        assert {row[-1] for row in rows[1:]} == {""}

    def test_an_approved_request_is_no_longer_named(self, client, admin_user, people):
        Enrollment.objects.filter(user=people["pia"].user).update(status="active")
        client.force_login(admin_user)
        assert status_cells(client.get(REPORT_URL).content.decode())["pia"] == "Not started"

    def test_the_listing_adds_no_query_per_row(self, client, admin_user, people):
        client.force_login(admin_user)
        client.get(REPORT_URL)
        before = len(queries_of(client, REPORT_URL))
        requirement = people["pia"].requirement
        for username in ("extra1", "extra2", "extra3"):
            user = UserFactory(username=username)
            AssignmentFactory(requirement=requirement, user=user)
            EnrollmentFactory(
                course=requirement.course, user=user, status="pending", activated_at=None
            )
        assert len(queries_of(client, REPORT_URL)) == before


def queries_of(client, url) -> list:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return list(queries)


class TestBadges:
    def rules(self) -> dict[str, tuple[str, str]]:
        css = BADGES_CSS.read_text()
        return {
            name: (background, color)
            for name, background, color in re.findall(
                r"\.fledge-badge--(\w+) \{ "
                r"background-color: (#[0-9a-f]{6}); color: (#[0-9a-f]{6}); \}",
                css,
            )
        }

    def test_every_status_has_its_own_colour(self):
        rules = self.rules()
        assert {status.value for status in Status} <= set(rules)
        backgrounds = [rules[status.value][0] for status in Status]
        assert len(set(backgrounds)) == len(backgrounds)

    def test_every_badge_text_has_wcag_aa_contrast(self):
        for name, (background, color) in self.rules().items():
            assert contrast(background, color) >= 4.5, name

    def test_the_report_shows_each_status_as_its_badge(self, client, admin_user, people):
        client.force_login(admin_user)
        html = client.get(REPORT_URL).content.decode()
        assert "css/admin-badges" in html  # the stylesheet is on every admin page
        assert '<span class="fledge-badge fledge-badge--not_started">Not started</span>' in html
        assert '<span class="fledge-badge fledge-badge--compliant">Compliant</span>' in html

    def test_requirements_say_active_or_inactive(self, client, admin_user, people):
        TrainingRequirementFactory(name="Old rule", active=False)
        client.force_login(admin_user)
        html = client.get(REQUIREMENTS_URL).content.decode()
        rows = {cells[0]: cells for _, cells in table_rows(html) if cells}
        security = next(cells for name, cells in rows.items() if "Security" in name)
        old = next(cells for name, cells in rows.items() if "Old rule" in name)
        assert "Active" in security and "Inactive" in old
        assert "True" not in html.split("<table", 1)[1].split("</table>")[0]


def contrast(first: str, second: str) -> float:
    """The WCAG 2.1 contrast ratio of two #rrggbb colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


class TestSummaryExport:
    @pytest.mark.parametrize("export", ["csv", "xlsx"])
    def test_the_summary_exports_its_table_with_a_total(self, client, admin_user, people, export):
        client.force_login(admin_user)
        response = client.get(SUMMARY_URL, {"export": export})
        assert response.status_code == 200
        today = local_today().isoformat()
        assert f"compliance-summary-{today}.{export}" in response["Content-Disposition"]
        if export == "csv":
            assert response["Content-Type"] == "text/csv; charset=utf-8"
            rows = list(csv.reader(io.StringIO(response.content.decode())))
        else:
            sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
            rows = [
                [str(v) if v is not None else "" for v in r]
                for r in sheet.iter_rows(values_only=True)
            ]
        heading = rows[0]
        assert heading[:3] == ["Requirement", "Course", "Assigned"]
        assert heading[-1] == "% compliant"
        security = dict(zip(heading, rows[1], strict=True))
        assert security["Requirement"] == "Security"
        assert security["Assigned"] == "4"
        assert security["Compliant"] == "1"
        assert security["Not started"] == "3"
        assert security["% compliant"] == "25"
        assert rows[-1][0] == "Total"
        assert rows[-1][2] == "4"

    def test_a_bad_date_is_a_400_with_the_reason(self, client, admin_user, people):
        client.force_login(admin_user)
        response = client.get(SUMMARY_URL, {"export": "csv", "as_of": "9999-12-31"})
        assert response.status_code == 400
        assert "Enter a date between" in response.content.decode()

    def test_an_unknown_format_is_a_400(self, client, admin_user, people):
        client.force_login(admin_user)
        assert client.get(SUMMARY_URL, {"export": "pdf"}).status_code == 400

    def test_a_manager_exports_only_their_people(self, client, people):

        manager = UserFactory(username="mo")
        manager.user_permissions.add(Permission.objects.get(codename="access_admin"))
        Profile.objects.update_or_create(user=people["pia"].user, defaults={"manager": manager})
        client.force_login(manager)
        rows = list(
            csv.reader(io.StringIO(client.get(SUMMARY_URL, {"export": "csv"}).content.decode()))
        )
        assert rows[1][2] == "1"


class TestExportButtons:
    @pytest.mark.parametrize("url", [REPORT_URL, SUMMARY_URL])
    def test_downloads_are_buttons_in_the_header_not_only_in_the_menu(
        self, client, admin_user, people, url
    ):
        client.force_login(admin_user)
        response = client.get(url, {"as_of": local_today().isoformat()})
        labels = {getattr(button, "label", "") for button in response.context["header_buttons"]}
        assert {"Download CSV", "Download Excel"} <= labels
        html = response.content.decode()
        assert html.count("export=csv") == 1  # not again under "…"
        assert f"as_of={local_today().isoformat()}" in re.search(
            r'href="([^"]*export=csv[^"]*)"', html
        ).group(1)
