"""Driving the Wagtail page admin from tests: form data and the actions an editor takes."""

from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from wagtail.models import Page, WorkflowState
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from tests.learner.factories import UserFactory


def member_of(group_name: str, username: str, **fields):
    """A user in one of the shipped role groups."""
    user = UserFactory(username=username, **fields)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def course_form(title: str, **extra) -> dict:
    data = nested_form_data(
        {
            "title": title,
            "slug": title.lower().replace(" ", "-"),
            "summary": "A course.",
            "overview": rich_text("<p>Overview.</p>"),
            "difficulty": "beginner",
            "estimated_minutes": 30,
            "enrollment_policy": "open",
            "waitlist_enabled": "on",
            "issues_certificate": "on",
            "pass_mark": 80,
        }
    )
    data.update(extra)
    return data


def module_form(title: str, **extra) -> dict:
    data = nested_form_data(
        {"title": title, "slug": title.lower().replace(" ", "-"), "summary": "A module."}
    )
    data.update(extra)
    return data


def lesson_form(title: str, text: str = "Lesson text.", **extra) -> dict:
    data = nested_form_data(
        {
            "title": title,
            "slug": title.lower().replace(" ", "-"),
            "summary": "",
            "estimated_minutes": 10,
            "body": streamfield([("paragraph", rich_text(f"<p>{text}</p>"))]),
        }
    )
    data.update(extra)
    return data


def add_page(client: Client, parent: Page, model: str, data: dict, action: str = ""):
    """POST the admin's add form; ``action`` is "submit", "publish" or "" (save draft)."""
    app = "lessons" if model == "lessonpage" else "catalog"
    if action:
        data = {**data, f"action-{action}": "1"}
    return client.post(reverse("wagtailadmin_pages:add", args=(app, model, parent.pk)), data)


def edit_page(client: Client, page: Page, data: dict, action: str = ""):
    if action:
        data = {**data, f"action-{action}": "1"}
    return client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), data)


def child(parent: Page, slug: str) -> Page:
    return Page.objects.child_of(parent).get(slug=slug).specific


def review_state(course: Page) -> WorkflowState | None:
    return WorkflowState.objects.filter(
        object_id=str(course.pk), status__in=["in_progress", "needs_changes"]
    ).first()


def decide(client: Client, course: Page, action: str, comment: str = ""):
    """The reviewer's "approve" or "reject" (request changes) on the course's review."""
    state = review_state(course)
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=(course.pk, action, state.current_task_state.pk),
    )
    return client.post(url, {"comment": comment})
