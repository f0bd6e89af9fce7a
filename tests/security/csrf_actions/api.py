"""The account page's API tokens (forms, so CSRF-checked), and the REST API: every
endpoint so far is read-only (GET). Session callers' unsafe
methods are CSRF-checked by DRF's SessionAuthentication (``tests/api/test_resources.py``);
bearer tokens cannot be sent by a cross-site form."""

from django.contrib.auth.models import Group

from accounts.models import DirectoryGroup
from api.models import AccessToken
from api.services import access_token_create

from ..access_cases.api import webhook, webhook_delivery
from ..conftest import COMPLIANCE_ADMIN, LEARNER, SUPERUSER
from ..world_urls import rev
from .action import Action


def _make_token(client, world) -> None:
    # Before the database snapshot, so only the revocation counts as a change.
    access_token_create(user=world.me.user, name="CSRF", scopes=["read"])


def _own_token(world) -> int:
    return AccessToken.objects.filter(user=world.me.user).latest("pk").pk


API_ACTIONS = [
    Action(
        key="api_tokens",
        label="api-token-create",
        role=LEARNER,
        url=rev("api_tokens"),
        data=lambda w: {"name": "CI", "scopes": ["read"]},
        get_status=200,
        changes="api.accesstoken",
    ),
    Action(
        key="api_token_revoke",
        label="api-token-revoke",
        role=LEARNER,
        url=rev("api_token_revoke", _own_token),
        prepare=_make_token,
        changes="api.accesstoken",
    ),
]

API_ACTIONS += [
    Action(
        key="api_admin:tokens",
        label="api-admin-token-create",
        role=SUPERUSER,
        url=rev("api_admin:tokens"),
        data=lambda w: {"username": w.me.user.get_username(), "name": "CI", "scopes": ["read"]},
        get_status=200,
        changes="api.accesstoken",
    ),
    Action(
        key="api_admin:revoke",
        label="api-admin-token-revoke",
        role=SUPERUSER,
        url=rev("api_admin:revoke", _own_token),
        prepare=_make_token,
        changes="api.accesstoken",
    ),
]


def _directory_group(world) -> int:
    group, _ = Group.objects.get_or_create(name="Sales (directory)")
    DirectoryGroup.objects.get_or_create(group=group, defaults={"external_id": "sales"})
    return group.pk


# The resources that write, called from the site's own pages (a session): DRF's
# SessionAuthentication checks the CSRF token; a bearer token needs none.
API_ACTIONS += [
    Action(
        key="api:assignment-exemption",
        label="api-exempt",
        role=COMPLIANCE_ADMIN,
        url=rev("api:assignment-exemption", lambda w: w.me.assignment.pk),
        data=lambda w: {"reason": "Did it at head office"},
        changes="compliance.assignment",
    ),
    Action(
        key="api:users",
        label="api-user-create",
        role=SUPERUSER,
        url=rev("api:users"),
        data=lambda w: {"username": "starter", "email": "starter@example.org"},
        get_status=200,
        changes="auth.user",
    ),
    Action(
        key="api:groups",
        label="api-group-create",
        role=SUPERUSER,
        url=rev("api:groups"),
        data=lambda w: {"name": "Marketing"},
        get_status=200,
        changes="auth.group",
    ),
    Action(
        key="api:group-members",
        label="api-group-member-add",
        role=SUPERUSER,
        url=rev("api:group-members", _directory_group),
        data=lambda w: {"user_id": w.me.user.pk},
        prepare=lambda client, world: _directory_group(world),  # before the snapshot
        changes="auth.user_groups",
    ),
    Action(
        key="api:enrolments",
        label="api-enrol",
        role=LEARNER,
        url=rev("api:enrolments"),
        data=lambda w: {"course_id": w.elsewhere.pk},
        get_status=200,
        changes="learner.enrollment",
    ),
    Action(
        key="api:enrolment-withdraw",
        label="api-enrolment-withdraw",
        role=LEARNER,
        url=rev("api:enrolment-withdraw", lambda w: w.me.enrollment.pk),
        changes="learner.enrollment",
    ),
]


def _webhook_form(world) -> dict:
    return {
        "name": "HR system",
        "url": "https://hr.example.org/other-hook",
        "events": ["enrolment.created", "certificate.issued"],
        "active": "on",
    }


# The webhook admin (superusers among the shipped roles).
API_ACTIONS += [
    Action(
        key="api_webhooks:add",
        label="webhook-add",
        role=SUPERUSER,
        url=rev("api_webhooks:add"),
        data=_webhook_form,
        get_status=200,
        changes="api.webhooksubscription",
    ),
    Action(
        key="api_webhooks:edit",
        label="webhook-edit",
        role=SUPERUSER,
        url=rev("api_webhooks:edit", webhook),
        prepare=lambda client, world: webhook(world),  # before the snapshot
        data=_webhook_form,
        get_status=200,
        changes="api.webhooksubscription",
    ),
    Action(
        key="api_webhooks:delete",
        label="webhook-delete",
        role=SUPERUSER,
        url=rev("api_webhooks:delete", webhook),
        prepare=lambda client, world: webhook(world),
        get_status=200,
        changes="api.webhooksubscription",
    ),
    Action(
        key="api_webhook_deliveries:resend",
        label="webhook-resend",
        role=SUPERUSER,
        url=rev("api_webhook_deliveries:resend", webhook_delivery),
        prepare=lambda client, world: webhook_delivery(world),
        changes="api.webhookdelivery",
    ),
]

API_SAFE = {
    "api_webhooks:index",
    "api_webhooks:index_results",
    "api_webhooks:history",
    "api_webhooks:history_results",
    "api_webhooks:usage",
    "api_webhook_deliveries:index",
    "api_webhook_deliveries:index_results",
    "api_webhook_deliveries:inspect",
    "api:courses",
    "api:course",
    "api:enrolment",
    "api:enrolment-progress",
    "api:attempts",
    "api:attempt",
    "api:requirements",
    "api:requirement-detail",
    "api:compliance-status",
    "api:assignments",
    "api:assignment-detail",
    "api:user-detail",
    "api:group-detail",
    # DELETE only (no POST): DRF checks the CSRF token of a session's DELETE as of a
    # POST's (tests/api/test_resources.py shows it for the session).
    "api:group-member",
    "api:schema",
    "api:docs",
    "api:me",
    "api:certificates",
    "api:certificate-verify",
}
