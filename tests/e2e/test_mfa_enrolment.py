"""MFA for staff, in a browser: an instructor without a second factor who opens the
admin is sent to set up an authenticator app; with the code (computed by pyotp, as the
app would) the admin opens; the next sign-in asks for a code; and every page of the
way passes axe's checks."""

import re

import pyotp
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.e2e.helpers import enrol_authenticator_app, make_user

PASSWORD = "ines-pw-long-1"
BLOCKING = {"critical", "serious"}


def assert_accessible(axe: Axe, page: Page, name: str) -> None:
    """No critical or serious violation. (Staff see Wagtail's user bar, which axe finds
    outside the landmarks; the same pages as a learner sees them are held to every rule
    in test_accessibility.py.)"""
    found = [
        f"{name}: {violation['id']} ({violation['impact']}) {violation['help']} "
        f"at {[node['target'] for node in violation['nodes'][:3]]}"
        for violation in axe.run(page).response["violations"]
        if violation["impact"] in BLOCKING
    ]
    assert found == [], "\n".join(found)


class TestAuthenticatorAppEnrolment:
    def test_staff_set_up_an_app_before_the_admin_and_use_it_at_the_next_sign_in(
        self, new_page, django_user_model
    ):
        make_user(django_user_model, username="ines", group="Instructors", password=PASSWORD)
        axe = Axe()
        page = new_page()

        page.goto("/admin/")
        page.wait_for_url("**/accounts/login/?next=/admin/")
        assert_accessible(axe, page, "sign-in")
        page.get_by_label("Username").fill("ines")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()

        page.wait_for_url("**/2fa/totp/activate/**")
        expect(page.get_by_text("Staff accounts need a second factor")).to_be_visible()
        expect(page.get_by_role("img", name="QR code")).to_be_visible()
        assert_accessible(axe, page, "set up an authenticator app")
        page.get_by_label("Authenticator code").fill("000000")
        page.get_by_role("button", name="Turn on two-factor authentication").click()
        expect(page.get_by_text("Incorrect code")).to_be_visible()
        secret = enrol_authenticator_app(page)
        assert_accessible(axe, page, "recovery codes")

        page.get_by_role("link", name="Continue to the admin").click()
        page.wait_for_url("**/admin/")
        expect(page).to_have_title(re.compile("^Dashboard"))

        page.goto("/accounts/")
        page.get_by_role("button", name="Sign out").first.click()
        page.goto("/admin/")
        page.get_by_label("Username").fill("ines")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/2fa/authenticate/")
        assert_accessible(axe, page, "two-factor step")
        page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/admin/")
        expect(page).to_have_title(re.compile("^Dashboard"))
