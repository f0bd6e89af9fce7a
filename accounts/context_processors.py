"""Template context every page needs for its account links."""

from django.conf import settings


def accounts(request) -> dict[str, object]:
    return {
        "signup_enabled": settings.FLEDGE_ALLOW_SIGNUP and settings.FLEDGE_LOCAL_PASSWORDS,
        "local_passwords": settings.FLEDGE_LOCAL_PASSWORDS,
    }
