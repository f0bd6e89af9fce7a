"""allauth's sign-in signals, handed to the single sign-on services.

Connected by importing this module (``AccountsConfig.ready``).
"""

from django.dispatch import receiver

from allauth.account.signals import user_logged_in
from allauth.socialaccount.signals import social_account_added

from . import services


@receiver(user_logged_in, dispatch_uid="fledge-sso-signed-in")
def signed_in(sender, request, user, **kwargs) -> None:
    """Every completed sign-in; only single sign-ons carry a ``sociallogin``."""
    sociallogin = kwargs.get("sociallogin")
    if sociallogin is not None:
        services.sso_signed_in(request=request, user=user, sociallogin=sociallogin)


@receiver(social_account_added, dispatch_uid="fledge-sso-connected")
def connected(sender, request, sociallogin, **kwargs) -> None:
    """A signed-in person connected an identity provider account to theirs."""
    services.sso_connected(user=sociallogin.user, sociallogin=sociallogin)
