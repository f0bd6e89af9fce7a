"""The project's views inside the Wagtail admin: learners, compliance, certificates
and subjects."""

from collections.abc import Callable

from django.urls import reverse

from ..conftest import World
from ..world_urls import ME_ENROLLMENT, MY_CERTIFICATE, PENDING, REQUIREMENT, rev
from .case import (
    ADMIN_DENIED,
    ADMIN_LOGIN,
    OK,
    POST_ONLY,
    Access,
    Case,
)

#: The instructors' screens: course staff (instructors) and superusers.
INSTRUCTORS_ONLY = Access(
    anonymous=ADMIN_LOGIN,
    learner=ADMIN_LOGIN,
    instructor=OK,
    compliance_admin=ADMIN_DENIED,
    superuser=OK,
)
#: The compliance screens: compliance admins and superusers.
COMPLIANCE_ONLY = Access(
    anonymous=ADMIN_LOGIN,
    learner=ADMIN_LOGIN,
    instructor=ADMIN_DENIED,
    compliance_admin=OK,
    superuser=OK,
)
#: A POST-only endpoint of an instructors' screen: 405 on a GET for those it is open to.
INSTRUCTORS_POST_ONLY = INSTRUCTORS_ONLY.but(instructor=POST_ONLY, superuser=POST_ONLY)
#: A POST-only endpoint of a compliance screen.
COMPLIANCE_POST_ONLY = COMPLIANCE_ONLY.but(compliance_admin=POST_ONLY, superuser=POST_ONLY)
#: A POST-only admin endpoint open to every staff role.
ADMIN_POST_ONLY = INSTRUCTORS_POST_ONLY.but(compliance_admin=POST_ONLY)
#: Superusers only: the staff roles get the admin's "no permission" redirect.
SUPERUSERS_ONLY = Access(
    anonymous=ADMIN_LOGIN,
    learner=ADMIN_LOGIN,
    instructor=ADMIN_DENIED,
    compliance_admin=ADMIN_DENIED,
    superuser=OK,
)


def admin_views(
    namespace: str,
    access: Access,
    *names: str,
    pk: Callable[[World], int] | None = None,
    label: str = "",
) -> list[Case]:
    """One case per view name of an admin viewset; names ending in ``*`` take
    ``pk(world)``."""
    cases = []
    for name in names:
        with_pk = name.endswith("*")
        name = name.rstrip("*")
        args = (pk,) if with_pk else ()
        cases.append(
            Case(
                key=f"{namespace}:{name}",
                label=f"{label or namespace}-{name}",
                url=rev(f"{namespace}:{name}", *args),
                access=access,
            )
        )
    return cases


PROJECT_ADMIN = [
    # Learners menu: course editors (instructors) and superusers.
    *admin_views("learner_requests", INSTRUCTORS_ONLY, "index", "index_results"),
    *admin_views("learner_requests", INSTRUCTORS_POST_ONLY, "approve*", "reject*", pk=PENDING),
    *admin_views("learner_progress", INSTRUCTORS_ONLY, "index", "index_results"),
    *admin_views("learner_progress", INSTRUCTORS_ONLY, "detail*", pk=ME_ENROLLMENT),
    Case(
        key="learner_progress:index",
        label="learner_progress-export",
        url=rev("learner_progress:index", query="export=csv"),
        access=INSTRUCTORS_ONLY,
    ),
    # Compliance menu: compliance admins and superusers.
    *admin_views("compliance_summary", COMPLIANCE_ONLY, "index"),
    Case(
        key="compliance_summary:index",
        label="compliance_summary-export",
        url=rev("compliance_summary:index", query="export=csv"),
        access=COMPLIANCE_ONLY,
    ),
    *admin_views("compliance_report", COMPLIANCE_ONLY, "index", "index_results"),
    Case(
        key="compliance_report:index",
        label="compliance_report-export",
        url=rev("compliance_report:index", query="export=xlsx"),
        access=COMPLIANCE_ONLY,
    ),
    *admin_views(
        "compliance_requirements",
        COMPLIANCE_ONLY,
        "index",
        "index_results",
        "add",
        "edit*",
        "delete*",
        "copy*",
        "history*",
        "history_results*",
        "usage*",
        pk=REQUIREMENT,
    ),
    *admin_views(
        "compliance_requirements", ADMIN_POST_ONLY, "preview", "preview_existing*", pk=REQUIREMENT
    ),
    *admin_views("compliance_assignments", COMPLIANCE_ONLY, "index", "index_results"),
    *admin_views(
        "compliance_assignments",
        COMPLIANCE_POST_ONLY,
        "exempt*",
        "unexempt*",
        pk=lambda w: w.me.assignment.pk,
    ),
    *admin_views(
        "compliance_managers",
        COMPLIANCE_ONLY,
        "index",
        "index_results",
        "add",
        "edit*",
        "history*",
        "history_results*",
        "usage*",
        pk=lambda w: w.profile.pk,
    ),
    *admin_views(
        "compliance_managers",
        SUPERUSERS_ONLY,
        "delete*",
        pk=lambda w: w.profile.pk,
        label="compliance_managers-not-for-compliance-admins",
    ),
    # The people chooser (no menu item): whoever may edit requirements or managers.
    *admin_views("compliance_people", COMPLIANCE_ONLY, "choose", "choose_results"),
    Case(
        key="compliance_people:chosen",
        label="compliance_people-chosen",
        url=rev("compliance_people:chosen", lambda w: w.me.user.pk),
        access=COMPLIANCE_ONLY,
    ),
    Case(
        key="compliance_people:chosen_multiple",
        label="compliance_people-chosen_multiple",
        url=lambda w: reverse("compliance_people:chosen_multiple") + f"?id={w.me.user.pk}",
        access=COMPLIANCE_ONLY,
    ),
    # Certificates menu: staff of the courses (instructors) and superusers.
    *admin_views(
        "certificates_admin",
        INSTRUCTORS_ONLY,
        "index",
        "index_results",
        "rerender",
        "detail*",
        "revoke*",
        "reissue*",
        pk=MY_CERTIFICATE,
    ),
    *admin_views("certificates_admin", INSTRUCTORS_POST_ONLY, "render*", pk=MY_CERTIFICATE),
    # Subjects (a snippet): instructors may view, add and copy; not change or delete.
    *admin_views(
        "wagtailsnippets_catalog_subject",
        INSTRUCTORS_ONLY,
        "list",
        "list_results",
        "add",
        "copy*",
        "history*",
        "history_results*",
        pk=lambda w: w.subject.pk,
        label="subjects",
    ),
    *admin_views(
        "wagtailsnippets_catalog_subject",
        SUPERUSERS_ONLY,
        "edit*",
        "delete*",
        "usage*",
        pk=lambda w: w.subject.pk,
        label="subjects-change",
    ),
    # Personal records: compliance admins take evidence packs; anyone's data and
    # erasure are for data protection officers (here: superusers).
    *admin_views("records", COMPLIANCE_ONLY, "people", label="records"),
    *admin_views(
        "records",
        COMPLIANCE_ONLY,
        "person*",
        "evidence_pdf*",
        "evidence_json*",
        pk=lambda w: w.me.user.pk,
        label="records",
    ),
    *admin_views(
        "records", SUPERUSERS_ONLY, "data*", "erase*", pk=lambda w: w.me.user.pk, label="records"
    ),
]
