"""The admin's Certificates listing, export, revoke, reissue and re-render."""

import csv
import io
import re
from datetime import UTC, date, datetime

from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import openpyxl
import pytest

from certificates.models import Certificate
from tests.certificates.factories import issued_certificate, user_with_permission
from tests.html import table_rows
from tests.learner.factories import UserFactory, course_editor

pytestmark = pytest.mark.django_db

INDEX_URL = "/admin/certificates/"
EXPORT_HEADINGS = [
    "Number",
    "Holder",
    "Username",
    "Email",
    "Course",
    "Issued",
    "Expires",
    "Status",
    "Revoked",
    "Revocation reason",
    "Replaced by",
]


def detail_url(certificate: Certificate) -> str:
    return reverse("certificates_admin:detail", args=[certificate.pk])


def action_url(name: str, certificate: Certificate) -> str:
    return reverse(f"certificates_admin:{name}", args=[certificate.pk])


def streamed(response) -> bytes:
    return b"".join(response.streaming_content)


def numbers_listed(response) -> set[str]:
    return {certificate.number for certificate in response.context["object_list"]}


def expires_cells(html: str) -> dict[str, str]:
    """The listing's Expires cell (the fifth) of each row, by certificate number."""
    cells = {}
    for row, texts in table_rows(html):
        number = re.search(r"FLG-\d{4}-\d+", row)
        if number and len(texts) >= 5:
            cells[number.group(0)] = texts[4]
    return cells


def message_texts(response) -> list[str]:
    return [str(message).strip() for message in get_messages(response.wsgi_request)]


@pytest.fixture
def superuser():
    return get_user_model().objects.create_superuser("root", "root@example.com", "pw")


@pytest.fixture
def rows():
    """Three certificates in two courses: valid, expired and revoked."""
    anatomy = issued_certificate(
        user=UserFactory(username="amy", first_name="Amy", last_name="Adams"),
        title="Anatomy",
        as_of=datetime(2026, 2, 1, 10, tzinfo=UTC),
    )
    expired = issued_certificate(
        user=UserFactory(username="bob", first_name="Bob", last_name="Brown"),
        title="Botany",
        certificate_validity_months=1,
        as_of=datetime(2025, 6, 1, 10, tzinfo=UTC),
    )
    revoked = issued_certificate(
        user=UserFactory(username="cy", first_name="Cy", last_name="Clark"),
        course=anatomy.course,
        as_of=datetime(2026, 3, 1, 10, tzinfo=UTC),
    )
    Certificate.objects.filter(pk=revoked.pk).update(
        revoked_at=datetime(2026, 3, 2, tzinfo=UTC), revoked_reason="Issued in error"
    )
    return {"valid": anatomy, "expired": expired, "revoked": revoked}


