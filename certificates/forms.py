"""Forms: the public verification lookup, and the staff's revoke and reissue reasons."""

from urllib.parse import urlsplit

from django import forms

from .selectors import is_valid_code
from .services import MAX_REASON_LENGTH


class VerifyForm(forms.Form):
    """A verification code, typed in or pasted as the whole link from a certificate."""

    code = forms.CharField(
        label="Verification code",
        max_length=300,
        strip=True,
        help_text="Printed under the QR code on the certificate, e.g. 3q2-7wEVR0yZkGx2sPTh1A. "
        "You may paste the whole link.",
        error_messages={"required": "Enter the code printed on the certificate."},
    )

    def clean_code(self) -> str:
        value = self.cleaned_data["code"]
        # A pasted link: the code is its last path segment.
        if "/" in value:
            segments = [part for part in urlsplit(value).path.split("/") if part]
            value = segments[-1] if segments else ""
        if not is_valid_code(code=value):
            raise forms.ValidationError(
                "That is not a verification code. Codes are 16 to 64 letters, digits, "
                "“-” and “_”, as printed on the certificate."
            )
        return value


class ReasonForm(forms.Form):
    """Why a certificate is revoked or reissued; kept with the certificate."""

    reason = forms.CharField(
        label="Reason",
        max_length=MAX_REASON_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept with the certificate and shown to staff; never shown publicly.",
        error_messages={"required": "Give a reason: it is kept with the certificate."},
    )
