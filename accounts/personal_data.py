"""The account's part of a person's data download (records.hooks): who they are, how
they sign in (never a secret), their manager and what the directory says about them.
:func:`identity` is also the evidence pack's first section."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount

from base.people import person_name

from .models import DirectoryAccount, Profile


def identity(person) -> dict:
    """Who ``person`` is: names, addresses, groups, manager, and the account's state."""
    profile = Profile.objects.filter(user=person).select_related("manager").first()
    manager = profile.manager if profile else None
    return {
        "id": person.pk,
        "username": person.get_username(),
        "name": person_name(person),
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "active": person.is_active,
        "staff": person.is_staff,
        "superuser": person.is_superuser,
        "date_joined": person.date_joined,
        "last_login": person.last_login,
        "groups": sorted(person.groups.values_list("name", flat=True)),
        "manager": {"id": manager.pk, "name": person_name(manager)} if manager else None,
        "erased_at": profile.erased_at if profile else None,
    }


def export_person(person) -> dict:
    """The account, its email addresses, second factors (type and dates only),
    connected sign-ins (provider and id) and directory record."""
    directory = DirectoryAccount.objects.filter(user=person).first()
    return {
        "profile": identity(person),
        "account/email_addresses": list(
            EmailAddress.objects.filter(user=person).values("email", "verified", "primary")
        ),
        "account/second_factors": list(
            Authenticator.objects.filter(user=person).values("type", "created_at", "last_used_at")
        ),
        "account/connected_sign_ins": list(
            SocialAccount.objects.filter(user=person).values(
                "provider", "uid", "date_joined", "last_login"
            )
        ),
        "account/directory": (
            {
                "external_id": directory.external_id,
                "department": directory.department,
                "employee_type": directory.employee_type,
                "created_at": directory.created_at,
                "updated_at": directory.updated_at,
                "deleted_at": directory.deleted_at,
            }
            if directory
            else None
        ),
    }
