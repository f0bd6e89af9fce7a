"""The actions of the project's screens in Wagtail's admin: enrolment requests,
required training, managers, certificates and subjects."""

from tests.compliance.factories import requirement_form_data

from ..conftest import COMPLIANCE_ADMIN, INSTRUCTOR, SUPERUSER, World
from ..world_urls import MY_CERTIFICATE, PENDING, REQUIREMENT, SUBJECT, rev
from .action import Action


def requirement_form(world: World, **changes) -> dict:
    return requirement_form_data(
        **{"name": "Fire drill", "course": str(world.elsewhere.pk), **changes}
    )


PROJECT_ADMIN_ACTIONS = [
    Action(
        key="learner_requests:approve",
        label="approve-enrolment",
        role=INSTRUCTOR,
        url=rev("learner_requests:approve", PENDING),
        changes="learner.enrollment",
    ),
    Action(
        key="learner_requests:reject",
        label="reject-enrolment",
        role=INSTRUCTOR,
        url=rev("learner_requests:reject", PENDING),
        data=lambda w: {"reason": "The course is for team leads."},
        changes="learner.enrollment",
    ),
    Action(
        key="compliance_assignments:exempt",
        label="exempt",
        role=COMPLIANCE_ADMIN,
        url=rev("compliance_assignments:exempt", lambda w: w.me.assignment.pk),
        data=lambda w: {"reason": "Did this at her last job."},
        changes="compliance.assignment",
    ),
    Action(
        key="compliance_assignments:unexempt",
        label="lift-exemption",
        role=COMPLIANCE_ADMIN,
        url=rev("compliance_assignments:unexempt", lambda w: w.other.assignment.pk),
        changes="compliance.assignment",
    ),
    Action(
        key="compliance_requirements:add",
        label="requirement-add",
        role=COMPLIANCE_ADMIN,
        url=rev("compliance_requirements:add"),
        data=requirement_form,
        get_status=200,
        changes="compliance.trainingrequirement",
    ),
    Action(
        key="compliance_requirements:edit",
        label="requirement-edit",
        role=COMPLIANCE_ADMIN,
        url=rev("compliance_requirements:edit", REQUIREMENT),
        data=lambda w: requirement_form(w, name="Renamed", course=str(w.course.pk)),
        get_status=200,
        changes="compliance.trainingrequirement",
    ),
    Action(
        key="compliance_requirements:copy",
        label="requirement-copy",
        role=COMPLIANCE_ADMIN,
        url=rev("compliance_requirements:copy", REQUIREMENT),
        data=lambda w: requirement_form(w, name="Copied"),
        get_status=200,
        changes="compliance.trainingrequirement",
    ),
    Action(
        key="compliance_requirements:delete",
        label="requirement-delete",
        role=COMPLIANCE_ADMIN,
        url=rev("compliance_requirements:delete", REQUIREMENT),
        get_status=200,
        changes="compliance.trainingrequirement",
    ),
    Action(
        key="compliance_requirements:preview",
        label="requirement-preview",
        role=COMPLIANCE_ADMIN,
        url=rev("compliance_requirements:preview"),
        data=requirement_form,
    ),
    Action(
        key="compliance_requirements:preview_existing",
        label="requirement-preview-existing",
        role=COMPLIANCE_ADMIN,
        url=rev("compliance_requirements:preview_existing", REQUIREMENT),
        data=requirement_form,
    ),
    Action(
        key="compliance_managers:add",
        label="manager-add",
        role=COMPLIANCE_ADMIN,
        url=rev("compliance_managers:add"),
        data=lambda w: {"user": str(w.me.user.pk), "manager": str(w.users[INSTRUCTOR].pk)},
        get_status=200,
        changes="accounts.profile",
    ),
    Action(
        key="compliance_managers:edit",
        label="manager-edit",
        role=COMPLIANCE_ADMIN,
        url=rev("compliance_managers:edit", lambda w: w.profile.pk),
        data=lambda w: {"manager": str(w.users[INSTRUCTOR].pk)},
        get_status=200,
        changes="accounts.profile",
    ),
    Action(
        key="compliance_managers:delete",
        label="manager-delete",
        role=SUPERUSER,
        url=rev("compliance_managers:delete", lambda w: w.profile.pk),
        get_status=200,
        changes="accounts.profile",
    ),
    Action(
        key="certificates_admin:revoke",
        label="certificate-revoke",
        role=INSTRUCTOR,
        url=rev("certificates_admin:revoke", MY_CERTIFICATE),
        data=lambda w: {"reason": "Issued by mistake."},
        get_status=200,
        changes="certificates.certificate",
    ),
    Action(
        key="certificates_admin:reissue",
        label="certificate-reissue",
        role=INSTRUCTOR,
        url=rev("certificates_admin:reissue", MY_CERTIFICATE),
        data=lambda w: {"reason": "Name changed."},
        get_status=200,
        changes="certificates.certificate",
    ),
    Action(
        key="certificates_admin:render",
        label="certificate-render",
        role=INSTRUCTOR,
        url=rev("certificates_admin:render", MY_CERTIFICATE),
        changes="certificates.certificate",
    ),
    Action(
        key="certificates_admin:rerender",
        label="certificates-rerender",
        role=INSTRUCTOR,
        url=rev("certificates_admin:rerender"),
        data=lambda w: {"query": ""},
        get_status=200,
        changes="certificates.certificate",
    ),
    Action(
        key="wagtailsnippets_catalog_subject:add",
        label="subject-add",
        role=INSTRUCTOR,
        url=rev("wagtailsnippets_catalog_subject:add"),
        data=lambda w: {"name": "Fire safety", "slug": "fire-safety", "description": ""},
        get_status=200,
        changes="catalog.subject",
    ),
    Action(
        key="wagtailsnippets_catalog_subject:copy",
        label="subject-copy",
        role=INSTRUCTOR,
        url=rev("wagtailsnippets_catalog_subject:copy", SUBJECT),
        data=lambda w: {"name": "Security 2", "slug": "security-2", "description": ""},
        get_status=200,
        changes="catalog.subject",
    ),
    Action(
        key="wagtailsnippets_catalog_subject:edit",
        label="subject-edit",
        role=SUPERUSER,
        url=rev("wagtailsnippets_catalog_subject:edit", SUBJECT),
        data=lambda w: {"name": "Cyber security", "slug": "security", "description": ""},
        get_status=200,
        changes="catalog.subject",
    ),
    Action(
        key="wagtailsnippets_catalog_subject:delete",
        label="subject-delete",
        role=SUPERUSER,
        url=rev("wagtailsnippets_catalog_subject:delete", SUBJECT),
        get_status=200,
        changes="catalog.subject",
    ),
]
