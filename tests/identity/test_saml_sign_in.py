"""SAML 2.0 sign-in: Fledge starts a sign-in (an AuthnRequest to the identity
provider), the test identity provider answers with an assertion it signs with its own
key pair (xmlsec), and the answer is posted to Fledge's assertion consumer service as
the browser would. A valid answer signs the person in with their mapped groups; a
tampered signature, another audience, an expired or replayed assertion, and answers to
requests this browser never made are refused with a page that says why."""

import base64
from datetime import UTC, datetime, timedelta
from html import escape

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialApp

from accounts.mfa import MFA_SESSION_KEY
from accounts.sso.adapter import NOT_STARTED_HERE, SAML_REFUSED
from accounts.sso.claims import SAML_AMR_ATTRIBUTE
from accounts.sso.providers import REPLAYED
from compliance.models import Assignment
from tests.compliance.factories import GroupFactory, TrainingRequirementFactory
from tests.identity.conftest import SAML_HOST, SAML_ID, SAML_NAME
from tests.identity.partners.saml_idp import MULTI_FACTOR, PASSWORD, tamper

pytestmark = pytest.mark.django_db

User = get_user_model()

LOGIN_URL = f"/accounts/saml/{SAML_ID}/login/"
ACS_URL = f"http://{SAML_HOST}/accounts/saml/{SAML_ID}/acs/"
#: Fledge's entity ID: its metadata URL (the audience a response must name).
AUDIENCE = f"http://{SAML_HOST}/accounts/saml/{SAML_ID}/metadata/"
#: Ada as Entra ID describes her (its claim URIs).
ADA = {
    "http://schemas.microsoft.com/identity/claims/objectidentifier": ["0d5c6e1f-ada"],
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress": ["ada@example.org"],
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname": ["Ada"],
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname": ["Lovelace"],
    "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups": [
        "staff-security",
        "all-staff",
    ],
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/department": ["Finance"],
}


def start(client: Client) -> str:
    """Press the provider's button: the ID of the AuthnRequest Fledge sent."""
    response = client.post(LOGIN_URL)
    assert response.status_code == 302
    return response["Location"]


def answer(idp, client: Client, **overrides) -> str:
    """Start a sign-in and build the provider's signed answer to it."""
    request = idp.read_authn_request(start(client))
    assert request.acs_url == ACS_URL
    fields = {
        "in_response_to": request.id,
        "acs_url": request.acs_url,
        "audience": AUDIENCE,
        "name_id": "ada-persistent-id",
        "attributes": ADA,
    }
    fields.update(overrides)
    return idp.response(**fields)


def post(client: Client, saml_response: str):
    """Post the answer to the assertion consumer service and follow Fledge's own
    redirect to where it finishes the sign-in."""
    posted = client.post(ACS_URL, {"SAMLResponse": saml_response})
    assert posted.status_code == 302
    return client.get(posted["Location"])


def assert_refused(response, reason: str, client: Client) -> None:
    assert response.status_code == 401
    assert escape(reason) in response.text
    assert "_auth_user_id" not in client.session
    assert not User.objects.exists()


class TestSAMLSignIn:
    def test_the_sign_in_page_shows_the_provider(self, saml_client, saml_settings):
        page = saml_client.get(reverse("account_login"))
        assert f"Sign in with {SAML_NAME}" in page.text

    def test_a_valid_signed_assertion_signs_in_with_mapped_groups(
        self, saml_client, saml_settings, saml_idp, django_capture_on_commit_callbacks
    ):
        requirement = TrainingRequirementFactory(
            audience_groups=[GroupFactory(name="Security awareness")]
        )
        with django_capture_on_commit_callbacks(execute=True):
            response = post(saml_client, answer(saml_idp, saml_client))

        assert response.status_code == 302
        assert response["Location"] == reverse("learner:dashboard")
        user = User.objects.get()
        assert saml_client.session["_auth_user_id"] == str(user.pk)
        assert (user.email, user.first_name, user.last_name) == (
            "ada@example.org",
            "Ada",
            "Lovelace",
        )
        assert set(user.groups.values_list("name", flat=True)) == {"Security awareness", "Finance"}
        assert Assignment.objects.filter(user=user, requirement=requirement).exists()
        account = SocialAccount.objects.get(user=user)
        assert (account.provider, account.uid) == (saml_idp.entity_id, "0d5c6e1f-ada")
        # The provider vouches for example.org addresses (its "verified_email").
        assert EmailAddress.objects.get(user=user).verified

    def test_a_response_signed_as_a_whole_is_accepted_too(
        self, saml_client, saml_settings, saml_idp
    ):
        response = post(saml_client, answer(saml_idp, saml_client, sign_response=True))
        assert response.status_code == 302
        assert "_auth_user_id" in saml_client.session

    def test_mfa_at_the_provider_counts_for_the_session(self, saml_client, saml_settings, saml_idp):
        post(saml_client, answer(saml_idp, saml_client, authn_context=MULTI_FACTOR))
        assert saml_client.session[MFA_SESSION_KEY]["method"] == "idp"

    def test_entra_ids_list_of_methods_counts_too(self, saml_client, saml_settings, saml_idp):
        attributes = {
            **ADA,
            SAML_AMR_ATTRIBUTE: ["http://schemas.microsoft.com/claims/multipleauthn"],
        }
        post(
            saml_client,
            answer(saml_idp, saml_client, authn_context=PASSWORD, attributes=attributes),
        )
        assert saml_client.session[MFA_SESSION_KEY]["method"] == "idp"

    def test_a_password_at_the_provider_does_not(self, saml_client, saml_settings, saml_idp):
        post(saml_client, answer(saml_idp, saml_client, authn_context=PASSWORD))
        assert MFA_SESSION_KEY not in saml_client.session

    def test_fledge_publishes_its_metadata(self, saml_client, saml_settings):
        metadata = saml_client.get(f"/accounts/saml/{SAML_ID}/metadata/")
        assert metadata.status_code == 200
        assert f'entityID="{AUDIENCE}"' in metadata.text
        assert f'Location="{ACS_URL}"' in metadata.text


