"""The REST API (``/api/v1/``): the OpenAPI document and its docs are public, so is
certificate verification; every other resource needs a token or the site's session,
and a visitor without either gets a problem+json 401 (never a sign-in redirect)."""

from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from accounts.models import DirectoryGroup
from api.models import AccessToken
from api.services import access_token_create
from api.webhooks.models import WebhookDelivery, WebhookEvent, WebhookSubscription

from ..world_urls import rev
from .case import OK, POST_ONLY, Case, Outcome, every, signed_in
from .project_admin import SUPERUSERS_ONLY, admin_views

#: The API's answer without a token or session: problem+json with a Bearer challenge.
NO_CREDENTIALS = Outcome("401 (no token or session)", 401)
NOT_FOUND = Outcome("404", 404)
FORBIDDEN = Outcome("403 (the user's own rights refuse it)", 403)
#: The compliance resources: the report's readers (compliance admins; managers their
#: people); others are refused whatever their token's scopes.
COMPLIANCE_READERS = every(FORBIDDEN).but(
    anonymous=NO_CREDENTIALS, compliance_admin=OK, superuser=OK
)
#: Users and groups: administrators (active superusers), as for SCIM's tokens.
ADMINISTRATORS = every(FORBIDDEN).but(anonymous=NO_CREDENTIALS, superuser=OK)


def session_or_token(key: str, label: str) -> Case:
    return Case(key=key, label=label, url=rev(key), access=every(OK).but(anonymous=NO_CREDENTIALS))


def _someones_token(world) -> int:
    token = AccessToken.objects.filter(user=world.me.user, name="someone's").first()
    if token is None:
        token, _ = access_token_create(user=world.me.user, name="someone's", scopes=["read"])
    return token.pk


def _directory_group(world) -> int:
    group, _ = Group.objects.get_or_create(name="Sales (directory)")
    DirectoryGroup.objects.get_or_create(group=group, defaults={"external_id": "sales"})
    return group.pk


def api_case(key: str, access, *args, label: str = "") -> Case:
    return Case(key=key, label=label or key.replace(":", "-"), url=rev(key, *args), access=access)


