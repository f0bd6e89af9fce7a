"""What a single sign-on changes: the person's mapped groups, and whether this session
counts as having shown a second factor.

``sso_signed_in`` runs after every completed single sign-on (allauth's
``user_logged_in`` with a ``sociallogin``), ``sso_connected`` after a signed-in person
connects an identity provider account to theirs. Group changes go through
``user.groups.add``/``remove``, whose ``m2m_changed`` signal is how required training
follows (compliance syncs the requirements whose audience includes those groups).
"""

import logging

from django.contrib.auth.models import Group
from django.db import transaction
from django.http import HttpRequest

from accounts.mfa import satisfy_mfa_from_idp

from .claims import GroupChanges, GroupMapError, group_changes
from .logins import SignIn, read_sign_in

logger = logging.getLogger(__name__)


def sso_groups_sync(*, user, sign_in: SignIn) -> GroupChanges:
    """Join the mapped groups the person's attributes match and leave the mapped groups
    they no longer match; groups no rule names are never touched. A mapped group that
    does not exist yet is created when someone first joins it. Returns what changed."""
    wanted = group_changes(sign_in.rules, sign_in.values)
    names = wanted.join | wanted.leave
    if not names:
        return GroupChanges(join=frozenset(), leave=frozenset())
    with transaction.atomic():
        held = set(user.groups.filter(name__in=names).values_list("name", flat=True))
        to_join = wanted.join - held
        to_leave = wanted.leave & held
        if to_join:
            user.groups.add(
                *(Group.objects.get_or_create(name=name)[0] for name in sorted(to_join))
            )
        if to_leave:
            user.groups.remove(*Group.objects.filter(name__in=to_leave))
    if to_join or to_leave:
        logger.info(
            "Single sign-on group changes for user %s: joined %s, left %s",
            user.pk,
            sorted(to_join),
            sorted(to_leave),
        )
    return GroupChanges(join=frozenset(to_join), leave=frozenset(to_leave))


def sso_mfa_accept(*, request: HttpRequest, user, sign_in: SignIn) -> bool:
    """Count this session as having shown a second factor when the provider asserted
    MFA (``amr``, or an ``acr``/AuthnContextClassRef) and both the site
    (``FLEDGE_MFA_TRUST_IDP``) and the provider (``trust_mfa``) trust it."""
    if not sign_in.trust_mfa:
        return False
    return any(
        satisfy_mfa_from_idp(request, user=user, amr=sign_in.amr, acr=acr)
        for acr in sign_in.acr or (None,)
    )


def _read(sociallogin) -> SignIn | None:
    try:
        return read_sign_in(sociallogin)
    except GroupMapError as error:
        # A provider configured in the admin with a broken map: the person still signs
        # in, their groups stay as they were, and the log says why.
        logger.error("Single sign-on group map of %s not applied: %s", sociallogin.provider, error)
        return None


def sso_signed_in(*, request: HttpRequest, user, sociallogin) -> None:
    """After a single sign-on: apply the group map and the MFA assertion."""
    sign_in = _read(sociallogin)
    if sign_in is None:
        return
    sso_groups_sync(user=user, sign_in=sign_in)
    sso_mfa_accept(request=request, user=user, sign_in=sign_in)


def sso_connected(*, user, sociallogin) -> None:
    """After connecting an identity provider account: apply the group map. The session
    was signed in another way, so the provider's MFA assertion does not count for it."""
    sign_in = _read(sociallogin)
    if sign_in is not None:
        sso_groups_sync(user=user, sign_in=sign_in)
