"""The SCIM endpoints. Each parses the request (:mod:`.users`, :mod:`.groups`,
:mod:`.patch`, :mod:`.filters`), calls one service, and answers the resource; every
refusal is a SCIM error document (:mod:`.errors`).

DRF's views are exempt from CSRF (no cookies are involved: a bearer token is the only
credential), and they answer before Fledge's problem pages or page cache could.
"""

import logging

from django.http import Http404
from django.urls import reverse

from rest_framework import exceptions
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.services import AccountError
from base.errors import FledgeError

from . import groups as scim_groups
from . import selectors
from . import users as scim_users
from .auth import REALM, IsProvisioningClient, ProvisioningTokenAuthentication
from .errors import SCIM_TYPES, NotFound, ScimError, error_response
from .filters import parse_filter, parse_page
from .http import ScimContentNegotiation, ScimParser, ScimRenderer
from .patch import parse_operations
from .schemas import (
    LIST_URN,
    resource_type_documents,
    schema_documents,
    service_provider_config,
)

logger = logging.getLogger(__name__)

#: Filterable attributes (lower case) and the lookups that compare them.
USER_FILTERS = {
    "username": "username__iexact",
    "externalid": "directory_account__external_id",
    "id": "pk",
    "emails": "email__iexact",
    "emails.value": "email__iexact",
    "active": "is_active",
}
GROUP_FILTERS = {
    "displayname": "name__iexact",
    "externalid": "directory_group__external_id",
    "id": "pk",
}


class ScimView(APIView):
    """Token-authenticated, SCIM JSON in and out, SCIM errors for every refusal."""

    authentication_classes = [ProvisioningTokenAuthentication]
    permission_classes = [IsProvisioningClient]
    renderer_classes = [ScimRenderer]
    parser_classes = [ScimParser, JSONParser]
    content_negotiation_class = ScimContentNegotiation
    throttle_classes: list = []

    @property
    def base_url(self) -> str:
        return self.request.build_absolute_uri(reverse("scim:root"))

    def body(self) -> dict:
        data = self.request.data
        if not isinstance(data, dict):
            raise ScimError("The body must be a JSON object.", scim_type="invalidSyntax")
        return data

    def handle_exception(self, exc):
        if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
            detail = (
                "Send a provisioning token: 'Authorization: Bearer <token>'."
                if isinstance(exc, exceptions.NotAuthenticated)
                else str(exc.detail)
            )
            response = error_response(status=401, detail=detail)
            response["WWW-Authenticate"] = f'Bearer realm="{REALM}"'
            return response
        if isinstance(exc, ScimError):
            return error_response(status=exc.status, detail=exc.detail, scim_type=exc.scim_type)
        if isinstance(exc, AccountError):
            scim_type = SCIM_TYPES.get(exc.code, "")
            return error_response(status=exc.status, detail=exc.message, scim_type=scim_type)
        if isinstance(exc, FledgeError):
            return error_response(status=exc.status, detail=exc.message)
        if isinstance(exc, Http404):
            return error_response(status=404, detail="Not found.")
        if isinstance(exc, exceptions.ParseError):
            return error_response(
                status=400, detail=f"Malformed JSON: {exc.detail}", scim_type="invalidSyntax"
            )
        if isinstance(exc, exceptions.APIException):
            return error_response(status=exc.status_code, detail=str(exc.detail))
        return super().handle_exception(exc)

    def list_response(self, items: list[dict], *, total: int, start_index: int) -> Response:
        return Response(
            {
                "schemas": [LIST_URN],
                "totalResults": total,
                "startIndex": start_index,
                "itemsPerPage": len(items),
                "Resources": items,
            }
        )


class ServiceProviderConfigView(ScimView):
    def get(self, request):
        return Response(service_provider_config(self.base_url))


class SchemasView(ScimView):
    def get(self, request, urn: str | None = None):
        documents = schema_documents(self.base_url)
        if urn is None:
            return self.list_response(documents, total=len(documents), start_index=1)
        for document in documents:
            if document["id"].lower() == urn.lower():
                return Response(document)
        raise NotFound("Schema", urn)


class ResourceTypesView(ScimView):
    def get(self, request, name: str | None = None):
        documents = resource_type_documents(self.base_url)
        if name is None:
            return self.list_response(documents, total=len(documents), start_index=1)
        for document in documents:
            if document["id"].lower() == name.lower():
                return Response(document)
        raise NotFound("ResourceType", name)


def _filtered(queryset, params, attributes):
    try:
        return queryset.filter(parse_filter(params.get("filter"), attributes=attributes))
    except ValueError:  # an id that is not a number: nothing has it
        return queryset.none()


