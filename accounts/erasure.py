"""This app's part of a person's erasure and of the retention purge (records.hooks).

Erasure runs last (after every other app's part): the account row stays, so the
person's enrolments, completions and certificates still count, but it no longer says
who they were and can never sign in again:

- the user: username ``erased-<id>``, no names, no email, an unusable password,
  inactive (saving that signs them out everywhere and closes their open training,
  as any deactivation does); ``Profile.erased_at`` is set, which refuses a second
  erasure;
- what only served them is deleted: allauth's email addresses (and confirmations),
  connected sign-ins (and their tokens), second factors, the Wagtail avatar, their
  sessions, and the sign-in attempts django-axes logged under one of their names;
- the directory record is emptied and marked deleted, so SCIM no longer serves the
  person's id (a directory that still holds it gets 404; creating the user again makes
  a new account);
- where their names were written as text, they are replaced: Wagtail's history
  (labels and details), the Django admin's log, form submissions, and their own
  comments on pages and on workflow tasks.

The purge deletes django-axes' sign-in logs older than the cutoff.
"""

import re
from datetime import datetime
from importlib import import_module

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import Comment, CommentReply, ModelLogEntry, PageLogEntry, TaskState
from wagtail.users.models import UserProfile

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from axes.models import AccessAttempt, AccessFailureLog, AccessLog

from base.transactions import after_commit

from .models import DirectoryAccount, Profile
from .services.sessions import user_sign_out_everywhere

#: The sign-in logs django-axes keeps, each with the name typed and ``attempt_time``.
SIGN_IN_LOGS = (AccessAttempt, AccessFailureLog, AccessLog)


def erased_username(person) -> str:
    return f"erased-{person.pk}"


def _pattern(texts) -> re.Pattern | None:
    """One case-insensitive pattern matching any of ``texts`` as a whole word, longest
    first (so a full name is replaced whole before a part of it, and a short name
    never inside another word)."""
    texts = sorted({text for text in texts if text}, key=len, reverse=True)
    if not texts:
        return None
    alternatives = "|".join(re.escape(text) for text in texts)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _replace(value, pattern: re.Pattern, replacement: str):
    """``value`` (text or JSON-able data) with every match of ``pattern`` replaced."""
    if isinstance(value, str):
        return pattern.sub(replacement, value)
    if isinstance(value, list):
        return [_replace(item, pattern, replacement) for item in value]
    if isinstance(value, dict):
        return {key: _replace(item, pattern, replacement) for key, item in value.items()}
    return value


def _holding(field: str, texts, *, json: bool = False) -> Q:
    """Rows whose ``field`` holds any of ``texts`` (case-insensitive). JSON may be
    stored with non-ASCII characters escaped, so both spellings are looked for."""
    rows = Q(pk__in=[])
    for text in texts:
        rows |= Q(**{f"{field}__icontains": text})
        escaped = _json_escaped(text)
        if json and escaped != text:
            rows |= Q(**{f"{field}__icontains": escaped})
    return rows


def _json_escaped(text: str) -> str:
    return text.encode("ascii", "backslashreplace").decode().replace("\\x", "\\u00")


def _rewrite(queryset, fields: dict[str, str], pattern: re.Pattern | None) -> int:
    """Replace ``pattern`` in each of ``fields`` (name → replacement) of the rows of
    ``queryset``; how many rows changed."""
    changed = 0
    if pattern is None:
        return changed
    for row in queryset.only("pk", *fields):
        before = {name: getattr(row, name) for name in fields}
        after = {name: _replace(value, pattern, fields[name]) for name, value in before.items()}
        if after != before:
            type(row).objects.filter(pk=row.pk).update(**after)
            changed += 1
    return changed


def _history(person, identifiers: tuple[str, ...], erased) -> int:
    """Wagtail's history: entries about the person's account lose every name of theirs
    (label and details); any other entry naming them by username, address or full
    name has it replaced."""
    user_type = ContentType.objects.get_for_model(get_user_model())
    names = (*identifiers, person.first_name, person.last_name)
    about = ModelLogEntry.objects.filter(content_type=user_type, object_id=str(person.pk))
    changed = _rewrite(about, {"label": erased_username(person)}, _pattern(names))
    changed += _rewrite(about, {"data": erased.redacted}, _pattern(names))
    pattern = _pattern(identifiers)
    fields = {"label": erased.placeholder, "data": erased.redacted}
    for model in (ModelLogEntry, PageLogEntry):
        naming = _holding("label", identifiers) | _holding("data", identifiers, json=True)
        changed += _rewrite(model.objects.filter(naming), fields, pattern)
    return changed


