"""The Wagtail admin wears the site's branding (Settings → Branding), not Wagtail's."""

import re

from django.urls import reverse

from wagtail.models import Site

import pytest
from wagtail_factories import ImageFactory

from home.models import BrandingSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def branding():
    branding = BrandingSettings.for_site(Site.objects.get(is_default_site=True))
    branding.site_name = "Acme Learning"
    branding.save()
    return branding


def test_the_sign_in_page_names_the_site(client, branding):
    # The admin signs people in on the site's own sign-in page (config/admin_urls.py).
    html = client.get(reverse("wagtailadmin_login"), follow=True).content.decode()
    assert "Acme Learning" in html
    assert "Sign in to Wagtail" not in html
    assert re.search(r"<title>\s*Sign in\s*· Acme Learning</title>", html)


def test_the_sidebar_shows_the_site_name_then_its_logo(admin_client, branding):
    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    brand = html.split("data-wagtail-sidebar-branding-logo>")[1].split("</template>")[0]
    assert "Acme Learning" in brand
    assert 'href="/static/favicon.svg"' in html

    branding.logo = ImageFactory(title="Acme logo")
    branding.save()
    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    brand = html.split("data-wagtail-sidebar-branding-logo>")[1].split("</template>")[0]
    assert "<img" in brand and 'alt="Acme Learning"' in brand
