"""Steps for driving the Wagtail admin in browser tests.

Selectors follow what the admin really renders in Wagtail 8: labelled buttons and
links (``More actions``, ``Add child page``, ``Save draft``), the ``title`` of the
StreamField's ``+`` buttons, the ``option`` role of the block chooser, and the
``name=`` of form inputs (``body-1-value-questions-0-value-prompt``). They were read
from the admin's HTML, not guessed.
"""

import json
import re

from django.contrib.auth.models import Group

import pyotp
from playwright.sync_api import Locator, Page, expect

#: The workflow that the catalog migration attaches to the catalog page.
WORKFLOW_NAME = "Course review"


def make_user(django_user_model, *, username: str, group: str, password: str):
    """A user in one of the role groups that the catalog migration creates."""
    user = django_user_model.objects.create_user(
        username=username, email=f"{username}@example.com", password=password
    )
    user.groups.add(Group.objects.get(name=group))
    return user


def sign_in_to_admin(page: Page, *, username: str, password: str) -> None:
    """Sign in through /admin/login/ (the site's sign-in page), set up the
    authenticator app that staff need (accounts.mfa) with a code computed by pyotp, and
    wait for the dashboard."""
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/2fa/totp/activate/**")
    enrol_authenticator_app(page)
    page.get_by_role("link", name="Continue to the admin").click()
    page.wait_for_url("**/admin/")


def enrol_authenticator_app(page: Page) -> str:
    """On the "Set up an authenticator app" page: type the code an app would show for
    the secret on the page; return the secret once the recovery codes show."""
    secret = page.get_by_label("Or type this secret into the app").input_value()
    page.get_by_label("Authenticator code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    expect(page.get_by_role("heading", name="Recovery codes")).to_be_visible()
    return secret


def open_add_child_page(page: Page, parent_id: int) -> None:
    """Open the explorer listing of a page and, from its header, the form for a child.

    A parent that allows one page type only (the catalog, a course, a module) goes
    straight to that type's form.
    """
    page.goto(f"/admin/pages/{parent_id}/")
    page.get_by_role("link", name="Add child page", exact=True).click()
    expect(page.get_by_placeholder("Page title*")).to_be_visible()


def fill_title(page: Page, title: str) -> None:
    """Type the page title and wait for the slug (Promote tab) to follow it.

    The slug is synced from the title by a script on change and blur; submitting
    before it ran fails validation with an empty slug.
    """
    field = page.get_by_placeholder("Page title*")
    field.fill(title)
    field.blur()
    expect(page.locator('input[name="slug"]')).not_to_have_value("")


def save_draft(page: Page, title: str) -> int:
    """Save the new page in the editor as a draft; return its id.

    "Save draft" is the footer's main button for those who cannot publish; on a new
    page it creates the page and stays in its editor (``/admin/pages/<id>/edit/``).
    """
    page.get_by_role("button", name="Save draft", exact=True).click()
    expect(page.get_by_text(f"Page '{title}' created.", exact=True)).to_be_visible()
    return edited_page_id(page)


def edited_page_id(page: Page) -> int:
    """The id of the page open in the editor, read from its URL."""
    match = re.search(r"/admin/pages/(\d+)/edit/", page.url)
    assert match, f"not a page editor: {page.url}"
    return int(match.group(1))


def submit_for_review(page: Page, title: str) -> None:
    """Submit the page in the editor to the "Course review" workflow.

    Instructors cannot publish, so the footer's save button is "Save draft" and the
    workflow's submit action sits in its "More actions" dropdown.
    """
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name=f"Submit to {WORKFLOW_NAME}").click()
    message = re.compile(rf"Page '{re.escape(title)}' (created and )?submitted for moderation")
    expect(page.get_by_text(message)).to_be_visible()


def insert_block(page: Page, stream: Locator, label: str) -> None:
    """Append a block of the given label ("Text", "Quiz", "Single choice") to a stream.

    The last "Insert a block" button of a stream adds after its last child; in an
    empty stream it is the only one. ``stream`` is the stream's container, so nested
    streams (a quiz's questions) are not confused with the page body.
    """
    stream.locator('button[title="Insert a block"]').last.click()
    page.get_by_role("option", name=label, exact=True).click()


def rich_text_editor(page: Page, input_name: str) -> Locator:
    """The Draftail editor whose value is posted in the hidden input ``input_name``."""
    return page.locator(f'input[name="{input_name}"] + .Draftail-Editor__wrapper [role="textbox"]')


def type_rich_text(page: Page, input_name: str, text: str) -> None:
    """Type ``text`` into the Draftail editor of ``input_name`` and wait until the
    hidden input carries it.

    Draftail writes its content to the hidden input at most every 250 ms
    (``stateSaveInterval``), not on submit: a form sent right after typing would post
    the block empty.
    """
    rich_text_editor(page, input_name).click()
    page.keyboard.type(text)
    expect(page.locator(f'input[name="{input_name}"]')).to_have_value(
        re.compile(re.escape(json.dumps(text)[1:-1]))
    )


def review_row(page: Page, title: str) -> Locator:
    """The row of ``title`` in the dashboard's "Awaiting your review" panel."""
    panel = page.locator("#awaiting-review-content")
    return panel.get_by_role("row").filter(has=page.get_by_role("link", name=title, exact=True))


def open_review_preview(page: Page, title: str) -> None:
    """Open the reviewer's preview of ``title`` from the dashboard's "Awaiting your
    review" panel, in this tab.

    The row's "Preview" link (``/admin/pages/workflow/preview/<page id>/<task id>/``)
    opens a new tab (``target="_blank"``); following its address here keeps the test
    on one page per person.
    """
    page.goto("/admin/")
    row = review_row(page, title)
    row.get_by_role("button", name="Actions").click()
    href = row.get_by_role("link", name="Preview", exact=True).get_attribute("href")
    assert href and "/admin/pages/workflow/preview/" in href, href
    page.goto(href)


def approve_from_dashboard(page: Page, title: str) -> None:
    """Approve a page from the dashboard's "Awaiting your review" panel.

    The "Reviewer approval" task is the workflow's only task, so approving publishes
    (a course, with its draft modules and lessons).
    """
    page.goto("/admin/")
    panel = page.locator("#awaiting-review-content")
    row = review_row(page, title)
    row.get_by_role("button", name="Actions").click()
    with page.expect_navigation():
        row.get_by_role("button", name="Approve", exact=True).click()
    expect(panel.get_by_role("link", name=title, exact=True)).to_have_count(0)
