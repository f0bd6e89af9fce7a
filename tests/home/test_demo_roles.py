"""The demo shows the roles at work: two instructors who cannot see each other's
learners, and a reviewer whose approval publishes the draft course as a whole."""

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from wagtail.models import Site

import pytest

from catalog.models import CoursePage
from home.models import BrandingSettings
from learner.models import Enrollment
from tests.home.test_load_demo import DRAFT_SLUG, fast_and_isolated, load_demo  # noqa: F401

pytestmark = pytest.mark.django_db

MEETINGS_SLUG = "running-effective-meetings"


def client_of(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def csv_export(client: Client) -> str:
    response = client.get(reverse("learner_progress:index"), {"export": "csv"})
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode()


def test_two_instructors_see_only_their_own_learners_and_review_publishes_the_draft():
    load_demo()
    meetings = CoursePage.objects.get(slug=MEETINGS_SLUG)
    others = CoursePage.objects.live().exclude(pk=meetings.pk)
    assert Enrollment.objects.filter(course=meetings).exists()
    assert Enrollment.objects.filter(course__in=others).exists()

    first, second = csv_export(client_of("instructor")), csv_export(client_of("instructor2"))
    assert meetings.title not in first
    assert meetings.title in second
    assert not any(course.title in second for course in others)
    edit = reverse("wagtailadmin_pages:edit", args=[meetings.pk])
    assert client_of("instructor").get(edit)["Location"] == reverse("wagtailadmin_home")
    assert client_of("instructor2").get(edit).status_code == 200
    reviewer = csv_export(client_of("reviewer"))
    assert meetings.title in reviewer and others.first().title in reviewer

    # Loading the demo takes a while: the same run checks the other demo roles too.
    the_demo_manager_reports_on_their_people_only()
    the_demo_branding_has_a_logo_and_a_signature()
    approving_the_demo_draft_publishes_its_module_and_lessons()


def the_demo_manager_reports_on_their_people_only():
    manager = client_of("manager")
    report = manager.get(reverse("compliance_report:index"), {"export": "csv"})
    assert report.status_code == 200
    rows = b"".join(report.streaming_content).decode()
    people = {line.split(",")[1] for line in rows.splitlines()[1:] if line}
    assert people and people <= {"learner", "learner2"}, people
    assert manager.get(reverse("compliance_requirements:index")).status_code == 302


def the_demo_branding_has_a_logo_and_a_signature():
    branding = BrandingSettings.for_site(Site.objects.get(is_default_site=True))
    assert branding.logo is not None and branding.signature is not None
    admin = client_of("admin").get(reverse("wagtailadmin_home")).content.decode()
    assert 'alt="Fledge Academy"' in admin


def approving_the_demo_draft_publishes_its_module_and_lessons():
    draft = CoursePage.objects.get(slug=DRAFT_SLUG)
    pages = list(draft.get_descendants())
    assert len(pages) == 3 and not any(page.live for page in pages)
    state = draft.current_workflow_state

    response = client_of("reviewer").post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[draft.pk, "approve", state.current_task_state.pk],
        ),
        {"comment": "Approved."},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.live
    assert all(page.live for page in draft.get_descendants())
    html = Client().get(draft.url).content.decode()
    assert "<dt>Lessons</dt><dd>2</dd>" in html
    assert "Headings and structure" in html
