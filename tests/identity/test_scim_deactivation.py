"""Deactivation (SCIM ``active: false``, or a directory delete) signs the person out
everywhere at once and closes their open required training as no longer required,
keeping every record; reactivation restores what it closed."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse

import pytest

from accounts import services
from accounts.sessions import SessionStore
from compliance import services as compliance_services
from compliance.models import Assignment
from compliance.selectors import summary
from tests.compliance.factories import GroupFactory, assign, days, requirement
from tests.identity.scim_api import (
    scim_fixture,  # noqa: F401 - fixture
    scim_token_fixture,  # noqa: F401 - fixture
    user_body,
)
from tests.learner.factories import UserFactory

User = get_user_model()
pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    browser = Client()
    browser.force_login(user)
    assert browser.get(reverse("learner:dashboard")).status_code == 200
    return browser


def deactivate(scim, user_id, value=False):
    response = scim.patch(f"Users/{user_id}", {"op": "Replace", "path": "active", "value": value})
    assert response.status_code == 200, response.content
    return response


class TestSignOut:
    def test_every_session_of_the_person_ends_and_no_one_elses(self, scim):
        ada = User.objects.get(pk=scim.post("Users", user_body("ada")).json()["id"])
        laptop, phone = signed_in(ada), signed_in(ada)
        colleague = signed_in(UserFactory())
        keys = [laptop.session.session_key, phone.session.session_key]

        deactivate(scim, ada.pk)

        assert not Session.objects.filter(session_key__in=keys).exists()
        assert not any(SessionStore().exists(key) for key in keys)  # cached copies too
        for browser in (laptop, phone):
            response = browser.get(reverse("learner:dashboard"))
            assert response.status_code == 302
            assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))
        assert colleague.get(reverse("learner:dashboard")).status_code == 200

    def test_the_service_counts_what_it_ended(self):
        lena = UserFactory()
        signed_in(lena), signed_in(lena)
        assert services.user_sign_out_everywhere(user=lena) == 2
        assert services.user_sign_out_everywhere(user=lena) == 0


class TestRequiredTraining:
    @pytest.fixture
    def nurses(self):
        return GroupFactory(name="Nurses")

    def test_open_cycles_close_and_reopen_and_history_stays(
        self, scim, catalog, nurses, django_capture_on_commit_callbacks
    ):
        ada = User.objects.get(pk=scim.post("Users", user_body("ada")).json()["id"])
        nurses.user_set.add(ada)
        hygiene, fire = requirement(name="Hygiene"), requirement(name="Fire safety")
        for each in (hygiene, fire):
            each.audience_groups.add(nurses)
        compliance_services.assignments_sync()
        done = Assignment.objects.get(user=ada, requirement=fire)
        Assignment.objects.filter(pk=done.pk).update(completed_on=done.assigned_on)
        open_row = Assignment.objects.get(user=ada, requirement=hygiene)

        with django_capture_on_commit_callbacks(execute=True):
            deactivate(scim, ada.pk)
        open_row.refresh_from_db()
        done.refresh_from_db()
        assert open_row.closed_on is not None
        assert done.closed_on is None and done.completed_on is not None

        # The daily job leaves an inactive person's cycles closed.
        compliance_services.assignments_sync()
        open_row.refresh_from_db()
        assert open_row.closed_on is not None

        with django_capture_on_commit_callbacks(execute=True):
            deactivate(scim, ada.pk, value=True)
        open_row.refresh_from_db()
        assert open_row.is_open
        assert Assignment.objects.filter(user=ada).count() == 2

    def test_reports_stop_counting_the_person_and_keep_the_past(self, catalog, nurses):
        lena = UserFactory()
        nurses.user_set.add(lena)
        hygiene = requirement(name="Hygiene")
        assign(hygiene, lena, assigned_on=days(-60), due_on=days(-30))
        everyone = Assignment.objects.all()

        def figures(as_of):
            return {s.requirement.pk: s.figures for s in summary(as_of=as_of, assignments=everyone)}

        assert figures(days(0))[hygiene.pk].overdue == 1
        services.user_deactivate(user=lena)
        assert figures(days(0))[hygiene.pk].assigned == 0
        assert figures(days(-1))[hygiene.pk].overdue == 1  # as it stood before
