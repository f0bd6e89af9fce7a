"""How Fledge names a person, everywhere it shows one."""

from django.contrib.auth.base_user import AbstractBaseUser


def person_name(user: AbstractBaseUser) -> str:
    """A person's full name, else their username: what listings, exports, emails and
    certificates print."""
    return user.get_full_name().strip() or user.get_username()
