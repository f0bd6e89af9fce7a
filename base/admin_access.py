"""The one way Fledge's own admin views check who may use them.

Wagtail's ``PermissionCheckedMixin`` checks a model permission through a permission
policy; several Fledge screens are guarded by a rule that is not one model permission
(a manager sees the reports for their people; whoever edits a course sees its
learners). :class:`AccessRuleMixin` is the same idea for such a rule: a view (or a
mixin shared by an app's views) names its predicate once, and dispatch refuses
everyone else before the view runs. The admin turns the ``PermissionDenied`` into its
"no permission" redirect to the dashboard, or a 403 for XMLHttpRequests.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse


class AccessRuleMixin:
    """Refuse users for whom :attr:`access_rule` is false, before the view runs."""

    #: Who may use the view: a function of the user, set as ``staticmethod(rule)``.
    access_rule: Callable[[Any], bool]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.access_rule(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
