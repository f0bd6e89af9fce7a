"""Sections that one app adds to another app's page through a Wagtail hook.

The learner's dashboard and "course complete" pages show sections from apps built on
the learner app (required training, certificates), which the learner app must not
import. Each such app registers a hook function that returns a :class:`Panel` or
None, as the Wagtail admin's dashboard takes ``Component`` objects with an ``order``
from ``construct_homepage_panels``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from operator import attrgetter
from typing import Any

from django.utils.safestring import SafeString

from wagtail.admin.ui.components import Component


class Panel(Component):
    """A template with its context, shown at ``order`` (lower first)."""

    def __init__(self, template_name: str, context: dict[str, Any], *, order: int) -> None:
        self.template_name = template_name
        self.context = context
        self.order = order

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        return self.context


def collect_panels(functions: Iterable[Callable[..., Panel | None]], *args: Any) -> list[Panel]:
    """Call each hook function with ``args``; the panels they return, in order."""
    panels = [panel for function in functions if (panel := function(*args)) is not None]
    return sorted(panels, key=attrgetter("order"))


def rendered(panels: Iterable[Panel]) -> list[SafeString]:
    """Each panel's HTML."""
    return [panel.render_html() for panel in panels]
