"""A learner completes a short course, downloads the certificate from the dashboard, and
the verification link printed on it says the certificate is valid."""

import io
import re
from pathlib import Path

import pypdf
from playwright.sync_api import expect

from certificates.models import Certificate
from tests.catalog.factories import CoursePageFactory, ModulePageFactory
from tests.lessons.factories import LessonPageFactory

COURSE = "Knots for sailors"
LESSON = "The bowline"
USERNAME, PASSWORD = "sailor42", "sailor-pw-1"
#: The verification link as printed on the PDF (text extraction may break lines in it).
VERIFY_LINK = re.compile(r"(https?://\S+/certificates/verify/[A-Za-z0-9_-]+/)")


def pdf_text(path: Path) -> str:
    reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
    assert len(reader.pages) == 1
    return reader.pages[0].extract_text()


class TestCertificate:
    def test_learner_completes_course_downloads_certificate_and_verifies_it(
        self, new_page, live_server, django_user_model, settings
    ):
        # All database work happens before the browser sends its first request.
        settings.WAGTAILADMIN_BASE_URL = live_server.url  # the link printed on the PDF
        course = CoursePageFactory(title=COURSE, certificate_validity_months=12)
        module = ModulePageFactory(parent=course, title="Knots")
        LessonPageFactory(parent=module, title=LESSON)
        django_user_model.objects.create_user(
            username=USERNAME, password=PASSWORD, first_name="Nell", last_name="Navarro"
        )

        learner = new_page()
        learner.goto("/accounts/login/")
        learner.get_by_label("Username").fill(USERNAME)
        learner.get_by_label("Password").fill(PASSWORD)
        learner.get_by_role("button", name="Sign in").click()
        expect(learner.get_by_role("navigation", name="Main")).to_contain_text("My learning")

        # Enrol, read the only lesson and mark it complete: the course is complete.
        learner.goto(course.url)
        learner.get_by_role("button", name="Enrol", exact=True).click()
        expect(learner.get_by_text("You are enrolled.")).to_be_visible()
        learner.get_by_role("link", name="Start the course").click()
        expect(learner.get_by_role("heading", level=1)).to_have_text(LESSON)
        learner.get_by_role("button", name="Mark complete").click()
        # Finishing the course says what it gave: the certificate (ready or on its way).
        expect(learner.get_by_role("heading", name="Course complete")).to_be_visible()
        expect(learner.get_by_text("Well done: you have completed")).to_contain_text(COURSE)
        expect(learner.locator(".course-complete__certificate")).to_contain_text("certificate")

        # The dashboard lists the certificate; download it.
        learner.get_by_role("navigation", name="Main").get_by_role(
            "link", name="My learning"
        ).click()
        panel = learner.locator("section").filter(
            has=learner.get_by_role("heading", name="Certificates", exact=True)
        )
        expect(panel).to_contain_text(COURSE)
        expect(panel).to_contain_text("Valid")
        with learner.expect_download() as download_info:
            panel.get_by_role("link", name=re.compile("^Download PDF")).click()
        download = download_info.value
        certificate = Certificate.objects.get(user__username=USERNAME)
        assert download.suggested_filename == f"{certificate.number}.pdf"
        text = pdf_text(Path(download.path()))
        assert "Nell Navarro" in text
        assert COURSE in text
        assert certificate.number in text

        # The link printed on it opens the public verification page, signed out too.
        match = VERIFY_LINK.search(text.replace("\n", ""))
        assert match, text
        link = match.group(1)
        assert link == f"{live_server.url}/certificates/verify/{certificate.verification_code}/"
        visitor = new_page()
        visitor.goto(link)
        expect(visitor.get_by_role("heading", level=2)).to_have_text("This certificate is valid.")
        expect(visitor.locator(".verification")).to_contain_text("Nell Navarro")
        expect(visitor.locator(".verification")).to_contain_text(COURSE)
        expect(visitor.locator("body")).not_to_contain_text(USERNAME)
