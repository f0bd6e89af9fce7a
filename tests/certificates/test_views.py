"""The holder's pages and downloads, and the public verification pages."""

import re
from datetime import UTC, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from certificates import services, views
from certificates.models import Certificate
from tests.certificates.factories import issued_certificate, pdf_text, user_with_permission
from tests.learner.factories import UserFactory, course_editor

pytestmark = pytest.mark.django_db


def download_url(reference) -> str:
    return reverse("certificates:download", args=[reference])


def verify_url(code: str) -> str:
    return reverse("certificates:verify", args=[code])


@pytest.fixture
def holder():
    return UserFactory(
        username="hana", first_name="Hana", last_name="Holder", email="hana@example.com"
    )


@pytest.fixture
def certificate(holder) -> Certificate:
    return issued_certificate(user=holder, title="Knot Tying", certificate_validity_months=12)


class TestDownload:
    def test_holder_downloads_the_pdf_rendered_on_demand(self, client, holder, certificate):
        assert not certificate.pdf  # the background render has not run in this test
        client.force_login(holder)

        response = client.get(download_url(certificate.number))

        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert f'filename="{certificate.number}.pdf"' in response["Content-Disposition"]
        assert response["Content-Disposition"].startswith("attachment")
        pages, text = pdf_text(b"".join(response.streaming_content))
        assert pages == 1
        assert "Hana Holder" in text
        certificate.refresh_from_db()
        assert certificate.pdf and certificate.rendered_at

    def test_behind_nginx_the_file_is_handed_over_with_x_accel_redirect(
        self, client, holder, certificate, settings
    ):
        settings.PRIVATE_MEDIA_ACCEL_PREFIX = "/_protected/"
        client.force_login(holder)

        response = client.get(download_url(certificate.number))

        certificate.refresh_from_db()
        assert response.status_code == 200
        assert response["X-Accel-Redirect"] == f"/_protected/{certificate.pdf.name}"
        assert response["Content-Disposition"] == (
            f'attachment; filename="{certificate.number}.pdf"'
        )
        assert response.content == b""
        client.force_login(UserFactory(username="stranger"))
        refused = client.get(download_url(certificate.number))
        assert refused.status_code == 404
        assert "X-Accel-Redirect" not in refused

    def test_download_by_id_works_too(self, client, holder, certificate):
        services.certificate_render(certificate=certificate)
        client.force_login(holder)

        assert client.get(download_url(certificate.pk)).status_code == 200

    @pytest.mark.parametrize("who", ["editor of the course", "superuser", "certificate viewer"])
    def test_staff_may_download(self, client, certificate, who):
        services.certificate_render(certificate=certificate)
        if who == "editor of the course":
            user = course_editor(certificate.course, "ed")
        elif who == "superuser":
            user = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
        else:
            user = user_with_permission("vic", "view_certificate")
        client.force_login(user)

        assert client.get(download_url(certificate.number)).status_code == 200

    def test_other_learners_and_editors_of_other_courses_get_404(self, client, certificate):
        other_course_editor = course_editor(issued_certificate().course, "otto")
        for user in (UserFactory(username="nosy"), other_course_editor):
            client.force_login(user)

            response = client.get(download_url(certificate.number))

            assert response.status_code == 404
            assert b"could not find that certificate" in response.content

    def test_anonymous_is_sent_to_sign_in(self, client, certificate):
        response = client.get(download_url(certificate.number))

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))

    @pytest.mark.parametrize(
        "reference", ["FLG-2026-999999", "999999", "not-a-number", "1" * 40, "١٢"]
    )
    def test_unknown_or_malformed_references_are_404(self, client, holder, certificate, reference):
        client.force_login(holder)

        assert client.get(download_url(reference)).status_code == 404


class TestMyCertificates:
    def test_lists_each_certificate_with_status_and_links(self, client, holder, certificate):
        expired = issued_certificate(
            user=holder,
            title="Old Course",
            certificate_validity_months=1,
            as_of=datetime(2020, 1, 1, tzinfo=UTC),
        )
        revoked = issued_certificate(user=holder, title="Revoked Course")
        services.certificate_revoke(certificate=revoked, by=holder, reason="Error")
        client.force_login(holder)

        response = client.get(reverse("certificates:list"))

        assert response.status_code == 200
        content = response.content.decode()
        for item in (certificate, expired, revoked):
            assert item.number in content
            assert download_url(item.number) in content
            assert verify_url(item.verification_code) in content
        statuses = {c.number: c.current_status for c in response.context["certificates"]}
        assert statuses == {
            certificate.number: Certificate.Status.VALID,
            expired.number: Certificate.Status.EXPIRED,
            revoked.number: Certificate.Status.REVOKED,
        }

    def test_anonymous_is_sent_to_sign_in(self, client):
        response = client.get(reverse("certificates:list"))

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))

    def test_query_count_does_not_grow_with_certificates(
        self, client, holder, certificate, django_assert_max_num_queries
    ):
        client.force_login(holder)
        client.get(reverse("certificates:list"))  # warm caches (site, branding)
        with CaptureQueriesContext(connection) as one:
            client.get(reverse("certificates:list"))
        budget = len(one)
        for _ in range(4):
            issued_certificate(user=holder)
        client.get(reverse("certificates:list"))  # new course pages retired cached content

        with django_assert_max_num_queries(budget):
            client.get(reverse("certificates:list"))
        with CaptureQueriesContext(connection) as dashboard_one:
            client.get(reverse("learner:dashboard"))
        dashboard_budget = len(dashboard_one) + 1
        issued_certificate(user=holder)
        client.get(reverse("learner:dashboard"))
        with django_assert_max_num_queries(dashboard_budget):
            client.get(reverse("learner:dashboard"))

    def test_shows_only_the_users_own(self, client, certificate):
        client.force_login(UserFactory(username="someone"))

        response = client.get(reverse("certificates:list"))

        assert certificate.number not in response.content.decode()
        assert b"You have no certificates yet" in response.content

    def test_dashboard_has_a_certificates_panel(self, client, holder, certificate):
        client.force_login(holder)

        response = client.get(reverse("learner:dashboard"))

        content = response.content.decode()
        assert 'id="dashboard-certificates"' in content
        assert certificate.number in content
        assert download_url(certificate.number) in content

    def test_dashboard_without_certificates_has_no_panel(self, client):
        client.force_login(UserFactory(username="newbie"))

        response = client.get(reverse("learner:dashboard"))

        assert b'id="dashboard-certificates"' not in response.content


