"""Revocation and reissue: reasons, who, and the certificate chain."""

from datetime import UTC, datetime

import pytest

from certificates import selectors, services
from certificates.models import Certificate
from tests.certificates.factories import issued_certificate
from tests.learner.factories import UserFactory

pytestmark = pytest.mark.django_db

Status = Certificate.Status


@pytest.fixture
def staff():
    return UserFactory(username="staff")


class TestRevoke:
    def test_records_when_why_and_by_whom(self, staff):
        certificate = issued_certificate()
        moment = datetime(2026, 12, 1, 9, tzinfo=UTC)

        revoked = services.certificate_revoke(
            certificate=certificate, by=staff, reason="  Issued in error  ", as_of=moment
        )

        assert (revoked.revoked_at, revoked.revoked_by, revoked.revoked_reason) == (
            moment,
            staff,
            "Issued in error",
        )
        assert revoked.status_on(moment) == Status.REVOKED

    @pytest.mark.parametrize("reason", ["", "   "])
    def test_needs_a_reason(self, staff, reason):
        certificate = issued_certificate()

        with pytest.raises(services.CertificateError, match="Give a reason"):
            services.certificate_revoke(certificate=certificate, by=staff, reason=reason)
        assert Certificate.objects.get().revoked_at is None

    def test_long_reasons_are_cut_to_the_limit(self, staff):
        certificate = issued_certificate()

        revoked = services.certificate_revoke(certificate=certificate, by=staff, reason="x" * 5000)

        assert len(revoked.revoked_reason) == services.MAX_REASON_LENGTH


class TestReissue:
    def test_chain_of_reissues_keeps_one_current_certificate(self, staff):
        original = issued_certificate(certificate_validity_months=12)

        second = services.certificate_reissue(certificate=original, by=staff, reason="Typo")
        third = services.certificate_reissue(certificate=second, by=staff, reason="Typo again")

        chain = list(Certificate.objects.filter(enrollment=original.enrollment).order_by("pk"))
        assert chain == [original, second, third]
        assert [c.status for c in chain] == [Status.REVOKED, Status.REVOKED, Status.VALID]
        assert (second.replaces, third.replaces) == (original, second)
        assert selectors.current_certificate(enrollment=original.enrollment) == third
        assert third.expires_at == original.expires_at  # from the same completion
        assert services.certificate_issue(enrollment=original.enrollment) == third

    def test_reissuing_a_revoked_certificate_keeps_its_revocation(self, staff):
        original = issued_certificate()
        services.certificate_revoke(certificate=original, by=staff, reason="Fraud suspected")

        new = services.certificate_reissue(certificate=original, by=staff, reason="Cleared")

        original.refresh_from_db()
        assert original.revoked_reason == "Fraud suspected"
        assert new.status == Status.VALID

    def test_a_certificate_is_replaced_at_most_once(self, staff):
        original = issued_certificate()
        services.certificate_reissue(certificate=original, by=staff, reason="Once")

        with pytest.raises(services.CertificateError, match="already replaced"):
            services.certificate_reissue(certificate=original, by=staff, reason="Twice")

    def test_needs_a_reason(self, staff):
        with pytest.raises(services.CertificateError):
            services.certificate_reissue(certificate=issued_certificate(), by=staff, reason="")
        assert Certificate.objects.count() == 1
