"""Shapes of the people resources: a person and a directory group as SCIM describes them
(:mod:`accounts.scim.users`, :mod:`accounts.scim.groups`), with Django's names.

| API | SCIM | Fledge |
| --- | --- | --- |
| ``username`` | ``userName`` | username (unique regardless of case) |
| ``is_active`` | ``active`` | may sign in (false: signed out, open required training closed) |
| ``external_id`` | ``externalId`` | ``DirectoryAccount.external_id`` |
| ``department`` | enterprise ``department`` | ``DirectoryAccount.department`` |
| ``employee_type`` | ``userType``, enterprise ``employeeType`` | its ``employee_type`` |
| ``manager_id`` | enterprise ``manager.value`` | ``Profile.manager`` |
| ``groups`` | ``groups`` | the person's directory groups (read only) |
"""

from rest_framework import serializers

from accounts.scim.users import UserFields


class GroupRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class UserSerializer(serializers.Serializer):
    """A person as provisioning sees them."""

    id = serializers.IntegerField()
    username = serializers.CharField()
    email = serializers.CharField(allow_blank=True)
    first_name = serializers.CharField(allow_blank=True)
    last_name = serializers.CharField(allow_blank=True)
    is_active = serializers.BooleanField()
    external_id = serializers.CharField(allow_blank=True)
    department = serializers.CharField(allow_blank=True)
    employee_type = serializers.CharField(allow_blank=True)
    manager_id = serializers.IntegerField(allow_null=True)
    groups = GroupRefSerializer(many=True, help_text="The person's directory groups.")
    date_joined = serializers.DateTimeField()


def user_body(user) -> dict:
    """``user`` (from :func:`accounts.scim.selectors.scim_users`) as
    :class:`UserSerializer` data, through SCIM's own reading of a person."""
    state = UserFields.of(user)
    return {
        "id": user.pk,
        "username": state.username,
        "email": state.email,
        "first_name": state.first_name,
        "last_name": state.last_name,
        "is_active": state.active,
        "external_id": state.external_id,
        "department": state.department,
        "employee_type": state.employee_type,
        "manager_id": int(state.manager) if state.manager else None,
        "groups": [
            {"id": group.pk, "name": group.name} for group in getattr(user, "directory_groups", [])
        ],
        "date_joined": user.date_joined,
    }


class UserWriteSerializer(serializers.Serializer):
    """The fields of a person the API may write; the account services validate them
    (user name rules, uniqueness, lengths) and answer 400 or 409 with a message."""

    username = serializers.CharField(required=False)
    email = serializers.CharField(required=False, allow_blank=True)
    first_name = serializers.CharField(required=False, allow_blank=True)
    last_name = serializers.CharField(required=False, allow_blank=True)
    is_active = serializers.BooleanField(
        required=False, help_text="false: signed out everywhere, open required training closed."
    )
    external_id = serializers.CharField(required=False, allow_blank=True)
    department = serializers.CharField(required=False, allow_blank=True)
    employee_type = serializers.CharField(required=False, allow_blank=True)
    manager_id = serializers.IntegerField(
        required=False, allow_null=True, help_text="null removes the manager."
    )


class UserCreateSerializer(UserWriteSerializer):
    username = serializers.CharField(
        error_messages={"required": "A user name is required.", "blank": "A user name is required."}
    )


class GroupSerializer(serializers.Serializer):
    """A directory group (one that provisioning manages)."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    external_id = serializers.CharField(allow_blank=True)


class MemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    first_name = serializers.CharField(allow_blank=True)
    last_name = serializers.CharField(allow_blank=True)


class GroupDetailSerializer(GroupSerializer):
    members = MemberSerializer(many=True)


def group_body(group, *, with_members: bool) -> dict:
    """A group from :func:`accounts.scim.selectors.scim_groups` as serializer data."""
    link = getattr(group, "directory_group", None)
    body = {"id": group.pk, "name": group.name, "external_id": link.external_id if link else ""}
    if with_members:
        body["members"] = group.scim_members
    return body


class GroupCreateSerializer(serializers.Serializer):
    name = serializers.CharField(
        error_messages={"required": "A group needs a name.", "blank": "A group needs a name."}
    )
    external_id = serializers.CharField(required=False, allow_blank=True, default="")
    member_ids = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list
    )


class MembershipSerializer(serializers.Serializer):
    user_id = serializers.IntegerField(
        error_messages={"required": "Give the id of the person to add."}
    )
