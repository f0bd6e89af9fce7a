"""Compliance reports: the summary per requirement, the listing by person with its CSV
and Excel exports, "as of" any date from a known history, who sees whose rows, and
query budgets."""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import openpyxl
import pytest

from accounts.models import Profile
from compliance import reports, services
from compliance.models import Assignment, TrainingRequirement
from compliance.scheduling import Status
from tests.catalog.factories import CoursePageFactory
from tests.compliance.factories import TrainingRequirementFactory
from tests.learner.factories import EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db
D = date.fromisoformat
LONDON = ZoneInfo("Europe/London")

SUMMARY_URL = "/admin/compliance/summary/"
REPORT_URL = "/admin/compliance/report/"
#: The known history is read on these two dates.
JUNE = "2026-06-15"
JANUARY = "2026-01-10"
EXPORT_HEADINGS = [
    "Person",
    "Username",
    "Email",
    "Requirement",
    "Course",
    "Cycle",
    "Status",
    "Assigned",
    "Due",
    "Completed",
    "Expires",
    "Request to join",
]


def member_of(group_name: str, username: str, **fields):
    user = UserFactory(username=username, **fields)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def managed_by(manager, *people) -> None:
    for person in people:
        Profile.objects.update_or_create(user=person, defaults={"manager": manager})


def streamed(response) -> bytes:
    return b"".join(response.streaming_content)


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(streamed(response).decode("utf-8"))))


def xlsx_rows(response) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(streamed(response)))
    return list(workbook.active.iter_rows(values_only=True))


def assign(requirement, user, **fields) -> Assignment:
    """An assignment row with explicit dates ("2026-06-01" strings or dates);
    ``opens_on`` defaults to ``assigned_on``."""
    for key, value in fields.items():
        if key.endswith("_on") and isinstance(value, str):
            fields[key] = D(value)
    fields.setdefault("opens_on", fields["assigned_on"])
    return Assignment.objects.create(requirement=requirement, user=user, **fields)


@dataclass
class History:
    """Security (due 30 days after assignment, yearly, reminders 14/7/1) and Fire
    safety, with one person in each status on 15 June 2026."""

    security: TrainingRequirement
    fire: TrainingRequirement
    people: dict[str, object]


@pytest.fixture
def history(catalog) -> History:
    # No audience: the rows below are the whole history (no sync adds to it).
    security = TrainingRequirementFactory(
        name="Security", course=CoursePageFactory(title="Security basics")
    )
    fire = TrainingRequirementFactory(name="Fire safety", course=CoursePageFactory(title="Fire"))
    names = ["compliant", "due_soon", "overdue", "expired", "exempt", "not_started"]
    people = {
        name: UserFactory(username=name, first_name=name.title(), last_name="Person")
        for name in [*names, "in_progress", "leaver"]
    }
    # Compliant from 20 January 2026 (not yet done on 10 January: not started then).
    assign(
        security,
        people["compliant"],
        assigned_on="2026-01-01",
        due_on="2026-01-31",
        completed_on="2026-01-20",
        expires_on="2027-01-20",
    )
    # Due on 20 June: within the largest reminder day (14) on 15 June.
    assign(security, people["due_soon"], assigned_on="2026-05-20", due_on="2026-06-20")
    assign(security, people["overdue"], assigned_on="2026-04-01", due_on="2026-05-01")
    # Certified until 15 January 2026; the renewal opened on 16 December and is not done.
    assign(
        security,
        people["expired"],
        assigned_on="2025-01-01",
        due_on="2025-01-31",
        completed_on="2025-01-15",
        expires_on="2026-01-15",
    )
    assign(
        security,
        people["expired"],
        cycle=2,
        assigned_on="2025-12-16",
        due_on="2026-01-15",
        previous_expires_on="2026-01-15",
    )
    assign(
        security,
        people["exempt"],
        assigned_on="2026-03-01",
        due_on="2026-03-31",
        exempt=True,
        exempted_on="2026-03-10",
        exemption_reason="Trained elsewhere",
    )
    assign(security, people["not_started"], assigned_on="2026-06-01", due_on="2026-07-01")
    assign(security, people["in_progress"], assigned_on="2026-06-01", due_on="2026-07-01")
    EnrollmentFactory(
        user=people["in_progress"],
        course=security.course,
        activated_at=datetime(2026, 6, 2, 10, tzinfo=LONDON),
    )
    # Overdue in January, then left the audience on 1 May.
    assign(
        security,
        people["leaver"],
        assigned_on="2025-12-01",
        due_on="2025-12-31",
        closed_on="2026-05-01",
    )
    assign(fire, people["overdue"], assigned_on="2026-04-01", due_on="2026-05-01")
    return History(security=security, fire=fire, people=people)


