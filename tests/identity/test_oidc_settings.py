"""Providers from the environment (config/settings/sso.py): FLEDGE_OIDC_PROVIDERS and
FLEDGE_SAML_PROVIDERS become allauth's apps, with clear errors for what is missing,
and the start-up check names a group map that cannot be used."""

import json

from django.core.exceptions import ImproperlyConfigured

import pytest

from accounts.sso.checks import check_sso_group_maps
from accounts.sso.providers import SAML_ATTRIBUTE_MAPPING, with_saml_defaults
from config.settings import sso

ENTRA = {
    "id": "entra",
    "name": "Contoso (Entra ID)",
    "server_url": "https://login.microsoftonline.com/contoso-tenant-id/v2.0",
    "client_id": "00000000-aaaa-bbbb-cccc-000000000000",
    "secret": "entra-secret",
    "scope": ["openid", "profile", "email"],
    "trust_mfa": True,
}
OKTA_SAML = {
    "id": "okta",
    "name": "Contoso (Okta)",
    "entity_id": "http://www.okta.com/exk1contoso",
    "metadata_url": "https://contoso.okta.com/app/exk1contoso/sso/saml/metadata",
    "attribute_mapping": {"uid": "login"},
    "verified_email": ["contoso.example"],
}


class TestOpenIDConnectProviders:
    def test_become_allauth_apps(self):
        (app,) = sso.oidc_apps([ENTRA])
        assert app == {
            "provider_id": "entra",
            "name": "Contoso (Entra ID)",
            "client_id": ENTRA["client_id"],
            "secret": "entra-secret",
            "settings": {
                "server_url": ENTRA["server_url"],
                "scope": ["openid", "profile", "email"],
                "trust_mfa": True,
            },
        }

    def test_the_secret_may_come_from_its_own_variable(self, monkeypatch):
        monkeypatch.setenv("FLEDGE_OIDC_SECRET_CAMPUS_KEYCLOAK", "from-the-vault")
        entry = {**ENTRA, "id": "campus-keycloak"}
        del entry["secret"]
        (app,) = sso.oidc_apps([entry])
        assert app["secret"] == "from-the-vault"

    @pytest.mark.parametrize(
        "entry, message",
        [
            ({**ENTRA, "id": "Entra ID"}, 'needs an "id"'),
            ({key: value for key, value in ENTRA.items() if key != "server_url"}, "server_url"),
            ({key: value for key, value in ENTRA.items() if key != "client_id"}, "client_id"),
        ],
    )
    def test_say_what_is_missing(self, entry, message):
        with pytest.raises(ImproperlyConfigured, match=message):
            sso.oidc_apps([entry])


class TestSAMLProviders:
    def test_become_allauth_apps(self):
        (app,) = sso.saml_apps([OKTA_SAML])
        assert app["client_id"] == "okta"
        assert app["provider_id"] == OKTA_SAML["entity_id"]
        assert app["settings"] == {
            "idp": {"entity_id": OKTA_SAML["entity_id"], "metadata_url": OKTA_SAML["metadata_url"]},
            "attribute_mapping": {"uid": "login"},
            "verified_email": ["contoso.example"],
        }

    def test_every_saml_app_gets_fledges_defaults_under_its_own(self):
        (app,) = sso.saml_apps([OKTA_SAML])
        settings = with_saml_defaults(app["settings"])
        assert settings["attribute_mapping"]["uid"] == "login"
        assert settings["attribute_mapping"]["email"] == SAML_ATTRIBUTE_MAPPING["email"]
        assert settings["advanced"] == {
            "strict": True,
            "want_assertion_signed": True,
            "reject_idp_initiated_sso": True,
        }
        overridden = with_saml_defaults({"advanced": {"want_assertion_signed": False}})
        assert overridden["advanced"]["want_assertion_signed"] is False

    def test_may_name_the_sign_on_url_and_certificate_instead_of_metadata(self):
        entry = {
            "id": "entra",
            "entity_id": "https://sts.windows.net/tenant/",
            "sso_url": "https://login.microsoftonline.com/tenant/saml2",
            "x509cert": "MIIC...",
            "sp_entity_id": "https://fledge.example/saml",
        }
        (app,) = sso.saml_apps([entry])
        assert app["settings"]["idp"]["sso_url"] == entry["sso_url"]
        assert app["settings"]["sp"] == {"entity_id": "https://fledge.example/saml"}

    def test_need_metadata_or_the_sign_on_url_and_certificate(self):
        entry = {"id": "entra", "entity_id": "https://sts.windows.net/tenant/", "sso_url": "x"}
        with pytest.raises(ImproperlyConfigured, match="x509cert"):
            sso.saml_apps([entry])


class TestEnvironment:
    def test_json_must_parse(self, monkeypatch):
        monkeypatch.setenv("FLEDGE_OIDC_PROVIDERS", "[{oops")
        with pytest.raises(ImproperlyConfigured, match="FLEDGE_OIDC_PROVIDERS is not valid JSON"):
            sso._json("FLEDGE_OIDC_PROVIDERS", [], list)

    def test_json_must_be_the_right_shape(self, monkeypatch):
        monkeypatch.setenv("FLEDGE_SSO_GROUP_MAP", json.dumps(["groups:a"]))
        with pytest.raises(ImproperlyConfigured, match="must be a JSON object"):
            sso._json("FLEDGE_SSO_GROUP_MAP", {}, dict)

    def test_unset_means_no_provider(self, monkeypatch):
        monkeypatch.delenv("FLEDGE_OIDC_PROVIDERS", raising=False)
        assert sso._json("FLEDGE_OIDC_PROVIDERS", [], list) == []


class TestStartUpCheck:
    def test_passes_a_good_configuration(self, settings):
        settings.FLEDGE_SSO_GROUP_MAP = {"groups:a": "A"}
        assert check_sso_group_maps() == []

    def test_names_a_broken_site_map(self, settings):
        settings.FLEDGE_SSO_GROUP_MAP = {"team:a": "A"}
        (error,) = check_sso_group_maps()
        assert error.id == "fledge.sso.E001"
        assert error.msg.startswith("FLEDGE_SSO_GROUP_MAP:")

    def test_names_the_provider_with_a_broken_setting(self, settings):
        providers = {**settings.SOCIALACCOUNT_PROVIDERS}
        providers["openid_connect"] = {
            **providers["openid_connect"],
            "APPS": sso.oidc_apps([{**ENTRA, "claims": {"colour": "x"}}]),
        }
        settings.SOCIALACCOUNT_PROVIDERS = providers
        (error,) = check_sso_group_maps()
        assert "openid_connect provider entra" in error.msg
