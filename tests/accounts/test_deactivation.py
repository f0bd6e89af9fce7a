"""A person deactivated outside provisioning (the Wagtail admin's user form, the Django
admin, the shell) is signed out at once and released from their open required
training, exactly as a SCIM deactivation does; reactivating them reopens it."""

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

import pytest

from compliance import services as compliance_services
from compliance.models import Assignment
from tests.compliance.factories import GroupFactory, requirement
from tests.learner.factories import UserFactory

User = get_user_model()
pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    browser = Client()
    browser.force_login(user)
    assert browser.get(reverse("learner:dashboard")).status_code == 200
    return browser


def sessions_of(user) -> list[str]:
    return [
        session.session_key
        for session in Session.objects.all()
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk)
    ]


@pytest.fixture
def nurse(catalog):
    nurses = GroupFactory(name="Nurses")
    person = UserFactory(username="nia", first_name="Nia", last_name="Nurse")
    nurses.user_set.add(person)
    requirement(name="Hygiene").audience_groups.add(nurses)
    compliance_services.assignments_sync()
    return person


def test_deactivating_in_the_wagtail_admin_signs_out_and_closes_training(
    nurse, django_capture_on_commit_callbacks
):
    browser = signed_in(nurse)
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    staff = Client()
    staff.force_login(admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            reverse("wagtailusers_users:edit", args=[nurse.pk]),
            {
                "username": nurse.username,
                "email": nurse.email,
                "first_name": nurse.first_name,
                "last_name": nurse.last_name,
                "password1": "",
                "password2": "",
                "groups": list(nurse.groups.values_list("pk", flat=True)),
                # is_active left out: the checkbox unticked
            },
        )

    assert response.status_code == 302, response.content[:2000]
    nurse.refresh_from_db()
    assert not nurse.is_active
    assert sessions_of(nurse) == []
    assert browser.get(reverse("learner:dashboard")).status_code == 302
    assert Assignment.objects.get(user=nurse).closed_on is not None


def test_a_plain_save_does_the_same_and_reactivation_reopens(
    nurse, django_capture_on_commit_callbacks
):
    browser = signed_in(nurse)

    with django_capture_on_commit_callbacks(execute=True):
        nurse.is_active = False
        nurse.save()
    assert sessions_of(nurse) == []
    assert browser.get(reverse("learner:dashboard")).status_code == 302
    assert Assignment.objects.get(user=nurse).closed_on is not None

    with django_capture_on_commit_callbacks(execute=True):
        nurse.is_active = True
        nurse.save()
    assert Assignment.objects.get(user=nurse).is_open


def test_saves_that_leave_the_flag_alone_send_nothing(nurse):
    browser = signed_in(nurse)
    nurse.first_name = "Nina"
    nurse.save()
    nurse.save(update_fields=["last_login"])
    assert len(sessions_of(nurse)) == 1
    assert browser.get(reverse("learner:dashboard")).status_code == 200
    assert Assignment.objects.get(user=nurse).is_open
