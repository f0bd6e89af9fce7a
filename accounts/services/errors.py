"""The accounts app's refusal, and the marker for "leave this field as it is"."""

from typing import Any, Final

from base.errors import FledgeError


class AccountError(FledgeError):
    """An account operation the rules refuse; the message is shown as is.

    ``code`` says what kind of refusal it is, for callers that answer in a protocol of
    their own (SCIM's ``scimType``): ``"uniqueness"`` (409, the name is taken),
    ``"invalid"`` (400, a value the account cannot hold), ``"mutability"`` (a person or
    group that provisioning may not change).
    """

    def __init__(self, message: str, *, status: int | None = None, code: str = "invalid") -> None:
        super().__init__(message, status=status)
        self.code = code


class _Unset:
    """The default of an update service's fields: not given, so not changed."""

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


#: Passed for (or defaulting) a field an update leaves alone.
UNSET: Final[Any] = _Unset()
