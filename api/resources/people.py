"""People and groups: what SCIM provisioning may do, for an administrator's token.

The same rules as SCIM, through the same code:

- who may: a token with the ``admin`` scope whose user is an active superuser, the
  rule that guards provisioning tokens (``accounts.scim.viewsets.SuperusersOnly``): a
  token that can create people and move them between groups is as strong as one;
- whom: the people provisioning may see (:func:`accounts.models.provisionable_users`:
  not superusers, not people the directory deleted) and only *directory* groups, never
  the role groups (Compliance admins, Instructors) or a course's team; anyone or
  anything else is a 404;
- how: reads through :mod:`accounts.scim.selectors`, writes through
  :mod:`accounts.services` (``user_provision``, ``user_update``, ``group_provision``,
  ``group_update``), so deactivation signs the person out and closes their open
  required training, a membership change runs the compliance sync, and each change is
  in the audit trail, exactly as when the directory makes it.
"""

from django.shortcuts import get_object_or_404

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from accounts import services
from accounts.models import ProvisioningToken, provisionable_users
from accounts.scim import selectors
from accounts.scim.viewsets import SuperusersOnly

from ..models import Scope
from ..pagination import IdCursorPagination
from ..permissions import HasScope
from ..views import AUTH_ERRORS, problem
from .people_serializers import (
    GroupCreateSerializer,
    GroupDetailSerializer,
    GroupSerializer,
    MembershipSerializer,
    UserCreateSerializer,
    UserSerializer,
    UserWriteSerializer,
    group_body,
    user_body,
)

#: Who may provision: the policy of provisioning tokens (active superusers).
_PROVISIONING = SuperusersOnly(ProvisioningToken)


class MayProvision(BasePermission):
    message = "Only administrators (superusers) may manage people and groups."

    def has_permission(self, request, view) -> bool:
        return _PROVISIONING.user_has_permission(request.user, "add")


class PeopleView(GenericAPIView):
    required_scope = Scope.ADMIN
    permission_classes = [HasScope, MayProvision]


ERRORS = {
    **AUTH_ERRORS,
    403: problem("The token lacks `admin`, or its user is not an administrator."),
}
NO_USER = problem("No person provisioning may manage has this id (superusers are not).")
NO_GROUP = problem("No directory group has this id (role groups are not managed here).")
REFUSED = problem("A value the account cannot hold, or an unknown manager or member.")
TAKEN = problem("The user name (or group name) is taken.")


def _person(pk) -> object:
    """One person provisioning may see, or 404."""
    return get_object_or_404(selectors.scim_users(), pk=pk)


def _people(ids: list[int], *, name: str) -> list:
    """The people provisioning may see with these ids, in order; 400 naming others."""
    wanted = list(dict.fromkeys(ids))
    found = {user.pk: user for user in provisionable_users().filter(pk__in=wanted)}
    unknown = [str(pk) for pk in wanted if pk not in found]
    if unknown:
        raise exceptions.ValidationError({name: [f"Unknown person: {', '.join(unknown)}."]})
    return [found[pk] for pk in wanted]


def _users(data):
    """Person data (one or a list) as the response shows it."""
    return UserSerializer(data, many=isinstance(data, list)).data


def _service_kwargs(data: dict) -> dict:
    """Serializer data as the account services' keyword arguments."""
    kwargs = dict(data)
    if "is_active" in kwargs:
        kwargs["active"] = kwargs.pop("is_active")
    if "manager_id" in kwargs:
        manager_id = kwargs.pop("manager_id")
        kwargs["manager"] = (
            None if manager_id is None else _people([manager_id], name="manager_id")[0]
        )
    return kwargs


# --- People --------------------------------------------------------------------------


class UserListView(PeopleView):
    serializer_class = UserSerializer
    pagination_class = IdCursorPagination

    @extend_schema(
        operation_id="users_list",
        description="The people provisioning manages (everyone but superusers and people "
        "the directory deleted), by id, with their directory groups. Filters as SCIM's: "
        "`username` and `email` (any case), `external_id`, `is_active`. Scope: `admin`; "
        "only administrators.",
        parameters=[
            OpenApiParameter("username", str, description="This user name, in any case."),
            OpenApiParameter("email", str, description="This email address, in any case."),
            OpenApiParameter("external_id", str, description="The directory's id."),
            OpenApiParameter("is_active", bool, description="Only active (or inactive) people."),
        ],
        responses={200: UserSerializer(many=True), 400: REFUSED, **ERRORS},
    )
    def get(self, request):
        people = selectors.scim_users()
        params = request.query_params
        if "username" in params:
            people = people.filter(username__iexact=params["username"])
        if "email" in params:
            people = people.filter(email__iexact=params["email"])
        if "external_id" in params:
            people = people.filter(directory_account__external_id=params["external_id"])
        if "is_active" in params:
            value = params["is_active"].lower()
            if value not in ("true", "false"):
                raise exceptions.ValidationError({"is_active": ["Say true or false."]})
            people = people.filter(is_active=value == "true")
        page = self.paginate_queryset(people)
        return self.get_paginated_response(_users([user_body(user) for user in page]))

    @extend_schema(
        operation_id="users_create",
        description="Provision a person (`accounts.services.user_provision`, as SCIM "
        "does): no usable password, they sign in through the identity provider. A user "
        "name the directory deleted before brings that person back. Scope: `admin`; only "
        "administrators.",
        request=UserCreateSerializer,
        responses={201: UserSerializer, 400: REFUSED, 409: TAKEN, **ERRORS},
    )
    def post(self, request):
        body = UserCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = services.user_provision(**_service_kwargs(body.validated_data))
        return Response(_users(user_body(_person(user.pk))), status=201)


