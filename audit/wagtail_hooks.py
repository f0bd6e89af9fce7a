"""The audit trail's actions, with the labels *Site history* filters and shows them by.

Every action :func:`audit.record` writes is registered here, so the admin never shows
a bare action name; ``tests/audit`` checks that each recorded action is listed.
"""

from wagtail import hooks

#: Action name → label (and message) in *Site history*.
ACTIONS = {
    "fledge.enrollment.request": "Enrolment: requested",
    "fledge.enrollment.approve": "Enrolment: approved",
    "fledge.enrollment.reject": "Enrolment: rejected",
    "fledge.enrollment.withdraw": "Enrolment: withdrawn",
    "fledge.enrollment.promote": "Enrolment: promoted from the waitlist",
    "fledge.lesson.complete": "Lesson completed",
    "fledge.quiz.submit": "Quiz attempt graded",
    "fledge.course.complete": "Course completed",
    "fledge.assignment.create": "Assignment: created",
    "fledge.assignment.close": "Assignment: closed",
    "fledge.assignment.exempt": "Assignment: exempted",
    "fledge.assignment.reopen": "Assignment: reopened",
    "fledge.assignment.reschedule": "Assignment: due date moved by an edited rule",
    "fledge.assignment.material_change": "Assignment: reopened by a material change",
    "fledge.assignment.unexempt": "Assignment: exemption lifted",
    "fledge.notification.sent": "Reminder or notification sent",
    "fledge.requirement.create": "Requirement: created",
    "fledge.requirement.edit": "Requirement: edited",
    "fledge.requirement.deactivate": "Requirement: deactivated",
    "fledge.requirement.delete": "Requirement: deleted",
    "fledge.certificate.issue": "Certificate: issued",
    "fledge.certificate.revoke": "Certificate: revoked",
    "fledge.certificate.reissue": "Certificate: reissued",
    "fledge.certificate.download": "Certificate: downloaded by staff",
    "fledge.report.export": "Report exported",
    "fledge.account.sign_in": "Signed in",
    "fledge.account.sign_in_failed": "Sign-in failed",
    "fledge.account.sign_out": "Signed out",
    "fledge.account.mfa_change": "Second factor changed",
    "fledge.account.scim_change": "Changed by SCIM",
    "fledge.audit.purge": "Audit trail: old entries purged",
    "fledge.records.export": "Personal data downloaded",
    "fledge.records.evidence": "Evidence pack downloaded",
    "fledge.records.erase": "Personal data erased",
    "fledge.records.retention_purge": "Retention purge",
    "fledge.api.token_create": "API token: created",
    "fledge.api.token_revoke": "API token: revoked",
}


@hooks.register("register_log_actions")
def register_audit_actions(actions) -> None:
    """Label every audited action in *Site history* and the object's history."""
    for action, label in ACTIONS.items():
        actions.register_action(action, label, label)
