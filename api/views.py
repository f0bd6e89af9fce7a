"""The API's resources. Thin: each reads through the owning app's selectors."""

from django.utils import timezone

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from certificates import selectors as certificate_selectors
from compliance.selectors import learner_requirements, local_today
from learner.selectors import dashboard_enrollments

from .models import Scope
from .serializers import (
    CertificateSerializer,
    MeSerializer,
    ProblemSerializer,
    VerificationSerializer,
)


def problem(description: str) -> OpenApiResponse:
    return OpenApiResponse(ProblemSerializer, description=description)


#: The error answers every authenticated endpoint may give.
AUTH_ERRORS = {
    401: problem("No token, or an unknown, revoked or expired one."),
    403: problem("The token lacks the scope this endpoint needs."),
    429: problem("Too many requests; retry after Retry-After seconds."),
}


def _certificate(certificate) -> dict:
    return {
        "id": certificate.pk,
        "number": certificate.number,
        "course_id": certificate.course_id,
        "course_title": certificate.course_title,
        "holder_name": certificate.holder_name,
        "issued_at": certificate.issued_at,
        "expires_at": certificate.expires_at,
        "revoked_at": certificate.revoked_at,
        "status": certificate.status_on(timezone.now()).value,
    }


class MeView(GenericAPIView):
    """The caller's profile, enrolments with progress, required training and
    certificates: what the learner dashboard shows."""

    required_scope = Scope.READ
    serializer_class = MeSerializer

    @extend_schema(
        operation_id="me_retrieve",
        description="The caller's profile, enrolments with progress, required training "
        "with status and due dates, and certificates. Scope: `read`.",
        responses={200: MeSerializer, **AUTH_ERRORS},
    )
    def get(self, request):
        user = request.user
        groups = dashboard_enrollments(user=user)
        enrolments = [row for rows in groups.values() for row in rows]
        body = {
            "profile": user,
            "enrolments": enrolments,
            "required_training": learner_requirements(user=user, as_of=local_today()),
            "certificates": [
                _certificate(c) for c in certificate_selectors.user_certificates(user=user)
            ],
        }
        return Response(MeSerializer(body).data)


class CertificateListView(GenericAPIView):
    """Certificates: the caller's own, or (``?view=staff``) those they may see as staff."""

    required_scope = Scope.READ
    serializer_class = CertificateSerializer

    @extend_schema(
        operation_id="certificates_list",
        description="The caller's certificates, newest first. With `?view=staff`, the "
        "certificates the caller may see as staff (their courses; all for certificate "
        "administrators). Scope: `read`.",
        responses={200: CertificateSerializer(many=True), **AUTH_ERRORS},
    )
    def get(self, request):
        if request.query_params.get("view") == "staff":
            rows = certificate_selectors.staff_certificates(user=request.user).order_by(
                "-issued_at", "-pk"
            )
        else:
            rows = certificate_selectors.user_certificates(user=request.user)
        return Response([_certificate(c) for c in rows])


class CertificateVerifyThrottle(AnonRateThrottle):
    """The web verify page's limit, per address."""

    scope = "certificate-verify"


class CertificateVerifyView(GenericAPIView):
    """Public: whether a certificate is valid, expired or revoked (the verify page)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [CertificateVerifyThrottle]
    serializer_class = VerificationSerializer

    @extend_schema(
        operation_id="certificates_verify",
        description="Public, no token: the status (valid, expired, revoked), the holder's "
        "name, the course and the dates of the certificate with this verification code.",
        responses={
            200: VerificationSerializer,
            404: problem("No certificate has this code."),
            429: problem("Too many lookups; retry after Retry-After seconds."),
        },
        auth=[],
    )
    def get(self, request, code: str):
        certificate = certificate_selectors.certificate_by_code(code=code)
        if certificate is None:
            raise NotFound("No certificate has this verification code.")
        body = _certificate(certificate)
        return Response(VerificationSerializer(body).data)
