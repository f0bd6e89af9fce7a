"""A profile for what Django's user model does not hold: the person's manager."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


class Profile(models.Model):
    """Extra facts about a user. ``manager`` receives overdue escalations and a weekly
    digest of their people's overdue training, and sees them in compliance reports."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_profiles",
    )

    class Meta:
        verbose_name = "person's manager"
        verbose_name_plural = "people's managers"

    def __str__(self) -> str:
        return f"{self.user} (manager: {self.manager or 'none'})"

    def clean(self) -> None:
        if self.manager_id and self.manager_id == self.user_id:
            raise ValidationError({"manager": "A person cannot be their own manager."})