class TestListing:
    def test_superuser_sees_every_certificate_with_its_status(self, client, superuser, rows):
        client.force_login(superuser)

        response = client.get(INDEX_URL)

        assert response.status_code == 200
        assert numbers_listed(response) == {c.number for c in rows.values()}
        content = response.content.decode()
        for label in ("Valid", "Expired", "Revoked"):
            assert label in content

    def test_expires_shows_the_last_valid_day_and_says_when_it_has_passed(
        self, client, superuser, rows
    ):
        future = issued_certificate(
            title="Ethics",
            certificate_validity_months=120,
            as_of=datetime(2026, 3, 10, 15, tzinfo=UTC),
        )
        client.force_login(superuser)

        response = client.get(INDEX_URL)

        cells = expires_cells(response.content.decode())
        # Not Wagtail's "time since" ("Just now" for any future moment).
        assert cells[future.number] == "10 Mar 2036"
        assert cells[rows["expired"].number] == "1 Jul 2025 (expired)"
        assert cells[rows["valid"].number] == "Never"

    def test_course_editor_sees_only_their_courses(self, client, rows):
        client.force_login(course_editor(rows["expired"].course, "botanist"))

        response = client.get(INDEX_URL)

        assert numbers_listed(response) == {rows["expired"].number}

    def test_admin_user_who_edits_no_course_is_turned_away(self, client, rows):
        client.force_login(user_with_permission("nobody"))

        response = client.get(INDEX_URL)

        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")

    def test_learner_is_sent_to_sign_in(self, client, rows):
        client.force_login(UserFactory(username="learner"))

        response = client.get(INDEX_URL)

        assert response.status_code == 302
        assert "login" in response["Location"]

    @pytest.mark.parametrize("status", ["valid", "expired", "revoked"])
    def test_status_filter(self, client, superuser, rows, status):
        client.force_login(superuser)

        response = client.get(INDEX_URL, {"status": status})

        assert numbers_listed(response) == {rows[status].number}

    def test_course_and_issue_date_filters(self, client, superuser, rows):
        client.force_login(superuser)
        anatomy = rows["valid"].course

        by_course = client.get(INDEX_URL, {"course": anatomy.pk})
        by_dates = client.get(INDEX_URL, {"issued_from": "2026-01-01", "issued_to": "2026-02-01"})

        assert numbers_listed(by_course) == {rows["valid"].number, rows["revoked"].number}
        assert numbers_listed(by_dates) == {rows["valid"].number}

    def test_search_by_holder_name_or_number(self, client, superuser, rows):
        client.force_login(superuser)

        by_name = client.get(INDEX_URL, {"q": "brown"})
        by_number = client.get(INDEX_URL, {"q": rows["revoked"].number})

        assert numbers_listed(by_name) == {rows["expired"].number}
        assert numbers_listed(by_number) == {rows["revoked"].number}

    def test_results_fragment_and_bad_filter_values_answer_cleanly(self, client, superuser, rows):
        client.force_login(superuser)

        assert client.get(reverse("certificates_admin:index_results")).status_code == 200
        for params in ({"status": "bogus"}, {"course": "abc"}, {"issued_from": "yesterday"}):
            assert client.get(INDEX_URL, params).status_code == 200

    def test_query_count_does_not_grow_with_rows(
        self, client, superuser, rows, django_assert_max_num_queries
    ):
        client.force_login(superuser)
        variants = ({}, {"export": "csv"}, {"export": "xlsx"})

        def fetch(params) -> bytes:
            response = client.get(INDEX_URL, params)
            return streamed(response) if response.streaming else response.content

        fetch({})  # warm caches (site, branding, permissions)
        counts = []
        for params in variants:
            with CaptureQueriesContext(connection) as queries:
                fetch(params)
            counts.append(len(queries))
        for _ in range(5):
            issued_certificate()
        fetch({})  # each new certificate's course retires the cached site and branding

        for params, count in zip(variants, counts, strict=True):
            with django_assert_max_num_queries(count):
                assert fetch(params)

    def test_csv_export_has_headings_and_the_filtered_rows(self, client, superuser, rows):
        client.force_login(superuser)

        response = client.get(INDEX_URL, {"status": "revoked", "export": "csv"})

        table = list(csv.reader(io.StringIO(streamed(response).decode("utf-8"))))
        assert table[0] == EXPORT_HEADINGS
        assert len(table) == 2
        row = dict(zip(table[0], table[1], strict=True))
        assert row["Number"] == rows["revoked"].number
        assert row["Holder"] == "Cy Clark"
        assert row["Email"] == "cy@example.com"
        assert row["Status"] == "Revoked"
        assert row["Revocation reason"] == "Issued in error"
        assert row["Issued"] == "2026-03-01 10:00"

    def test_exports_give_the_last_valid_day_as_the_expiry(self, client, superuser, rows):
        client.force_login(superuser)

        response = client.get(INDEX_URL, {"status": "expired", "export": "csv"})
        workbook = client.get(INDEX_URL, {"status": "expired", "export": "xlsx"})

        table = list(csv.DictReader(io.StringIO(streamed(response).decode("utf-8"))))
        assert [row["Expires"] for row in table] == ["2025-07-01"]  # valid through 1 July
        values = list(openpyxl.load_workbook(io.BytesIO(streamed(workbook))).active.values)
        assert values[1][EXPORT_HEADINGS.index("Expires")] == date(2025, 7, 1)

    def test_xlsx_export_opens_and_has_every_row(self, client, superuser, rows):
        client.force_login(superuser)

        response = client.get(INDEX_URL, {"export": "xlsx"})

        sheet = openpyxl.load_workbook(io.BytesIO(streamed(response))).active
        values = list(sheet.values)
        assert list(values[0]) == EXPORT_HEADINGS
        assert {row[0] for row in values[1:]} == {c.number for c in rows.values()}