@pytest.fixture
def admin_user():
    return member_of("Compliance admins", "cora", first_name="Cora", last_name="Admin")


def summary_rows(response) -> dict[str, reports.StatusCounts]:
    return {row.requirement.name: row.figures for row in response.context["rows"]}


def counts(figures: reports.StatusCounts) -> dict[str, int]:
    found = {status.value: figures.count(status) for status in Status}
    return {"assigned": figures.assigned, **{k: v for k, v in found.items() if v}}


class TestSummary:
    def test_figures_per_requirement_on_a_date(self, client, admin_user, history):
        client.force_login(admin_user)
        response = client.get(SUMMARY_URL, {"as_of": JUNE})
        assert response.status_code == 200
        rows = summary_rows(response)
        assert counts(rows["Security"]) == {
            "assigned": 7,
            "compliant": 1,
            "due_soon": 1,
            "overdue": 1,
            "expired": 1,
            "exempt": 1,
            "not_started": 1,
            "in_progress": 1,
        }
        # Compliant or exempt, over assigned, rounded down: 2 of 7.
        assert rows["Security"].percent_compliant == 28
        assert counts(rows["Fire safety"]) == {"assigned": 1, "overdue": 1}
        assert rows["Fire safety"].percent_compliant == 0
        total = response.context["total"]
        assert total.assigned == 8
        assert total.overdue == 2
        content = response.content.decode()
        assert "15 June 2026" in content
        assert "28%" in content
        assert 'class="compliance-bar"' in content
        assert "Security: 1 compliant, 1 exempt, 1 in progress" in content
        assert f"requirement={history.security.pk}&amp;status=overdue&amp;as_of=2026-06-15" in (
            content
        )

    def test_an_earlier_date_is_recomputed_from_the_history(self, client, admin_user, history):
        client.force_login(admin_user)
        response = client.get(SUMMARY_URL, {"as_of": JANUARY})
        rows = summary_rows(response)
        # The leaver was still assigned (and overdue); the expired person was still
        # covered by last year's completion; the compliant person had not done it yet.
        assert counts(rows["Security"]) == {
            "assigned": 3,
            "compliant": 1,
            "overdue": 1,
            "not_started": 1,
        }
        assert rows["Security"].percent_compliant == 33
        assert rows["Fire safety"].assigned == 0
        assert rows["Fire safety"].percent_compliant is None

    def test_defaults_to_today(self, client, admin_user, history):
        client.force_login(admin_user)
        response = client.get(SUMMARY_URL)
        assert response.status_code == 200
        assert response.context["as_of"] == services.local_today()

    @pytest.mark.parametrize("value", ["2026-13-01", "yesterday", "15/06/2026x"])
    def test_a_malformed_date_is_a_clear_400(self, client, admin_user, history, value):
        client.force_login(admin_user)
        response = client.get(SUMMARY_URL, {"as_of": value})
        assert response.status_code == 400
        assert "Enter the date as YYYY-MM-DD" in response.content.decode()
        assert response.context["rows"] == []

    def test_counts_in_one_grouped_query(self, admin_user, history, django_assert_num_queries):
        people = reports.reportable_assignments(admin_user)
        # The active requirements (for "due soon"), then one grouped count.
        with django_assert_num_queries(2):
            found = reports.selectors.status_counts(D(JUNE), people)
        assert set(found) == {history.security.pk, history.fire.pk}

    def test_query_count_does_not_grow_with_people(
        self, client, admin_user, history, django_assert_max_num_queries
    ):
        client.force_login(admin_user)
        with CaptureQueriesContext(connection) as few:
            client.get(SUMMARY_URL, {"as_of": JUNE})
        Assignment.objects.bulk_create(
            Assignment(
                requirement=history.fire,
                user=UserFactory(),
                assigned_on=D("2026-06-01"),
                opens_on=D("2026-06-01"),
                due_on=D("2026-07-01"),
            )
            for _ in range(20)
        )
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(SUMMARY_URL, {"as_of": JUNE})
        assert summary_rows(response)["Fire safety"].assigned == 21


