"""The authentication backend: allauth's (a username or an email address, and a
password, on top of Django's model backend), with each user's permission set kept in
the cache.

Every page asks at least once whether the user may use the Wagtail admin (for the
user bar), which costs Django two queries per request. The answer only changes when
groups, memberships or permissions change, and those bump the ``permissions`` version
(``accounts.receivers``); a change to the user's own active or superuser flag is part
of the key. When the cache has been emptied (a restart, a publish that retired it),
the set is read in one query, the user's own and their groups' permissions together,
instead of Django's two.
"""

from django.contrib.auth.models import Permission
from django.db.models import Q

from allauth.account.auth_backends import AuthenticationBackend

from base.cache import cached_content
from base.prepared import Marker, PreparedQuery

PERMISSIONS_CACHE_SECONDS = 3600


class CachedModelBackend(AuthenticationBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if obj is not None or not user_obj.is_active or user_obj.is_anonymous:
            return super().get_all_permissions(user_obj, obj)
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = cached_content(
                ("permissions", user_obj.pk, user_obj.is_superuser),
                PERMISSIONS_CACHE_SECONDS,
                lambda: self._read_permissions(user_obj),
                namespace="permissions",
            )
        return user_obj._perm_cache

    def _read_permissions(self, user_obj) -> frozenset[str]:
        if user_obj.is_superuser:  # every permission, as Django's backend answers
            return frozenset(super().get_all_permissions(user_obj))
        rows = _permissions_of(user=user_obj.pk)
        return frozenset(f"{app_label}.{codename}" for app_label, codename in rows)


#: Compiled once (``base.prepared``): the first request after the cache is emptied.
_permissions_of = PreparedQuery(
    lambda user: (
        Permission.objects.filter(Q(user=user) | Q(group__user=user))
        .values_list("content_type__app_label", "codename")
        .distinct()
    ),
    user=Marker.number(),
)