class TestRevokeAndReissue:
    def test_detail_page_shows_the_certificate_and_actions(self, client, superuser, rows):
        client.force_login(superuser)

        response = client.get(detail_url(rows["valid"]))

        content = response.content.decode()
        assert response.status_code == 200
        assert rows["valid"].number in content
        assert action_url("revoke", rows["valid"]) in content
        assert action_url("reissue", rows["valid"]) in content

    def test_revoke_records_reason_and_who(self, client, rows):
        editor = course_editor(rows["valid"].course, "ed")
        client.force_login(editor)
        assert client.get(action_url("revoke", rows["valid"])).status_code == 200

        response = client.post(action_url("revoke", rows["valid"]), {"reason": "Cheating"})

        assert response.status_code == 302
        certificate = Certificate.objects.get(pk=rows["valid"].pk)
        assert certificate.status == Certificate.Status.REVOKED
        assert (certificate.revoked_reason, certificate.revoked_by) == ("Cheating", editor)
        assert f"Certificate {certificate.number} is revoked." in message_texts(response)

    def test_revoke_without_a_reason_is_a_400_and_changes_nothing(self, client, superuser, rows):
        client.force_login(superuser)

        response = client.post(action_url("revoke", rows["valid"]), {"reason": "  "})

        assert response.status_code == 400
        assert b"Give a reason" in response.content
        assert Certificate.objects.get(pk=rows["valid"].pk).revoked_at is None

    def test_revoking_twice_is_refused_with_a_message(self, client, superuser, rows):
        client.force_login(superuser)

        response = client.post(action_url("revoke", rows["revoked"]), {"reason": "Again"})

        assert response.status_code == 400
        assert b"already revoked" in response.content

    def test_reissue_gives_a_new_number_and_revokes_the_old_one(self, client, superuser, rows):
        old = rows["valid"]
        old.user.first_name = "Amelia"
        old.user.save()
        client.force_login(superuser)

        response = client.post(action_url("reissue", old), {"reason": "Name corrected"})

        new = Certificate.objects.get(replaces=old)
        assert response["Location"] == detail_url(new)
        old.refresh_from_db()
        assert old.status == Certificate.Status.REVOKED
        assert old.revoked_reason == "Reissued: Name corrected"
        assert old.successor == new
        assert new.number != old.number
        assert new.verification_code != old.verification_code
        assert new.holder_name == "Amelia Adams"
        assert new.enrollment == old.enrollment
        assert new.status == Certificate.Status.VALID

    def test_a_replaced_certificate_cannot_be_reissued_again(self, client, superuser, rows):
        client.force_login(superuser)
        client.post(action_url("reissue", rows["valid"]), {"reason": "Once"})

        response = client.post(action_url("reissue", rows["valid"]), {"reason": "Twice"})

        assert response.status_code == 400
        assert b"already replaced" in response.content
        assert Certificate.objects.filter(enrollment=rows["valid"].enrollment).count() == 2

    def test_other_courses_certificates_are_404_and_viewers_may_not_act(self, client, rows):
        client.force_login(course_editor(rows["expired"].course, "botanist"))
        for name in ("detail", "revoke", "reissue"):
            assert client.get(action_url(name, rows["valid"])).status_code == 404
        assert client.post(action_url("revoke", rows["valid"]), {"reason": "x"}).status_code == 404

        client.force_login(user_with_permission("viewer", "view_certificate"))
        assert client.get(detail_url(rows["valid"])).status_code == 200
        response = client.post(action_url("revoke", rows["valid"]), {"reason": "x"})
        assert response.status_code == 302  # the admin's "permission denied" redirect
        assert Certificate.objects.get(pk=rows["valid"].pk).revoked_at is None

    def test_get_on_render_is_405(self, client, superuser, rows):
        client.force_login(superuser)

        assert client.get(action_url("render", rows["valid"])).status_code == 405


class TestRerender:
    def test_bulk_rerender_confirms_the_count_then_marks_the_filtered_ones_stale(
        self, client, superuser, rows
    ):
        Certificate.objects.update(rendered_version="1-old")
        client.force_login(superuser)
        url = reverse("certificates_admin:rerender")

        confirm = client.get(url, {"course": rows["valid"].course.pk})
        assert confirm.status_code == 200
        assert confirm.context["count"] == 2

        response = client.post(url, {"query": confirm.context["query"]})

        assert response.status_code == 302
        stale = set(Certificate.objects.filter(rendered_version="").values_list("pk", flat=True))
        assert stale == {rows["valid"].pk, rows["revoked"].pk}
        assert "2 certificate PDFs will be rendered again" in message_texts(response)[0]

    def test_listing_offers_rerender_with_its_filters(self, client, superuser, rows):
        client.force_login(superuser)

        response = client.get(INDEX_URL, {"status": "valid"})

        assert f"{reverse('certificates_admin:rerender')}?status=valid" in response.content.decode()

    def test_render_one_queues_it_and_renders_after_commit(
        self, client, superuser, rows, django_capture_on_commit_callbacks
    ):
        client.force_login(superuser)

        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(action_url("render", rows["valid"]))

        assert response.status_code == 302
        certificate = Certificate.objects.get(pk=rows["valid"].pk)
        assert certificate.pdf and certificate.rendered_version.startswith("1-")