API = [
    # The admin's page for every account's tokens (service accounts): superusers.
    Case(
        key="api_admin:tokens",
        label="api-admin-tokens",
        url=rev("api_admin:tokens"),
        access=SUPERUSERS_ONLY,
    ),
    Case(
        key="api_admin:revoke",
        label="api-admin-token-revoke",
        url=rev("api_admin:revoke", _someones_token),
        access=SUPERUSERS_ONLY.but(superuser=POST_ONLY),
    ),
    # The person's own tokens on the account page (api.account_urls).
    Case(key="api_tokens", label="api-tokens", url=rev("api_tokens"), access=signed_in()),
    Case(
        key="api_token_revoke",
        label="api-token-revoke",
        url=rev("api_token_revoke", 999999),
        access=signed_in(POST_ONLY),
        note="POST only; another person's token is a 404 (tests/api/test_account_pages.py).",
    ),
    Case(key="api:schema", label="api-schema", url=rev("api:schema"), access=every(OK)),
    Case(key="api:docs", label="api-docs", url=rev("api:docs"), access=every(OK)),
    session_or_token("api:me", "api-me"),
    session_or_token("api:certificates", "api-certificates"),
    Case(
        key="api:certificate-verify",
        label="api-certificate-verify",
        url=lambda w: reverse("api:certificate-verify", args=[w.me.certificate.verification_code]),
        access=every(OK),
    ),
    Case(
        key="api:certificate-verify",
        label="api-certificate-verify-unknown",
        url=rev("api:certificate-verify", "no-such-code"),
        access=every(NOT_FOUND),
    ),
    # Learning (api.resources.learning_*): a course's people are its instructors'
    # (and superusers'); a compliance admin edits no course, so theirs is a 404.
    session_or_token("api:courses", "api-courses"),
    session_or_token("api:enrolments", "api-enrolments"),
    session_or_token("api:attempts", "api-attempts"),
    Case(
        key="api:course",
        label="api-course",
        url=rev("api:course", lambda w: w.small.course.pk),
        access=every(OK).but(anonymous=NO_CREDENTIALS),
    ),
    Case(
        key="api:course",
        label="api-course-draft",
        url=rev("api:course", lambda w: w.draft_course.pk),
        access=every(NOT_FOUND).but(anonymous=NO_CREDENTIALS),
    ),
    Case(
        key="api:enrolment",
        label="api-enrolment",
        url=rev("api:enrolment", lambda w: w.me.enrollment.pk),
        access=every(OK).but(anonymous=NO_CREDENTIALS, compliance_admin=NOT_FOUND),
    ),
    Case(
        key="api:enrolment",
        label="api-enrolment-someone-elses",
        url=rev("api:enrolment", lambda w: w.other.enrollment.pk),
        access=every(NOT_FOUND).but(anonymous=NO_CREDENTIALS, instructor=OK, superuser=OK),
    ),
    Case(
        key="api:enrolment-progress",
        label="api-enrolment-progress",
        url=rev("api:enrolment-progress", lambda w: w.me.enrollment.pk),
        access=every(OK).but(anonymous=NO_CREDENTIALS, compliance_admin=NOT_FOUND),
    ),
    Case(
        key="api:attempt",
        label="api-attempt",
        url=rev("api:attempt", lambda w: w.me.attempt.pk),
        access=every(OK).but(anonymous=NO_CREDENTIALS, compliance_admin=NOT_FOUND),
    ),
    Case(
        key="api:enrolment-withdraw",
        label="api-enrolment-withdraw",
        url=rev("api:enrolment-withdraw", lambda w: w.me.enrollment.pk),
        access=every(POST_ONLY).but(anonymous=NO_CREDENTIALS),
    ),
    # Compliance (api.resources.compliance).
    api_case("api:requirements", COMPLIANCE_READERS),
    api_case("api:requirement-detail", COMPLIANCE_READERS, lambda w: w.requirement.pk),
    api_case("api:compliance-status", COMPLIANCE_READERS),
    api_case("api:assignments", COMPLIANCE_READERS),
    api_case("api:assignment-detail", COMPLIANCE_READERS, lambda w: w.me.assignment.pk),
    api_case(
        "api:assignment-exemption",
        COMPLIANCE_READERS.but(compliance_admin=POST_ONLY, superuser=POST_ONLY),
        lambda w: w.me.assignment.pk,
    ),
    # Users and groups (api.resources.people).
    api_case("api:users", ADMINISTRATORS),
    api_case("api:user-detail", ADMINISTRATORS, lambda w: w.me.user.pk),
    api_case("api:groups", ADMINISTRATORS),
    api_case("api:group-detail", ADMINISTRATORS, _directory_group),
    api_case("api:group-members", ADMINISTRATORS.but(superuser=POST_ONLY), _directory_group),
    api_case(
        "api:group-member",
        ADMINISTRATORS.but(superuser=POST_ONLY),
        _directory_group,
        lambda w: w.me.user.pk,
    ),
]


def webhook(world) -> int:
    """A subscription, made when first asked for."""
    subscription, _ = WebhookSubscription.objects.get_or_create(
        name="HR system",
        defaults={"url": "https://hr.example.org/hooks", "events": ["enrolment.created"]},
    )
    return subscription.pk


def webhook_delivery(world) -> int:
    """A delivery of one event to :func:`webhook`'s subscription."""
    now = timezone.now()
    event, _ = WebhookEvent.objects.get_or_create(
        key="security-world",
        defaults={"type": "enrolment.created", "payload": {}, "created_at": now},
    )
    delivery, _ = WebhookDelivery.objects.get_or_create(
        event=event,
        subscription_id=webhook(world),
        defaults={"retry_until": now, "created_at": now},
    )
    return delivery.pk


# Webhooks (api.webhooks.admin): Wagtail's model permissions, which only superusers have
# among the shipped roles.
WEBHOOKS = [
    *admin_views("api_webhooks", SUPERUSERS_ONLY, "index", "index_results", "add"),
    *admin_views(
        "api_webhooks",
        SUPERUSERS_ONLY,
        "edit*",
        "delete*",
        "history*",
        "history_results*",
        "usage*",
        pk=webhook,
    ),
    *admin_views("api_webhook_deliveries", SUPERUSERS_ONLY, "index", "index_results"),
    *admin_views("api_webhook_deliveries", SUPERUSERS_ONLY, "inspect*", pk=webhook_delivery),
    *admin_views(
        "api_webhook_deliveries",
        SUPERUSERS_ONLY.but(superuser=POST_ONLY),
        "resend*",
        pk=webhook_delivery,
    ),
]
