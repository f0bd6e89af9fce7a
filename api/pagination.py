"""How the API pages long lists: by primary key, with an opaque cursor."""

from rest_framework import exceptions
from rest_framework.pagination import CursorPagination


class IdCursorPagination(CursorPagination):
    """Pages in primary-key order: a page is ``WHERE id > cursor ORDER BY id LIMIT n``,
    so page 2,000 costs what page 1 does, and rows added meanwhile are neither skipped
    nor repeated. Follow ``next`` until it is null. A cursor that was not made here (or
    was edited) is a 400, not a 404: the list exists, the request is wrong."""

    ordering = "pk"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound:
            raise exceptions.ParseError(
                "The cursor is not one this API gave: follow the `next` link as it is."
            ) from None
