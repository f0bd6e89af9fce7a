"""People as the directory provisions them: create, update, deactivate, reactivate and
delete.

A provisioned person has no usable password: they sign in through the identity
provider (or set a password with "Forgot password" where local passwords are allowed).
Deactivating ends their sessions and announces :data:`accounts.signals.user_deactivated`
(compliance closes their open cycles); nothing a person did is ever deleted here.
"""

import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import audit_events
from ..models import DirectoryAccount, Profile
from ..signals import user_provisioned
from .errors import UNSET, AccountError

logger = logging.getLogger(__name__)

User = get_user_model()

#: Fields of the user model a provisioning update may write.
_USER_FIELDS = ("username", "email", "first_name", "last_name")
#: Fields of the directory account a provisioning update may write.
_DIRECTORY_FIELDS = ("external_id", "department", "employee_type")


def _clean_username(value: str) -> str:
    username = (value or "").strip()
    field = User._meta.get_field(User.USERNAME_FIELD)
    if not username:
        raise AccountError("A user name is required.")
    if len(username) > field.max_length:
        raise AccountError(f"A user name has at most {field.max_length} characters.")
    try:
        User.username_validator(username)
    except ValidationError:
        raise AccountError(
            f"“{username}” is not a valid user name: use letters, digits and @ . + - _ only."
        ) from None
    return username