class UserDetailView(PeopleView):
    serializer_class = UserSerializer

    @extend_schema(
        operation_id="users_retrieve",
        description="One person provisioning manages. Scope: `admin`; only administrators.",
        responses={200: UserSerializer, 404: NO_USER, **ERRORS},
    )
    def get(self, request, user_id: int):
        return Response(_users(user_body(_person(user_id))))

    @extend_schema(
        operation_id="users_partial_update",
        description="Change the fields given (`accounts.services.user_update`, as SCIM's "
        "PATCH). `is_active: false` deactivates: every session ends and open required "
        "training closes; `true` brings them back. `manager_id: null` removes the "
        "manager. Scope: `admin`; only administrators.",
        request=UserWriteSerializer,
        responses={200: UserSerializer, 400: REFUSED, 404: NO_USER, 409: TAKEN, **ERRORS},
    )
    def patch(self, request, user_id: int):
        user = _person(user_id)
        body = UserWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        if body.validated_data:
            services.user_update(user=user, **_service_kwargs(body.validated_data))
        return Response(_users(user_body(_person(user_id))))


# --- Groups --------------------------------------------------------------------------


def _group(pk, *, with_members: bool = True):
    return get_object_or_404(selectors.scim_groups(with_members=with_members), pk=pk)


class GroupListView(PeopleView):
    serializer_class = GroupSerializer
    pagination_class = IdCursorPagination

    @extend_schema(
        operation_id="groups_list",
        description="The directory groups (those provisioning manages), by id. Role "
        "groups and course teams are not listed. Scope: `admin`; only administrators.",
        responses={200: GroupSerializer(many=True), **ERRORS},
    )
    def get(self, request):
        page = self.paginate_queryset(selectors.scim_groups(with_members=False))
        return self.get_paginated_response(
            GroupSerializer(
                [group_body(group, with_members=False) for group in page], many=True
            ).data
        )

    @extend_schema(
        operation_id="groups_create",
        description="Create a directory group with these members "
        "(`accounts.services.group_provision`, as SCIM does); an existing group of that "
        "name is taken over only when it grants no permissions. Scope: `admin`; only "
        "administrators.",
        request=GroupCreateSerializer,
        responses={201: GroupDetailSerializer, 400: REFUSED, 409: TAKEN, **ERRORS},
    )
    def post(self, request):
        body = GroupCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        group = services.group_provision(
            name=data["name"],
            external_id=data["external_id"],
            members=_people(data["member_ids"], name="member_ids"),
        )
        return Response(_group_detail(group.pk), status=201)


class GroupDetailView(PeopleView):
    serializer_class = GroupDetailSerializer

    @extend_schema(
        operation_id="groups_retrieve",
        description="One directory group with its members (the people provisioning "
        "manages). Scope: `admin`; only administrators.",
        responses={200: GroupDetailSerializer, 404: NO_GROUP, **ERRORS},
    )
    def get(self, request, group_id: int):
        return Response(_group_detail(group_id))


def _group_detail(pk) -> dict:
    return GroupDetailSerializer(group_body(_group(pk), with_members=True)).data


def _set_members(group, member_ids: list[int]) -> None:
    """The group's members become these, through SCIM's own service: the compliance
    sync follows the membership and the change is audited."""
    services.group_update(group=group, members=_people(member_ids, name="user_id"))


class GroupMembersView(PeopleView):
    serializer_class = GroupDetailSerializer

    @extend_schema(
        operation_id="groups_members_create",
        description="Add a person to the group (`accounts.services.group_update`, as "
        "SCIM's PATCH add): required training for the group is assigned. Adding a member "
        "again changes nothing. Scope: `admin`; only administrators.",
        request=MembershipSerializer,
        responses={200: GroupDetailSerializer, 400: REFUSED, 404: NO_GROUP, **ERRORS},
    )
    def post(self, request, group_id: int):
        group = _group(group_id)
        body = MembershipSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user_id = body.validated_data["user_id"]
        members = [user.pk for user in group.scim_members]
        if user_id not in members:
            _set_members(group, [*members, user_id])
        return Response(_group_detail(group_id))


class GroupMemberView(PeopleView):
    serializer_class = GroupDetailSerializer

    @extend_schema(
        operation_id="groups_members_destroy",
        description="Remove a person from the group (`accounts.services.group_update`, "
        "as SCIM's PATCH remove): required training only the group gave them closes. "
        "Removing a non-member changes nothing. Scope: `admin`; only administrators.",
        responses={200: GroupDetailSerializer, 404: problem("No such group or person."), **ERRORS},
    )
    def delete(self, request, group_id: int, user_id: int):
        group = _group(group_id)
        _person(user_id)  # someone provisioning may not see is a 404, as the group
        members = [user.pk for user in group.scim_members]
        if user_id in members:
            _set_members(group, [member for member in members if member != user_id])
        return Response(_group_detail(group_id))
