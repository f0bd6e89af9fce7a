"""In a browser: a person signs in through the organisation's OpenID provider (a real
one, in its own process on 127.0.0.1), lands on *My learning*, and finds there the
required training that their directory group brings.

Chromium drives Fledge's live server; the sign-in button posts to Fledge, which sends
the browser to the provider's sign-in page and back (the authorization code flow with
PKCE); the ID token's ``groups`` claim puts the person in *Security awareness*, the
audience of a requirement.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.catalog.factories import CoursePageFactory, site_catalog
from tests.compliance.factories import GroupFactory, TrainingRequirementFactory
from tests.identity.conftest import OIDC_NAME
from tests.identity.partners.directory import PASSWORD

pytestmark = pytest.mark.e2e


class TestSignInThroughTheOpenIDProvider:
    def test_lands_on_my_learning_with_the_training_the_group_requires(
        self, new_page, live_server, oidc_settings, openid_provider
    ):
        # All database work happens before the browser sends its first request.
        course = CoursePageFactory(parent=site_catalog(), title="Spotting phishing")
        TrainingRequirementFactory(
            name="Phishing refresher",
            course=course,
            audience_groups=[GroupFactory(name="Security awareness")],
        )

        page = new_page()
        page.goto("/accounts/login/")
        # The sign-in page with its button holds to the site's accessibility bar.
        problems = [
            f"{violation['id']} ({violation['impact']})"
            for violation in Axe().run(page).response["violations"]
        ]
        assert problems == []
        page.get_by_role("button", name=f"Sign in with {OIDC_NAME}").click()

        # The provider's own sign-in page, on its own origin.
        expect(page.get_by_role("heading", name="Test identity provider")).to_be_visible()
        assert page.url.startswith(openid_provider.issuer.removesuffix("/o"))
        page.get_by_label("Username").fill("ada")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()

        # Back on Fledge, signed in, on "My learning".
        page.wait_for_url(f"{live_server.url}/dashboard/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Your learning")
        expect(page.get_by_role("navigation", name="Main")).to_contain_text("My learning")
        training = page.locator(".required-training")
        expect(training.get_by_role("heading", name="Phishing refresher")).to_be_visible()
        expect(training).to_contain_text("Spotting phishing")
