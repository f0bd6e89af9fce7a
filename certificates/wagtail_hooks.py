"""Wagtail hooks: the admin's Certificates menu, its permissions, and the learner
dashboard's Certificates panel."""

from django.contrib.auth.models import Permission
from django.utils import timezone

from wagtail import hooks

from base.panels import Panel

from . import erasure, personal_data, selectors
from .viewsets import CertificateViewSet

#: Where the panel sits on the dashboard: after the enrolments (50).
DASHBOARD_PANEL_ORDER = 80


@hooks.register("register_admin_viewset")
def register_certificates_menu():
    return CertificateViewSet()


@hooks.register("register_permissions")
def certificate_permissions():
    """Let groups be given "view" (every certificate, read-only) and "change" (revoke,
    reissue and re-render any certificate) in *Settings → Groups*."""
    return Permission.objects.filter(
        content_type__app_label="certificates",
        codename__in=["view_certificate", "change_certificate"],
    )


# ``learner.views.DASHBOARD_PANELS_HOOK``: each function returns a Panel or None.
@hooks.register("learner_dashboard_panels")
def certificates_panel(request) -> Panel | None:
    """The learner's current certificates (replaced ones are on the full list), with
    their status and download links; no panel for a learner without any."""
    certificates = selectors.dashboard_certificates(user=request.user)
    current = [certificate for certificate in certificates if not certificate.is_replaced]
    if not current:
        return None
    now = timezone.now()
    for certificate in current:
        certificate.current_status = certificate.status_on(now)
    return Panel(
        "certificates/includes/dashboard_panel.html",
        {"certificates": current, "more": len(certificates) > len(current)},
        order=DASHBOARD_PANEL_ORDER,
    )


# ``learner.views.COURSE_COMPLETE_PANELS_HOOK``: a Panel or None.
@hooks.register("learner_course_complete_panels")
def certificate_on_completion(request, enrollment) -> Panel | None:
    """The certificate a completion earned: its download link once rendered, else that
    it is being prepared; nothing for a course that issues none."""
    if not enrollment.course.issues_certificate:
        return None
    return Panel(
        "certificates/includes/course_complete.html",
        {"certificate": selectors.current_certificate(enrollment=enrollment)},
        order=10,
    )


# A person's records (records.hooks): this app's part of their data download, evidence
# pack and erasure, and of the retention purge.
hooks.register("register_person_export", personal_data.export_person)
hooks.register("register_person_evidence", personal_data.person_evidence)
hooks.register("register_person_erasure", erasure.erase_person)
hooks.register("register_retention_purge", erasure.purge_before)