class TestVerification:
    def test_valid_certificate_shows_name_course_and_dates_and_nothing_personal(
        self, client, holder, certificate
    ):
        response = client.get(verify_url(certificate.verification_code))

        assert response.status_code == 200
        content = response.content.decode()
        assert "This certificate is valid." in content
        assert "Hana Holder" in content
        assert "Knot Tying" in content
        assert certificate.number in content
        assert f"{timezone.localdate(certificate.issued_at):%-d %B %Y}" in content
        # The last valid day, not the midnight after it when it stops being valid.
        valid_until = re.search(r"<dt>Valid until</dt>\s*<dd>(.*?)</dd>", content).group(1)
        assert valid_until == f"{certificate.valid_until:%-d %B %Y}"
        assert holder.email not in content
        assert holder.username not in content
        assert 'name="robots" content="noindex"' in content

    def test_expired_certificate_says_so(self, client):
        old = issued_certificate(
            certificate_validity_months=6, as_of=datetime(2020, 1, 1, tzinfo=UTC)
        )

        response = client.get(verify_url(old.verification_code))

        assert response.status_code == 200
        assert b"This certificate has expired." in response.content

    def test_revoked_certificate_says_so_without_the_reason(self, client, certificate):
        services.certificate_revoke(
            certificate=certificate, by=UserFactory(), reason="Secret internal reason"
        )

        response = client.get(verify_url(certificate.verification_code))

        assert response.status_code == 200
        assert b"This certificate has been revoked." in response.content
        assert b"Secret internal reason" not in response.content

    def test_reissued_certificate_points_to_its_replacement(self, client, certificate):
        new = services.certificate_reissue(
            certificate=certificate, by=UserFactory(), reason="Name corrected"
        )

        old_page = client.get(verify_url(certificate.verification_code)).content.decode()
        new_page = client.get(verify_url(new.verification_code)).content.decode()

        assert "This certificate has been revoked." in old_page
        assert f"Certificate {new.number}" in old_page
        assert "This certificate is valid." in new_page

    @pytest.mark.parametrize(
        "code",
        ["AAAAAAAAAAAAAAAAAAAAAA", "short", "has spaces in it here", "x" * 500, "%00%27--"],
        ids=["unknown", "too-short", "spaces", "too-long", "junk"],
    )
    def test_unknown_and_malformed_codes_are_a_clear_404(self, client, certificate, code):
        response = client.get(f"/certificates/verify/{code}/")

        assert response.status_code == 404
        assert b"Certificate not found" in response.content

    def test_verify_form_redirects_to_the_code_and_accepts_a_pasted_link(self, client, certificate):
        code = certificate.verification_code
        assert client.get(reverse("certificates:verify_form")).status_code == 200

        for typed in (code, f"  {code} ", f"https://learn.example.org/certificates/verify/{code}/"):
            response = client.get(reverse("certificates:verify_form"), {"code": typed})

            assert response.status_code == 302
            assert response["Location"] == verify_url(code)

    def test_verify_form_with_something_else_is_a_400_with_the_reason(self, client):
        for typed in ("", "not a code!"):
            response = client.get(reverse("certificates:verify_form"), {"code": typed})

            assert response.status_code == 400
            assert b'class="error"' in response.content

    def test_lookups_are_rate_limited_per_address(self, client, certificate, one_rate_window):
        url = verify_url(certificate.verification_code)
        limit = views.VERIFY_LIMIT_PER_MINUTE
        for _ in range(limit - 1):
            assert client.get(url).status_code == 200
        assert client.get("/certificates/verify/guessing-codes-here/").status_code == 404

        refused = client.get(url)

        assert refused.status_code == 429
        assert refused["Retry-After"] == "60"
        assert b"Wait a minute" in refused.content
        assert client.get(url, REMOTE_ADDR="10.0.0.2").status_code == 200

    def test_status_follows_the_clock(self, client, certificate):
        Certificate.objects.filter(pk=certificate.pk).update(
            expires_at=datetime.now(tz=UTC) - timedelta(minutes=1)
        )

        response = client.get(verify_url(certificate.verification_code))

        assert b"This certificate has expired." in response.content
