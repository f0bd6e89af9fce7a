"""Production hardening: `check --deploy` is clean, security headers and the Content
Security Policy on the site's pages, documents only through the permission-checked view
as attachments, and upload limits that answer with a message, not a crash."""

import io
import os
import subprocess
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.urls import reverse

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction

import pytest
from PIL import Image as PILImage

ROOT = Path(__file__).resolve().parents[2]
User = get_user_model()


def check_deploy(**env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "FLEDGE_")) and k not in {"DATABASE_URL", "REDIS_URL"}
    }
    production = {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "k3y-" + "x9Q!" * 15,
        "DJANGO_ALLOWED_HOSTS": "learn.example.org",
    }
    return subprocess.run(  # noqa: S603 - fixed interpreter and arguments
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, **production, **env},
        capture_output=True,
        text=True,
        check=False,
    )


class TestCheckDeploy:
    def test_production_settings_pass_with_warnings_as_failures(self):
        result = check_deploy()
        assert result.returncode == 0, result.stderr

    def test_switching_a_protection_off_is_reported(self):
        result = check_deploy(DJANGO_SECURE_SSL_REDIRECT="0", DJANGO_SECURE_COOKIES="0")
        assert result.returncode != 0
        assert "security.W008" in result.stderr
        assert "security.W012" in result.stderr


@pytest.mark.django_db
class TestHeaders:
    def test_site_pages_carry_a_strict_content_security_policy(self, client, catalog):
        response = client.get(catalog.url)
        assert response.status_code == 200
        policy = response["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
        assert directives["script-src"] == "'self'"
        assert directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'self'"
        assert "https://www.youtube-nocookie.com" in directives["frame-src"]
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Content-Type-Options"] == "nosniff"

    def test_site_pages_have_no_inline_scripts(self, client, catalog):
        html = client.get(catalog.url).content.decode()
        for chunk in html.split("<script")[1:]:
            tag = chunk.split(">", 1)[0]
            assert "src=" in tag or 'type="application/json"' in tag, tag

    def test_the_admin_manages_its_own_scripts(self, admin_client):
        response = admin_client.get(reverse("wagtailadmin_home"))
        assert response.status_code == 200
        assert "Content-Security-Policy" not in response


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def public_collection() -> Collection:
    """The explicitly public collection (lessons migration 0002); documents elsewhere
    are private to the lessons that link them (tests/learner/test_lesson_documents.py)."""
    return Collection.objects.get(depth=2, name="Public")


@pytest.mark.django_db
class TestDocuments:
    def make_document(self, collection=None):
        Document = get_document_model()
        collection = collection or public_collection()
        document = Document(title="Policy", collection=collection)
        document.file.save("policy.pdf", ContentFile(pdf_bytes()), save=False)
        document.save()
        return document

    def test_served_as_an_attachment_through_the_view(self, client):
        document = self.make_document()
        response = client.get(document.url)
        assert document.url.startswith("/documents/")
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content) == pdf_bytes()

    def test_a_private_collection_needs_a_sign_in(self, client, django_user_model):
        private = public_collection().add_child(name="Staff only")
        CollectionViewRestriction.objects.create(
            collection=private, restriction_type=CollectionViewRestriction.LOGIN
        )
        document = self.make_document(private)
        response = client.get(document.url)
        assert response.status_code == 302
        assert "login" in response["Location"]
        client.force_login(django_user_model.objects.create_user("reader", password="x"))
        assert client.get(document.url).status_code == 200


def png_upload(width: int, height: int, name: str = "big.png") -> ContentFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), "white").save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name=name)


@pytest.mark.django_db
class TestUploadLimits:
    def test_an_oversized_document_is_refused_with_a_message(self, admin_client, settings):
        settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024
        big = ContentFile(pdf_bytes() + b"0" * 4096, name="big.pdf")
        response = admin_client.post(
            reverse("wagtaildocs:add"),
            {"title": "Too big", "file": big, "collection": Collection.get_first_root_node().pk},
        )
        assert response.status_code == 200
        assert "this file is too big" in response.content.decode().lower()
        assert not get_document_model().objects.filter(title="Too big").exists()

    def test_an_image_with_too_many_pixels_is_refused_with_a_message(self, admin_client, settings):
        settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 10_000
        response = admin_client.post(
            reverse("wagtailimages:add"),
            {
                "title": "Huge",
                "file": png_upload(200, 200),
                "collection": Collection.get_first_root_node().pk,
            },
        )
        assert response.status_code == 200
        assert "too many pixels" in response.content.decode().lower()
        assert not get_image_model().objects.filter(title="Huge").exists()

    def test_svg_images_are_accepted(self, admin_client):
        svg = ContentFile(
            b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">'
            b'<rect width="40" height="40" fill="#1d4ed8"/></svg>',
            name="logo.svg",
        )
        response = admin_client.post(
            reverse("wagtailimages:add"),
            {"title": "Logo", "file": svg, "collection": Collection.get_first_root_node().pk},
        )
        assert response.status_code == 302
        image = get_image_model().objects.get(title="Logo")
        assert image.is_svg()
        assert image.get_rendition("height-40").url.endswith(".svg")

    def test_an_oversized_form_post_is_a_400_not_a_crash(self, client, settings):
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
        response = client.post(reverse("account_login"), {"login": "x" * 20_000, "password": "y"})
        assert response.status_code == 400
