"""The one way Fledge's own admin views check who may use them.

Wagtail's ``PermissionCheckedMixin`` checks a model permission through a permission
policy; several Fledge screens are guarded by a rule that is not one model permission
(a manager sees the reports for their people; whoever edits a course sees its
learners). :class:`AccessRuleMixin` is the same idea for such a rule: a view (or a
mixin shared by an app's views) names its predicate once, and dispatch refuses
everyone else before the view runs. The admin turns the ``PermissionDenied`` into its
"no permission" redirect to the dashboard, or a 403 for XMLHttpRequests. The menu item
that leads to such views uses the same rule (:func:`menu_item_for`), so nobody is shown
a link that refuses them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from wagtail.admin.menu import MenuItem


class AccessRuleMixin:
    """Refuse users for whom :attr:`access_rule` is false, before the view runs."""

    #: Who may use the view: a function of the user (called as ``rule(user=...)``), set
    #: as ``staticmethod(rule)``.
    access_rule: Callable[[Any], bool]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.access_rule(user=request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class AccessRuleMenuItem(MenuItem):
    """An admin menu item shown to the users :attr:`access_rule` lets in."""

    access_rule: Callable[[Any], bool]

    def is_shown(self, request: HttpRequest) -> bool:
        return self.access_rule(user=request.user)


def menu_item_for(access: type[AccessRuleMixin]) -> type[AccessRuleMenuItem]:
    """The menu item class for views guarded by ``access``: shown by the same rule."""
    return type(
        f"{access.__name__}MenuItem",
        (AccessRuleMenuItem,),
        {"access_rule": staticmethod(access.access_rule), "__module__": access.__module__},
    )