class UsersView(ScimView):
    def get(self, request):
        page = parse_page(request.query_params)
        people = _filtered(selectors.scim_users(), request.query_params, USER_FILTERS)
        total = people.count()
        chosen = list(people[page.offset : page.offset + page.count]) if page.count else []
        items = [scim_users.user_resource(user, base_url=self.base_url) for user in chosen]
        return self.list_response(items, total=total, start_index=page.start_index)

    def post(self, request):
        state = scim_users.fields_from_resource(self.body())
        kwargs = state.as_kwargs()
        kwargs["manager"] = _manager(state.manager)
        user = services.user_provision(**kwargs)
        resource = scim_users.user_resource(
            selectors.scim_user(str(user.pk)), base_url=self.base_url
        )
        response = Response(resource, status=201)
        response["Location"] = resource["meta"]["location"]
        return response


def _manager(resource_id: str | None):
    if resource_id is None:
        return None
    return selectors.people_by_ids([resource_id], name="manager")[0]


class UserView(ScimView):
    def get(self, request, pk: str):
        user = selectors.scim_user(pk)
        return Response(scim_users.user_resource(user, base_url=self.base_url))

    def put(self, request, pk: str):
        user = selectors.scim_user(pk)
        before = scim_users.UserFields.of(user)
        after = scim_users.fields_from_resource(self.body(), active=user.is_active)
        return self._update(user, before, after)

    def patch(self, request, pk: str):
        user = selectors.scim_user(pk)
        before = scim_users.UserFields.of(user)
        after = scim_users.fields_after_patch(before, parse_operations(self.body()))
        return self._update(user, before, after)

    def _update(self, user, before, after) -> Response:
        changes = after.changes_from(before)
        if "manager" in changes:
            changes["manager"] = _manager(changes["manager"])
        if changes:
            services.user_update(user=user, **changes)
        fresh = selectors.scim_user(str(user.pk))
        return Response(scim_users.user_resource(fresh, base_url=self.base_url))

    def delete(self, request, pk: str):
        services.user_deprovision(user=selectors.scim_user(pk))
        return Response(status=204)


def _wants_members(request) -> bool:
    excluded = request.query_params.get("excludedAttributes", "")
    return "members" not in {part.strip().lower() for part in excluded.split(",")}


class GroupsView(ScimView):
    def get(self, request):
        page = parse_page(request.query_params)
        with_members = _wants_members(request)
        groups = _filtered(
            selectors.scim_groups(with_members=with_members), request.query_params, GROUP_FILTERS
        )
        total = groups.count()
        chosen = list(groups[page.offset : page.offset + page.count]) if page.count else []
        items = [
            scim_groups.group_resource(
                group,
                base_url=self.base_url,
                members=group.scim_members if with_members else None,
            )
            for group in chosen
        ]
        return self.list_response(items, total=total, start_index=page.start_index)

    def post(self, request):
        state = scim_groups.fields_from_resource(self.body())
        members = selectors.people_by_ids(state.members, name="members")
        group = services.group_provision(
            name=state.name, external_id=state.external_id, members=members
        )
        fresh = selectors.scim_group(str(group.pk))
        resource = scim_groups.group_resource(
            fresh, base_url=self.base_url, members=fresh.scim_members
        )
        response = Response(resource, status=201)
        response["Location"] = resource["meta"]["location"]
        return response


class GroupView(ScimView):
    def get(self, request, pk: str):
        with_members = _wants_members(request)
        group = selectors.scim_group(pk, with_members=with_members)
        members = group.scim_members if with_members else None
        return Response(scim_groups.group_resource(group, base_url=self.base_url, members=members))

    def put(self, request, pk: str):
        group = selectors.scim_group(pk)
        after = scim_groups.fields_from_resource(self.body())
        self._update(group, after)
        fresh = selectors.scim_group(pk)
        return Response(
            scim_groups.group_resource(fresh, base_url=self.base_url, members=fresh.scim_members)
        )

    def patch(self, request, pk: str):
        group = selectors.scim_group(pk)
        member_ids = [str(user.pk) for user in group.scim_members]
        before = scim_groups.GroupFields.of(group, member_ids=member_ids)
        after = scim_groups.fields_after_patch(before, parse_operations(self.body()))
        self._update(group, after, before=before)
        # 204, as RFC 7644 §3.5.2 allows: a large group's members are not sent back.
        return Response(status=204)

    def _update(self, group, after, *, before=None) -> None:
        changes: dict[str, object] = {}
        if before is None or after.name != before.name:
            changes["name"] = after.name
        if before is None or after.external_id != before.external_id:
            changes["external_id"] = after.external_id
        if before is None or after.members != before.members:
            changes["members"] = selectors.people_by_ids(after.members, name="members")
        services.group_update(group=group, **changes)

    def delete(self, request, pk: str):
        services.group_deprovision(group=selectors.scim_group(pk, with_members=False))
        return Response(status=204)


class UnknownView(ScimView):
    """Any other path under /scim/v2/: a SCIM 404 (after the token check)."""

    def _not_found(self, request, *args, **kwargs):
        raise ScimError(f"There is no SCIM endpoint at {request.path}.", status=404)

    get = post = put = patch = delete = _not_found