class TestWhoSeesWhat:
    @pytest.mark.parametrize("url", [SUMMARY_URL, REPORT_URL, f"{REPORT_URL}?export=csv"])
    def test_a_learner_is_sent_to_the_login(self, client, history, url):
        client.force_login(UserFactory(username="lena"))
        response = client.get(url)
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]

    @pytest.mark.parametrize(
        "url", [SUMMARY_URL, REPORT_URL, f"{REPORT_URL}results/", f"{REPORT_URL}?export=xlsx"]
    )
    def test_an_instructor_is_turned_away(self, client, catalog, history, url):
        client.force_login(member_of("Instructors", "ines"))
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")
        home = client.get(reverse("wagtailadmin_home")).content.decode()
        assert "/admin/compliance/" not in home
        assert "Required training" not in home

    def test_compliance_admin_and_superuser_see_everyone(self, client, admin_user, history):
        for user in (admin_user, UserFactory(username="root", is_superuser=True)):
            client.force_login(user)
            response = client.get(REPORT_URL, {"as_of": JUNE, "requirement": history.security.pk})
            assert response.status_code == 200
            assert response.context["items_count"] == 7

    def test_a_manager_sees_only_their_people(self, client, catalog, history):
        people = history.people
        manager = member_of("Instructors", "mona")  # admin access, no compliance rights
        managed_by(manager, people["compliant"], people["overdue"])
        managed_by(UserFactory(username="other-manager"), people["expired"])
        client.force_login(manager)

        summary = client.get(SUMMARY_URL, {"as_of": JUNE})
        assert summary.status_code == 200
        rows = summary_rows(summary)
        assert counts(rows["Security"]) == {"assigned": 2, "compliant": 1, "overdue": 1}
        assert counts(rows["Fire safety"]) == {"assigned": 1, "overdue": 1}
        assert "Showing the people you manage" in summary.content.decode()

        listing = client.get(REPORT_URL, {"as_of": JUNE})
        assert {row.user.username for row in listing.context["object_list"]} == {
            "compliant",
            "overdue",
        }
        exported = csv_rows(client.get(REPORT_URL, {"as_of": JUNE, "export": "csv"}))
        assert sorted(row[1] for row in exported[1:]) == ["compliant", "overdue", "overdue"]

    def test_a_manager_without_admin_access_cannot_reach_the_admin(self, client, history):
        manager = UserFactory(username="mo")
        managed_by(manager, history.people["overdue"])
        client.force_login(manager)
        response = client.get(SUMMARY_URL)
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]

    def test_reports_menu_for_managers_hides_the_admin_items(self, client, catalog, history):
        manager = member_of("Instructors", "mona")
        managed_by(manager, history.people["overdue"])
        client.force_login(manager)
        home = client.get(reverse("wagtailadmin_home")).content.decode()
        assert SUMMARY_URL in home
        assert REPORT_URL in home
        assert "/admin/compliance/requirements/" not in home
        assert "/admin/compliance/assignments/" not in home


