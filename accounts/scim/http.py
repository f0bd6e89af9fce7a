"""SCIM on the wire: ``application/scim+json`` out, whatever the client's Accept
header says, and JSON in under either media type."""

from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer

SCIM_MEDIA_TYPE = "application/scim+json"


class ScimRenderer(JSONRenderer):
    media_type = SCIM_MEDIA_TYPE
    charset = "utf-8"


class ScimParser(JSONParser):
    """RFC 7644 bodies; plain ``application/json`` is read by DRF's JSONParser."""

    media_type = SCIM_MEDIA_TYPE


class ScimContentNegotiation(BaseContentNegotiation):
    """Always SCIM JSON: directories send ``Accept: application/json`` (or nothing),
    and a 406 would stop provisioning for no gain."""

    def select_parser(self, request, parsers):
        content_type = request.content_type.split(";")[0].strip().lower()
        if not content_type:  # a body without a Content-Type is read as JSON
            return parsers[0]
        for parser in parsers:
            if parser.media_type == content_type:
                return parser
        return None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type