def _clean_email(value: str) -> str:
    email = (value or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise AccountError(f"“{email}” is not a valid email address.") from None
    return email


def _clean_text(name: str, value: str, max_length: int) -> str:
    text = (value or "").strip()
    if len(text) > max_length:
        raise AccountError(f"{name} has at most {max_length} characters.")
    return text


def _clean(field: str, value) -> object:
    """One provisioned field, validated for what the account can hold."""
    if field == "username":
        return _clean_username(value)
    if field == "email":
        return _clean_email(value)
    if field in _USER_FIELDS:
        return _clean_text(field.replace("_", " "), value, User._meta.get_field(field).max_length)
    return _clean_text(
        field.replace("_", " "), value, DirectoryAccount._meta.get_field(field).max_length
    )


def _username_taken(username: str, *, other_than: int | None = None) -> bool:
    """User names are unique without regard to case (SCIM's ``userName`` is
    case-insensitive, and so are people)."""
    taken = User.objects.filter(username__iexact=username)
    if other_than is not None:
        taken = taken.exclude(pk=other_than)
    return taken.exists()


def _set_manager(user: AbstractBaseUser, manager: AbstractBaseUser | None) -> None:
    if manager is not None and manager.pk == user.pk:
        raise AccountError("A person cannot be their own manager.")
    if manager is None:
        Profile.objects.filter(user=user).exclude(manager=None).update(manager=None)
        return
    Profile.objects.update_or_create(user=user, defaults={"manager": manager})


@transaction.atomic
def user_provision(
    *,
    username: str,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    active: bool = True,
    external_id: str = "",
    department: str = "",
    employee_type: str = "",
    manager: AbstractBaseUser | None = None,
) -> AbstractBaseUser:
    """Create a person from the directory, or bring back one it deleted before (same
    user name): their history is theirs again.

    Refuses (409, ``uniqueness``) a user name that an existing account has.
    """
    username = _clean_username(username)
    existing = User.objects.filter(username__iexact=username).first()
    if existing is not None:
        gone = DirectoryAccount.objects.filter(user=existing, deleted_at__isnull=False)
        if not gone.update(deleted_at=None):
            raise AccountError(
                f"A user named “{username}” already exists.", status=409, code="uniqueness"
            )
        logger.info("Provisioning brought back user %s", existing.pk)
        user_update(
            user=existing,
            username=username,
            email=email,
            first_name=first_name,
            last_name=last_name,
            active=active,
            external_id=external_id,
            department=department,
            employee_type=employee_type,
            manager=manager,
        )
        user_provisioned.send(sender=User, user=existing)
        return existing

    user = User(
        username=username,
        email=_clean_email(email),
        first_name=_clean("first_name", first_name),
        last_name=_clean("last_name", last_name),
        is_active=active,
    )
    user.set_unusable_password()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # a parallel create with the same name won the race
        raise AccountError(
            f"A user named “{username}” already exists.", status=409, code="uniqueness"
        ) from None
    DirectoryAccount.objects.create(
        user=user,
        external_id=_clean("external_id", external_id),
        department=_clean("department", department),
        employee_type=_clean("employee_type", employee_type),
    )
    if manager is not None:
        _set_manager(user, manager)
    logger.info("Provisioned user %s", user.pk)
    audit_events.directory_changed("user_provision", user, subject=user, active=active)
    user_provisioned.send(sender=User, user=user)
    return user


@transaction.atomic
def user_update(
    *,
    user: AbstractBaseUser,
    username: str = UNSET,
    email: str = UNSET,
    first_name: str = UNSET,
    last_name: str = UNSET,
    active: bool = UNSET,
    external_id: str = UNSET,
    department: str = UNSET,
    employee_type: str = UNSET,
    manager: AbstractBaseUser | None = UNSET,
) -> AbstractBaseUser:
    """Change what is given (fields left :data:`UNSET` stay as they are). ``active``
    deactivates or reactivates through :func:`user_deactivate` and
    :func:`user_reactivate`; ``manager=None`` removes the manager."""
    given = {
        "username": username,
        "email": email,
        "first_name": first_name,
        "last_name": last_name,
        "external_id": external_id,
        "department": department,
        "employee_type": employee_type,
    }
    values = {field: _clean(field, value) for field, value in given.items() if value is not UNSET}
    sent = [*values, *(["active"] * (active is not UNSET)), *(["manager"] * (manager is not UNSET))]
    audit_events.directory_changed("user_update", user, fields=sent, subject=user)

    user_changes = [f for f in _USER_FIELDS if f in values and getattr(user, f) != values[f]]
    if "username" in user_changes and _username_taken(values["username"], other_than=user.pk):
        raise AccountError(
            f"A user named “{values['username']}” already exists.", status=409, code="uniqueness"
        )
    if user_changes:
        for field in user_changes:
            setattr(user, field, values[field])
        try:
            with transaction.atomic():
                user.save(update_fields=user_changes)
        except IntegrityError:
            raise AccountError(
                f"A user named “{values['username']}” already exists.",
                status=409,
                code="uniqueness",
            ) from None

    directory = {f: values[f] for f in _DIRECTORY_FIELDS if f in values}
    if directory:
        account, created = DirectoryAccount.objects.get_or_create(user=user, defaults=directory)
        changed = [f for f, v in directory.items() if getattr(account, f) != v]
        if changed and not created:
            for field in changed:
                setattr(account, field, directory[field])
            account.save(update_fields=[*changed, "updated_at"])
    elif user_changes:
        DirectoryAccount.objects.filter(user=user).update(updated_at=timezone.now())

    if manager is not UNSET:
        _set_manager(user, manager)
    if active is not UNSET:
        if active:
            user_reactivate(user=user)
        else:
            user_deactivate(user=user)
    return user


@transaction.atomic
def user_deactivate(*, user: AbstractBaseUser) -> bool:
    """The person may no longer sign in: every session of theirs ends now, and
    :data:`~accounts.signals.user_deactivated` tells the apps above (compliance closes
    their open cycles as no longer required). Returns False when they already were
    inactive (nothing is sent again).

    Saving the flag is what does it (``accounts.receivers.activity_changed``), so a
    person deactivated in the Wagtail or Django admin is signed out and released the
    same way."""
    if not user.is_active:
        return False
    user.is_active = False
    user.save(update_fields=["is_active"])
    DirectoryAccount.objects.filter(user=user).update(updated_at=timezone.now())
    return True


@transaction.atomic
def user_reactivate(*, user: AbstractBaseUser) -> bool:
    """The person may sign in again, and :data:`~accounts.signals.user_reactivated`
    tells the apps above (compliance reopens what deactivation closed). Returns False
    when they already were active."""
    if user.is_active:
        return False
    user.is_active = True
    user.save(update_fields=["is_active"])  # accounts.receivers.activity_changed
    DirectoryAccount.objects.filter(user=user).update(updated_at=timezone.now())
    return True


@transaction.atomic
def user_deprovision(*, user: AbstractBaseUser) -> None:
    """The directory deleted the person: deactivate them and mark the account deleted
    (no longer a SCIM resource). The account and everything they did stay: enrolments,
    certificates and compliance history are records, not the directory's to erase."""
    user_deactivate(user=user)
    account, _ = DirectoryAccount.objects.get_or_create(user=user)
    account.deleted_at = timezone.now()
    account.save(update_fields=["deleted_at", "updated_at"])
    audit_events.directory_changed("user_deprovision", user, subject=user)
    logger.info("Deprovisioned user %s", user.pk)