class TestReportByPerson:
    def test_lists_each_persons_current_cycle_on_the_date(self, client, admin_user, history):
        client.force_login(admin_user)
        response = client.get(REPORT_URL, {"as_of": JUNE, "requirement": history.security.pk})
        assert response.status_code == 200
        status_by_user = {row.user.username: row.status for row in response.context["object_list"]}
        assert status_by_user == {
            "compliant": "compliant",
            "due_soon": "due_soon",
            "overdue": "overdue",
            "expired": "expired",
            "exempt": "exempt",
            "not_started": "not_started",
            "in_progress": "in_progress",
        }
        expired = next(r for r in response.context["object_list"] if r.user.username == "expired")
        assert expired.cycle == 2
        content = response.content.decode()
        for text in ("Expired Person", "expired@example.com", "Security basics", "Due soon"):
            assert text in content
        assert "Each person's status on <strong>15 June 2026</strong>" in content

    def test_the_same_people_on_an_earlier_date(self, client, admin_user, history):
        client.force_login(admin_user)
        response = client.get(REPORT_URL, {"as_of": JANUARY})
        status_by_user = {row.user.username: row.status for row in response.context["object_list"]}
        assert status_by_user == {
            "compliant": "not_started",
            "expired": "compliant",
            "leaver": "overdue",
        }
        expired = next(r for r in response.context["object_list"] if r.user.username == "expired")
        assert expired.cycle == 2

    def test_filters_by_status_group_due_range_and_search(self, client, admin_user, history):
        people = history.people
        team = Group.objects.create(name="Night shift")
        team.user_set.add(people["overdue"], people["due_soon"])
        client.force_login(admin_user)

        def usernames(**params):
            response = client.get(REPORT_URL, {"as_of": JUNE, **params})
            assert response.status_code == 200
            return sorted(
                f"{row.user.username}/{row.requirement.name}"
                for row in response.context["object_list"]
            )

        assert usernames(status=["overdue", "expired"]) == [
            "expired/Security",
            "overdue/Fire safety",
            "overdue/Security",
        ]
        assert usernames(group=team.pk) == [
            "due_soon/Security",
            "overdue/Fire safety",
            "overdue/Security",
        ]
        assert usernames(group=team.pk, requirement=history.fire.pk) == ["overdue/Fire safety"]
        assert usernames(due_from="2026-06-01", due_to="2026-07-01") == [
            "due_soon/Security",
            "in_progress/Security",
            "not_started/Security",
        ]
        assert usernames(q="exempt person") == ["exempt/Security"]
        assert usernames(q="EXPIRED@example") == ["expired/Security"]

    @pytest.mark.parametrize(
        "params", [{"as_of": "2026-02-30"}, {"as_of": "soon"}, {"requirement": "99999"}]
    )
    def test_a_malformed_filter_lists_nothing_and_says_why(
        self, client, admin_user, history, params
    ):
        client.force_login(admin_user)
        response = client.get(REPORT_URL, params)
        assert response.status_code == 400
        assert list(response.context["object_list"]) == []
        assert "The report could not be filtered" in response.content.decode()
        results = client.get(f"{REPORT_URL}results/", params)
        assert results.status_code == 200  # the filter drawer's fragment shows the error
        assert "The report could not be filtered" in results.content.decode()
        export = client.get(REPORT_URL, {**params, "export": "csv"})
        assert export.status_code == 400
        assert export.content.decode().startswith("The report could not be exported")


