"""A row of the CSRF table: a state-changing endpoint, who uses it, and a POST that
would change something."""

from collections.abc import Callable
from dataclasses import dataclass

from django.test import Client

from tests.learner.factories import PASSWORD

from ..conftest import World

#: The new password in the forms that set one.
NEW_PASSWORD = "a-brand-new-passphrase-42"


def password_change_form(world: World) -> dict:
    """The signed-in user changes their password (the front end's form and the
    admin's)."""
    return {
        "old_password": PASSWORD,
        "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD,
    }


@dataclass(frozen=True, kw_only=True)
class Action:
    """A state-changing endpoint, who uses it, and a POST that would change things."""

    #: The URL pattern it reaches, as the inventory names it.
    key: str
    #: The action in test ids.
    label: str
    #: The role that would use it (``conftest.ROLES``); its client sends the requests.
    role: str
    url: Callable[[World], str]
    data: Callable[[World], dict] = lambda world: {}
    #: The model that the control (the same POST without the CSRF check) changes; None
    #: where the effect is not in the database (a session, an email, a JSON preview).
    changes: str | None = None
    #: What a GET answers: 405, or 200 for a page that shows a form or confirmation.
    get_status: int = 405
    #: Run with the client before the requests (e.g. open a reset link first).
    prepare: Callable[[Client, World], None] | None = None

    @property
    def id(self) -> str:
        return self.label
