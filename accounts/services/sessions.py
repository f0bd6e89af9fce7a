"""Ending every session a person has, wherever it is kept."""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.sessions.base_session import AbstractBaseSession
from django.utils import timezone


def user_sign_out_everywhere(*, user: AbstractBaseUser) -> int:
    """Delete every unexpired session that belongs to ``user``, the database row and
    the cached copy alike (``accounts.sessions`` keeps both), and return how many.
    Their browsers are signed out at their next request.

    Sessions are signed blobs with no user column, so this decodes each unexpired one:
    fine for thousands, a scan for millions (deactivation is rare). A session store
    without rows (signed cookies) cannot be ended from here; Django then still refuses
    the inactive user at the next request (``ModelBackend.get_user``).
    """
    engine = import_module(settings.SESSION_ENGINE)
    store_class = engine.SessionStore
    if not hasattr(store_class, "get_model_class"):
        return 0
    model = store_class.get_model_class()
    if not issubclass(model, AbstractBaseSession):  # pragma: no cover - a custom store
        return 0
    user_id = str(user.pk)
    decoder = store_class()
    unexpired = model.objects.filter(expire_date__gt=timezone.now()).values_list(
        "session_key", "session_data"
    )
    mine = [
        key
        for key, data in unexpired.iterator(chunk_size=2000)
        if str(decoder.decode(data).get(SESSION_KEY, "")) == user_id
    ]
    for key in mine:
        store_class(session_key=key).delete(key)
    return len(mine)