class TestExports:
    def test_csv_has_the_headings_and_the_filtered_rows(self, client, admin_user, history):
        client.force_login(admin_user)
        response = client.get(
            REPORT_URL,
            {"as_of": JUNE, "requirement": history.security.pk, "export": "csv"},
        )
        assert response.status_code == 200
        assert response.streaming
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert "compliance-report.csv" in response["Content-Disposition"]
        rows = csv_rows(response)
        assert rows[0] == EXPORT_HEADINGS
        by_username = {row[1]: row for row in rows[1:]}
        assert len(rows) == 8
        assert by_username["expired"] == [
            "Expired Person",
            "expired",
            "expired@example.com",
            "Security",
            "Security basics",
            "2",
            "Expired",
            "2025-12-16",
            "2026-01-15",
            "",
            "2026-01-15",  # the lapsed certification's expiry, as the dashboard shows it
            "",  # a request to join is shown only as of today
        ]
        assert by_username["compliant"][6:] == [
            "Compliant",
            "2026-01-01",
            "2026-01-31",
            "2026-01-20",
            "2027-01-20",
            "",
        ]
        assert by_username["exempt"][6] == "Exempt"

    def test_csv_on_an_earlier_date(self, client, admin_user, history):
        client.force_login(admin_user)
        rows = csv_rows(client.get(REPORT_URL, {"as_of": JANUARY, "export": "csv"}))
        assert sorted((row[1], row[6]) for row in rows[1:]) == [
            ("compliant", "Not started"),
            ("expired", "Compliant"),
            ("leaver", "Overdue"),
        ]

    def test_csv_cells_never_start_a_formula(self, client, admin_user, history):
        person = history.people["overdue"]
        person.first_name, person.last_name = "=HYPERLINK(1)", ""
        person.save()
        client.force_login(admin_user)
        rows = csv_rows(client.get(REPORT_URL, {"as_of": JUNE, "export": "csv", "q": "overdue"}))
        assert {row[0] for row in rows[1:]} == {"'=HYPERLINK(1)"}

    def test_xlsx_opens_with_dates_as_dates(self, client, admin_user, history):
        client.force_login(admin_user)
        response = client.get(
            REPORT_URL, {"as_of": JUNE, "status": ["compliant", "overdue"], "export": "xlsx"}
        )
        assert response.status_code == 200
        assert response.streaming
        assert "compliance-report.xlsx" in response["Content-Disposition"]
        rows = xlsx_rows(response)
        assert list(rows[0]) == EXPORT_HEADINGS
        assert sorted((row[1], row[3], row[6]) for row in rows[1:]) == [
            ("compliant", "Security", "Compliant"),
            ("overdue", "Fire safety", "Overdue"),
            ("overdue", "Security", "Overdue"),
        ]
        compliant = next(row for row in rows[1:] if row[1] == "compliant")
        assert compliant[5] == 1
        assert compliant[7:11] == (
            D("2026-01-01"),
            D("2026-01-31"),
            D("2026-01-20"),
            D("2027-01-20"),
        )


def bulk_assign(requirement: TrainingRequirement, count: int, start: int = 0) -> None:
    """``count`` people assigned on 1 June 2026, due 1 July, straight into the table."""
    users = UserFactory._meta.model.objects.bulk_create(
        UserFactory.build(username=f"bulk{start + n:05d}", password="!") for n in range(count)
    )
    Assignment.objects.bulk_create(
        Assignment(
            requirement=requirement,
            user=user,
            assigned_on=D("2026-06-01"),
            opens_on=D("2026-06-01"),
            due_on=D("2026-07-01"),
        )
        for user in users
    )


