"""Settings → Provisioning tokens: the bearer tokens identity providers provision with.

Superusers only, whatever a group's permissions say (a token can create people and
put them into directory groups). Adding a token shows it once, on the page that
follows the form, and never again: only its hash is kept. Tokens are revoked, not
deleted, so the listing keeps who created which and when it was last used.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy

from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import MenuItem
from wagtail.permission_policies.base import BasePermissionPolicy

from accounts.models import ProvisioningToken
from accounts.services import provisioning_token_create, provisioning_token_revoke


class SuperusersOnly(BasePermissionPolicy):
    """Every action on the model, for active superusers and nobody else."""

    def user_has_permission(self, user, action):
        return bool(user.is_active and user.is_superuser)

    def user_has_any_permission(self, user, actions):
        return self.user_has_permission(user, "")

    def users_with_any_permission(self, actions):
        return get_user_model().objects.filter(is_active=True, is_superuser=True)

    def users_with_permission(self, action):
        return self.users_with_any_permission([action])


class TokenIndexView(generic.IndexView):
    def get_edit_url(self, instance):
        return super().get_edit_url(instance) if instance.is_active else None

    def get_list_more_buttons(self, instance):
        buttons = [b for b in super().get_list_more_buttons(instance) if b.label != "Delete"]
        if instance.is_active:
            url = self.get_delete_url(instance)
            buttons.append(MenuItem("Revoke", url=url, icon_name="bin", priority=30))
        return buttons


class TokenCreateView(generic.CreateView):
    """The form asks for a name; the answer is the token, shown once."""

    created_template_name = "accounts/provisioning_token_created.html"

    def save_instance(self):
        token, self.secret = provisioning_token_create(
            name=self.form.cleaned_data["name"], created_by=self.request.user
        )
        return token

    def save_action(self):
        response = TemplateResponse(
            self.request,
            self.created_template_name,
            {
                "token": self.object,
                "secret": self.secret,
                "index_url": self.get_success_url(),
                "scim_path": "/scim/v2/",
                "page_title": "Provisioning token created",
                "header_icon": "key",
            },
        )
        # The token is in this page only: never cached, never stored by the browser.
        response["Cache-Control"] = "no-store"
        return response


class TokenEditView(generic.EditView):
    delete_item_label = gettext_lazy("Revoke")


class TokenRevokeView(generic.DeleteView):
    """ "Delete" is a revocation: the row stays, the token stops working."""

    page_title = gettext_lazy("Revoke")
    success_message = gettext_lazy("Provisioning token '%(object)s' revoked.")
    template_name = "accounts/provisioning_token_revoke.html"

    @property
    def confirmation_message(self):
        return (
            "Revoke this token? Provisioning with it stops at once; the directory that "
            "uses it needs a new one."
        )

    def delete_action(self):
        with transaction.atomic():
            provisioning_token_revoke(token=self.object, revoked_by=self.request.user)


class ProvisioningTokenViewSet(ModelViewSet):
    """Settings → Provisioning tokens, for superusers (the policy is registered with
    the viewset in ``accounts.wagtail_hooks``)."""

    model = ProvisioningToken
    icon = "key"
    menu_label = "Provisioning tokens"
    add_to_settings_menu = True
    url_prefix = "provisioning-tokens"
    name = "provisioning_tokens"
    #: Only the name is the admin's to write; the rest is the service's.
    form_fields = ["name"]
    copy_view_enabled = False
    index_view_class = TokenIndexView
    add_view_class = TokenCreateView
    edit_view_class = TokenEditView
    delete_view_class = TokenRevokeView
    list_display = [
        "name",
        Column("prefix", label="Starts with", accessor=lambda token: f"{token.prefix}…"),
        Column("created_by", label="Created by"),
        DateColumn("created_at", label="Created"),
        DateColumn("last_used_at", label="Last used"),
        StatusTagColumn(
            "is_active",
            label="Status",
            accessor=lambda token: "Active" if token.is_active else "Revoked",
            primary=lambda token: token.is_active,
        ),
    ]

    def get_permissions_to_register(self):
        # Nothing to hand to groups: the policy above ignores them.
        return Permission.objects.none()