def _admin_log(person, identifiers: tuple[str, ...], erased) -> int:
    """The Django admin's log: its entries about the account show the new username;
    any entry naming the person has the name replaced."""
    user_type = ContentType.objects.get_for_model(get_user_model())
    pattern = _pattern(identifiers)
    about = LogEntry.objects.filter(content_type=user_type, object_id=str(person.pk))
    changed = about.update(object_repr=erased_username(person))
    naming = _holding("object_repr", identifiers) | _holding("change_message", identifiers)
    changed += _rewrite(
        LogEntry.objects.filter(naming),
        {"object_repr": erased.placeholder, "change_message": erased.redacted},
        pattern,
    )
    return changed


def _typed_by_them(person, identifiers: tuple[str, ...], erased) -> int:
    """Text the person wrote (comments, workflow task comments) and form submissions
    naming them."""
    changed = Comment.objects.filter(user=person).update(text=erased.redacted)
    changed += CommentReply.objects.filter(user=person).update(text=erased.redacted)
    changed += (
        TaskState.objects.filter(finished_by=person)
        .exclude(comment="")
        .update(comment=erased.redacted)
    )
    submissions = FormSubmission.objects.filter(_holding("form_data", identifiers, json=True))
    changed += _rewrite(submissions, {"form_data": erased.redacted}, _pattern(identifiers))
    return changed


def _end_sessions(person) -> int:
    """Every session of the person: the live ones (signed out everywhere), and the
    expired ones not cleared yet (they still name the account)."""
    ended = user_sign_out_everywhere(user=person)
    engine = import_module(settings.SESSION_ENGINE)
    store_class = engine.SessionStore
    if not hasattr(store_class, "get_model_class"):
        return ended
    model = store_class.get_model_class()
    decoder = store_class()
    expired = model.objects.filter(expire_date__lte=timezone.now())
    rows = expired.values_list("session_key", "session_data")
    theirs = [
        key
        for key, data in rows.iterator(chunk_size=2000)
        if str(decoder.decode(data).get(SESSION_KEY, "")) == str(person.pk)
    ]
    for key in theirs:
        store_class(session_key=key).delete(key)
    return ended + len(theirs)


def _avatar(person) -> int:
    profile = UserProfile.objects.filter(user=person).exclude(avatar="").first()
    if profile is None or not profile.avatar:
        return 0
    after_commit(profile.avatar.storage.delete, profile.avatar.name)
    UserProfile.objects.filter(pk=profile.pk).update(avatar="")
    return 1


def _directory_tombstone(person, erased) -> int:
    """The directory's record, emptied and marked deleted: the person is then no SCIM
    resource (``provisionable_users``), so a directory can neither read nor change the
    erased account, and a later create makes a new one."""
    DirectoryAccount.objects.update_or_create(
        user=person,
        defaults={
            "external_id": "",
            "department": "",
            "employee_type": "",
            "deleted_at": erased.when,
        },
    )
    return 1


def _count(deleted: tuple[int, dict]) -> int:
    return deleted[0]


def erase_person(person, *, erased) -> dict[str, int]:
    """Erase the account of ``person`` (see the module's docstring); how many rows of
    each kind changed."""
    addresses = list(EmailAddress.objects.filter(user=person).values_list("email", flat=True))
    identifiers = tuple({*erased.identifiers, *addresses} - {""})
    typed = Q(pk__in=[])
    for identifier in identifiers:
        typed |= Q(username__iexact=identifier)
    counts = {
        "accounts.email_address": _count(EmailAddress.objects.filter(user=person).delete()),
        "accounts.social_account": _count(SocialAccount.objects.filter(user=person).delete()),
        "accounts.authenticator": _count(Authenticator.objects.filter(user=person).delete()),
        "accounts.directory_account": _directory_tombstone(person, erased),
        "accounts.sign_in_log": sum(
            _count(model.objects.filter(typed).delete()) for model in SIGN_IN_LOGS
        ),
        "accounts.avatar": _avatar(person),
        "accounts.history": _history(person, identifiers, erased),
        "accounts.admin_log": _admin_log(person, identifiers, erased),
        "accounts.typed_text": _typed_by_them(person, identifiers, erased),
        "accounts.session": _end_sessions(person),
    }
    person.username = erased_username(person)
    person.first_name = ""
    person.last_name = ""
    person.email = ""
    person.set_unusable_password()
    person.is_active = False
    # A full save: the deactivation receivers (sign-out, closing open training) run.
    person.save()
    Profile.objects.update_or_create(user=person, defaults={"erased_at": erased.when})
    counts["accounts.user"] = 1
    return counts


def purge_before(*, cutoff: datetime) -> dict[str, int]:
    """Delete django-axes' records of sign-ins and failed sign-ins before ``cutoff``
    (an attempt still counting towards a lock-out is younger than any cutoff)."""
    return {
        "accounts.sign_in_log": sum(
            _count(model.objects.filter(attempt_time__lt=cutoff).delete()) for model in SIGN_IN_LOGS
        )
    }