class TestLargeExports:
    def test_a_3000_row_csv_streams_every_row(self, client, admin_user, catalog):
        requirement = TrainingRequirementFactory(name="Bulk")
        bulk_assign(requirement, 3000)
        client.force_login(admin_user)
        response = client.get(REPORT_URL, {"as_of": JUNE, "export": "csv"})
        assert response.streaming
        first_chunk = next(iter(response.streaming_content))
        assert first_chunk.decode().startswith("Person,Username,Email")
        rows = csv_rows(response)  # the rest
        assert len(rows) == 3000
        assert {row[6] for row in rows} == {"Not started"}
        assert {row[1] for row in rows} == {f"bulk{n:05d}" for n in range(3000)}

    def test_the_export_reads_the_rows_in_chunks(self, client, admin_user, catalog, monkeypatch):
        from compliance.viewsets import PersonReportView

        requirement = TrainingRequirementFactory(name="Bulk")
        bulk_assign(requirement, 30)
        chunks = []
        real_iterator = Assignment.objects.none().__class__.iterator

        def spy(queryset, chunk_size=None):
            chunks.append(chunk_size)
            return real_iterator(queryset, chunk_size=chunk_size)

        monkeypatch.setattr(Assignment.objects.none().__class__, "iterator", spy)
        client.force_login(admin_user)
        for export in ("csv", "xlsx"):
            streamed(client.get(REPORT_URL, {"as_of": JUNE, "export": export}))
        assert chunks == [PersonReportView.export_chunk_size] * 2

    @pytest.mark.parametrize("export", ["csv", "xlsx"])
    def test_query_count_does_not_grow_from_300_to_3000_rows(
        self, client, admin_user, catalog, export, django_assert_max_num_queries
    ):
        requirement = TrainingRequirementFactory(name="Bulk")
        bulk_assign(requirement, 300)
        client.force_login(admin_user)
        with CaptureQueriesContext(connection) as few:
            body = streamed(client.get(REPORT_URL, {"as_of": JUNE, "export": export}))
        assert body
        bulk_assign(requirement, 2700, start=300)
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(REPORT_URL, {"as_of": JUNE, "export": export})
            body = streamed(response)
        if export == "csv":
            assert body.count(b"\r\n") == 3001
        else:
            workbook = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
            assert sum(1 for _ in workbook.active.iter_rows(values_only=True)) == 3001

    def test_listing_query_count_does_not_grow_with_rows(
        self, client, admin_user, catalog, django_assert_max_num_queries
    ):
        requirement = TrainingRequirementFactory(name="Bulk")
        bulk_assign(requirement, 5)
        client.force_login(admin_user)
        with CaptureQueriesContext(connection) as few:
            assert client.get(REPORT_URL, {"as_of": JUNE}).status_code == 200
        bulk_assign(requirement, 60, start=5)
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(REPORT_URL, {"as_of": JUNE})
        assert len(response.context["object_list"]) == 50  # one page


class TestDashboardPanel:
    def test_compliance_admin_sees_todays_overall_figures(self, client, admin_user, catalog):
        today = services.local_today()
        requirement = TrainingRequirementFactory(name="Now")
        for offset, done in ((-40, True), (-40, False), (-5, False)):
            assign(
                requirement,
                UserFactory(),
                assigned_on=today + timedelta(days=offset),
                due_on=today + timedelta(days=offset + 30),
                completed_on=today - timedelta(days=1) if done else None,
            )
        client.force_login(admin_user)
        response = client.get(reverse("wagtailadmin_home"))
        content = response.content.decode()
        assert "Required training" in content
        panel = next(p for p in response.context["panels"] if p.name == "compliance_summary")
        figures = panel.get_context_data({"request": response.wsgi_request})["figures"]
        assert (figures.assigned, figures.overdue, figures.expired) == (3, 1, 0)
        assert figures.percent_compliant == 33
        assert "33%" in content

    def test_a_manager_sees_only_their_people(self, client, catalog, history):
        manager = member_of("Instructors", "mona")
        managed_by(manager, history.people["overdue"])
        client.force_login(manager)
        response = client.get(reverse("wagtailadmin_home"))
        panel = next(p for p in response.context["panels"] if p.name == "compliance_summary")
        context = panel.get_context_data({"request": response.wsgi_request})
        assert context["managers_view"] is True
        assert "for the people you manage" in response.content.decode()
