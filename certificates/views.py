"""Certificate pages: the holder's list and downloads, and public verification.

Every refusal is a clear 4xx page: certificates the user may not see are 404 (the same
as ones that do not exist), unknown and malformed codes are 404, too many lookups from
one address are 429.
"""

import logging
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from base.errors import problem_page

from . import audit_events, ratelimit, selectors, services
from .forms import VerifyForm

logger = logging.getLogger(__name__)

#: Verification lookups allowed per client address per minute.
VERIFY_LIMIT_PER_MINUTE = 30


def problem(request: HttpRequest, *, title: str, message: str, status: int) -> HttpResponse:
    """A page that says what went wrong and where to go next, with a 4xx (or 503)."""
    return problem_page(
        request, message, title=title, status=status, template="certificates/problem.html"
    )


@login_required
@require_safe
def my_certificates(request: HttpRequest) -> HttpResponse:
    """The signed-in learner's certificates with their status and download links."""
    now = timezone.now()
    certificates = list(selectors.user_certificates(user=request.user))
    for certificate in certificates:
        certificate.current_status = certificate.status_on(now)
    return render(request, "certificates/certificate_list.html", {"certificates": certificates})


@login_required
@require_safe
@never_cache
def download(request: HttpRequest, reference: str) -> HttpResponse:
    """The PDF of a certificate, by number or id, for its holder and staff; 404 for
    anyone else. A missing or stale file is rendered first."""
    certificate = selectors.certificate_for_download(user=request.user, reference=reference)
    if certificate is None:
        return problem(
            request,
            title="Certificate not found",
            message="We could not find that certificate among those you may download.",
            status=404,
        )
    try:
        certificate = services.certificate_render(certificate=certificate)
    except OSError:
        logger.exception("Could not render certificate %s", certificate.number)
        return problem(
            request,
            title="Certificate not ready",
            message="We could not prepare this certificate just now. Try again in a minute.",
            status=503,
        )
    audit_events.downloaded(certificate, by=request.user)
    filename = f"{certificate.number}.pdf"
    if settings.PRIVATE_MEDIA_ACCEL_PREFIX:
        # nginx sends the file from its internal location; Django only said who may.
        response = HttpResponse(content_type="application/pdf")
        response["X-Accel-Redirect"] = settings.PRIVATE_MEDIA_ACCEL_PREFIX + quote(
            certificate.pdf.name
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    else:
        response = FileResponse(
            certificate.pdf.open("rb"),
            as_attachment=True,
            filename=filename,
            content_type="application/pdf",
        )
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def verify_form(request: HttpRequest) -> HttpResponse:
    """Public: a form for the code printed on a certificate; a valid-looking code goes
    on to its verification page."""
    if "code" not in request.GET:
        return render(request, "certificates/verify_form.html", {"form": VerifyForm()})
    form = VerifyForm(request.GET)
    if not form.is_valid():
        return render(request, "certificates/verify_form.html", {"form": form}, status=400)
    return redirect("certificates:verify", code=form.cleaned_data["code"])


@require_safe
@never_cache
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: whether a certificate is valid, expired or revoked, with the holder's
    name, the course and the dates, and nothing else about the holder."""
    if not ratelimit.hit("certificate-verify", request, limit=VERIFY_LIMIT_PER_MINUTE):
        response = problem(
            request,
            title="Too many lookups",
            message="You have checked a lot of certificates in a short time. "
            "Wait a minute, then try again.",
            status=429,
        )
        response["Retry-After"] = "60"
        return response
    certificate = selectors.certificate_by_code(code=code)
    if certificate is None:
        return render(
            request,
            "certificates/verify_not_found.html",
            {"form": VerifyForm(), "malformed": not selectors.is_valid_code(code=code)},
            status=404,
        )
    return render(
        request,
        "certificates/verify_result.html",
        {
            "certificate": certificate,
            "status": certificate.status_on(timezone.now()),
            "successor": certificate.successor,
        },
    )