class TestSAMLProviderFromTheAdmin:
    def test_signs_in_with_the_same_checks(self, saml_client, settings, saml_idp):
        settings.FLEDGE_SSO_GROUP_MAP = {"department:Finance": "Finance"}
        SocialApp.objects.create(
            provider="saml",
            provider_id=saml_idp.entity_id,
            client_id=SAML_ID,
            name="Campus SAML",
            settings={
                "idp": {
                    "entity_id": saml_idp.entity_id,
                    "sso_url": saml_idp.sso_url,
                    "x509cert": saml_idp.x509cert,
                }
            },
        )
        forged = tamper(answer(saml_idp, saml_client), ">Finance<", ">Sales<")
        refused = post(saml_client, forged)
        assert refused.status_code == 401
        assert "signature did not verify" in refused.text

        response = post(saml_client, answer(saml_idp, saml_client))
        assert response["Location"] == reverse("learner:dashboard")
        user = User.objects.get()
        assert list(user.groups.values_list("name", flat=True)) == ["Finance"]
        # Fledge's attribute names apply to it too (Entra ID's object id is the uid).
        assert SocialAccount.objects.get(user=user).uid == "0d5c6e1f-ada"


class TestSAMLRefusals:
    def test_a_tampered_signature_is_refused(self, saml_client, saml_settings, saml_idp):
        signed = answer(saml_idp, saml_client)
        forged = tamper(signed, ">staff-security<", ">staff-admins<")
        response = post(saml_client, forged)
        assert_refused(
            response, SAML_REFUSED.format(what="its signature did not verify"), saml_client
        )

    def test_an_assertion_signed_by_another_key_is_refused(
        self, saml_client, saml_settings, saml_idp
    ):
        impostor = type(saml_idp).create(entity_id=saml_idp.entity_id)
        request = saml_idp.read_authn_request(start(saml_client))
        forged = impostor.response(
            in_response_to=request.id,
            acs_url=request.acs_url,
            audience=AUDIENCE,
            name_id="ada-persistent-id",
            attributes=ADA,
        )
        assert_refused(
            post(saml_client, forged),
            SAML_REFUSED.format(what="its signature did not verify"),
            saml_client,
        )

    def test_an_assertion_for_another_audience_is_refused(
        self, saml_client, saml_settings, saml_idp
    ):
        response = post(
            saml_client, answer(saml_idp, saml_client, audience="https://lms.other.example/")
        )
        assert_refused(
            response, SAML_REFUSED.format(what="it was meant for another service"), saml_client
        )

    def test_an_expired_assertion_is_refused(self, saml_client, saml_settings, saml_idp):
        an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
        response = post(
            saml_client,
            answer(saml_idp, saml_client, issued_at=an_hour_ago, valid_for=timedelta(minutes=5)),
        )
        assert_refused(response, SAML_REFUSED.format(what="it had expired"), saml_client)

    def test_a_replayed_assertion_is_refused(self, saml_settings, saml_idp):
        first = Client(HTTP_HOST=SAML_HOST)
        signed = answer(saml_idp, first)
        assert post(first, signed).status_code == 302

        # The same answer, captured and posted again from another browser that has a
        # sign-in of its own under way.
        replayer = Client(HTTP_HOST=SAML_HOST)
        start(replayer)
        response = post(replayer, signed)
        assert response.status_code == 401
        assert escape(REPLAYED) in response.text
        assert "_auth_user_id" not in replayer.session

    def test_an_assertion_id_is_accepted_once_even_in_a_new_answer(self, saml_settings, saml_idp):
        first = Client(HTTP_HOST=SAML_HOST)
        assert post(first, answer(saml_idp, first, assertion_id="_assertion-1")).status_code == 302
        second = Client(HTTP_HOST=SAML_HOST)
        response = post(second, answer(saml_idp, second, assertion_id="_assertion-1"))
        assert response.status_code == 401
        assert escape(REPLAYED) in response.text

    def test_an_answer_to_a_request_not_made_here_is_refused(
        self, saml_client, saml_settings, saml_idp
    ):
        response = post(
            saml_client, answer(saml_idp, saml_client, in_response_to="ONELOGIN_not-ours")
        )
        assert_refused(response, NOT_STARTED_HERE, saml_client)

    def test_an_unsolicited_answer_is_refused(self, saml_client, saml_settings, saml_idp):
        response = post(saml_client, answer(saml_idp, saml_client, in_response_to=None))
        assert response.status_code == 401
        assert "_auth_user_id" not in saml_client.session

    def test_garbage_is_refused(self, saml_client, saml_settings):
        response = post(saml_client, "not-a-saml-response")
        assert response.status_code == 401
        assert "_auth_user_id" not in saml_client.session

    def test_an_answer_with_a_document_type_is_refused(self, saml_client, saml_settings):
        xml = (
            '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'
        )
        response = post(saml_client, base64.b64encode(xml.encode()).decode())
        assert response.status_code == 401
        assert "_auth_user_id" not in saml_client.session
