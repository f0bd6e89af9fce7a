"""Sign-in protection helpers (django-axes is configured in settings)."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address sign-in failures are counted against.

    Behind the reverse proxy (``DJANGO_BEHIND_PROXY=1``) that is the last address in
    X-Forwarded-For, the one the proxy itself saw; earlier entries are whatever the
    client chose to send. Otherwise it is the socket's peer address.
    """
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
        if addresses:
            return addresses[-1]
    return request.META.get("REMOTE_ADDR", "")


def sign_in_name(request: HttpRequest, credentials: dict | None) -> str | None:
    """The name failed sign-ins are counted against (django-axes): what the person
    typed as their username or email address, lower-cased, so that "Lena" and "lena"
    share one count. allauth passes it as ``username`` (and as ``email`` when it looks
    like one); other forms post ``username`` or allauth's ``login`` field."""
    credentials = credentials or {}
    name = (
        credentials.get("username")
        or credentials.get("email")
        or request.POST.get("login")
        or request.POST.get("username")
    )
    return name.strip().lower() if isinstance(name, str) else None
