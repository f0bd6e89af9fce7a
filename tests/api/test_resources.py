"""The first resources: me, certificates, public verification; throttling; sessions."""

import pytest
from rest_framework.test import APIClient

from api.throttling import TokenRateThrottle
from tests.certificates.factories import issued_certificate
from tests.learner.factories import UserFactory


@pytest.mark.django_db
class TestCertificates:
    def test_me_and_list_show_own_certificates_only(self, catalog, client_with_token, learner):
        mine = issued_certificate(user=learner)
        issued_certificate(user=UserFactory(username="olga"))
        listed = client_with_token.get("/api/v1/certificates/").json()
        assert [row["id"] for row in listed] == [mine.pk]
        me = client_with_token.get("/api/v1/me/").json()
        assert [row["number"] for row in me["certificates"]] == [mine.number]
        assert me["enrolments"][0]["status"] == "completed"

    def test_verify_is_public(self, catalog):
        certificate = issued_certificate()
        response = APIClient().get(f"/api/v1/certificates/verify/{certificate.verification_code}/")
        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "valid"
        assert body["holder_name"] == certificate.holder_name

    def test_unknown_code_is_404_problem_json(self, db):
        response = APIClient().get("/api/v1/certificates/verify/no-such-code/")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"


@pytest.mark.django_db
class TestThrottling:
    def test_too_many_requests_is_429_with_retry_after(self, client_with_token, monkeypatch):
        monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"api": "2/minute"})
        monkeypatch.setattr(TokenRateThrottle, "timer", lambda self: 1_800_000_030.0)
        assert client_with_token.get("/api/v1/me/").status_code == 200
        assert client_with_token.get("/api/v1/me/").status_code == 200
        response = client_with_token.get("/api/v1/me/")
        assert response.status_code == 429
        assert response["Content-Type"] == "application/problem+json"
        assert int(response["Retry-After"]) > 0


@pytest.mark.django_db
class TestSession:
    def test_signed_in_session_reads_me(self, client, learner):
        client.force_login(learner)
        assert client.get("/api/v1/me/").status_code == 200

    def test_unsafe_method_without_csrf_is_403(self, learner):
        client = APIClient(enforce_csrf_checks=True)
        client.force_login(learner)
        response = client.post("/api/v1/me/")
        assert response.status_code == 403
        assert response["Content-Type"] == "application/problem+json"
        assert "CSRF" in response.json()["detail"]
