"""A person downloads all their data from the account page, a data protection officer
anyone's: a ZIP of JSON files with the known person's rows and nobody else's."""

import io
import json
import zipfile

from django.urls import reverse

import pytest

import audit
from audit.models import AuditEntry
from tests.learner.factories import UserFactory, member_of

from .history import known_history

pytestmark = pytest.mark.django_db

MY_DATA = "/accounts/my-data/"


@pytest.fixture
def history(catalog):
    return known_history()


def unzip(response) -> dict[str, object]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return {
            name: archive.read(name).decode()
            if name.endswith(".txt")
            else json.loads(archive.read(name))
            for name in archive.namelist()
        }


class TestOwnData:
    def test_the_account_page_offers_it(self, client, history):
        client.force_login(history.person)
        page = client.get(reverse("account_overview")).content.decode()
        assert f'href="{MY_DATA}"' in page

    def test_the_zip_holds_her_rows_and_nobody_elses(self, client, history):
        client.force_login(history.person)
        files = unzip(client.get(MY_DATA))
        assert "README.txt" in files
        assert files["profile.json"]["email"] == "ada@example.org"
        (enrolment,) = files["learner/enrolments.json"]
        assert enrolment["id"] == history.enrolment.pk
        assert len(files["learner/lesson_progress.json"]) == 3
        attempts = files["learner/quiz_attempts.json"]
        assert [a["number"] for a in attempts] == [1, 2]
        assert all("answers" in a for a in attempts)
        assert {a["requirement"] for a in files["compliance/assignments.json"]} == {
            "Fire safety",
            "Ethics",
        }
        (certificate,) = files["certificates/certificates.json"]
        assert certificate["number"] == history.certificate.number
        (reminder,) = files["compliance/reminders.json"]
        assert (
            reminder["kind"] == "Reminder before due" and reminder["requirement"] == "Fire safety"
        )
        assert all(e["to"] == "ada@example.org" for e in files["notifications/emails.json"])
        entries = files["audit/entries.json"]
        ada = audit.pseudonym(history.person.pk)
        assert entries and all(
            e["subject"] == ada or e["actor_id"] == history.person.pk for e in entries
        )
        # Nothing of Bob's anywhere in the download.
        text = json.dumps(files)
        assert "bob@example.org" not in text and '"bob"' not in text
        assert audit.pseudonym(history.other.pk) not in text

    def test_the_download_is_recorded(self, client, history):
        client.force_login(history.person)
        client.get(MY_DATA)
        entry = AuditEntry.objects.get(action="fledge.records.export")
        assert entry.actor_id == history.person.pk
        assert entry.subject == audit.pseudonym(history.person.pk)
        assert "profile" in entry.data["files"]
        audit.verify_chain()

    def test_signed_out_is_sent_to_sign_in(self, client):
        response = client.get(MY_DATA)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    def test_only_get(self, client, history):
        client.force_login(history.person)
        assert client.post(MY_DATA).status_code == 405


class TestAnyonesData:
    def test_a_data_protection_officer_downloads_anyones(self, client, history):
        officer = member_of("Data protection officers", "dora")
        client.force_login(officer)
        files = unzip(client.get(reverse("records:data", args=[history.person.pk])))
        assert files["profile.json"]["username"] == "ada"
        entry = AuditEntry.objects.get(action="fledge.records.export")
        assert entry.actor_id == officer.pk

    @pytest.mark.parametrize("group", ["Compliance admins", "Instructors", None])
    def test_others_may_not(self, client, history, group):
        user = member_of(group, "eve") if group else UserFactory(username="eve")
        client.force_login(user)
        response = client.get(reverse("records:data", args=[history.person.pk]))
        assert response.status_code == 302 and not response.has_header("Content-Disposition")
        assert not AuditEntry.objects.filter(action="fledge.records.export").exists()

    def test_an_unknown_person_is_404(self, client, catalog):
        client.force_login(member_of("Data protection officers", "dora"))
        assert client.get(reverse("records:data", args=[987654])).status_code == 404
