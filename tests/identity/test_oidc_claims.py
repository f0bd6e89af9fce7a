"""Claims become groups: the group map, where each attribute is read from (OpenID
Connect claims and SAML attributes), and the service that joins and leaves only the
groups the map names."""

from types import SimpleNamespace

from django.contrib.auth.models import Group

import pytest

from accounts.sso import claims
from accounts.sso.claims import GroupChanges, GroupMapError, GroupRule, group_changes
from accounts.sso.logins import read_sign_in
from accounts.sso.providers import AUTHN_CONTEXTS_KEY
from accounts.sso.services import sso_groups_sync
from tests.learner.factories import UserFactory

MAP = {
    "groups:staff-security": "Security awareness",
    "department:Finance": "Finance",
    "role:Instructor": "Instructors",
    "employee_type:Contractor": "Contractors",
}


def login(provider: str, extra_data: dict, **app_settings) -> SimpleNamespace:
    """What ``read_sign_in`` reads of allauth's SocialLogin."""
    app = SimpleNamespace(settings=app_settings)
    return SimpleNamespace(
        provider=SimpleNamespace(id=provider, app=app),
        account=SimpleNamespace(extra_data=extra_data),
    )


class TestGroupMap:
    def test_reads_attribute_value_and_group(self):
        assert claims.parse_group_map('{"department:Finance": "Finance"}') == (
            GroupRule(attribute="department", value="Finance", group="Finance"),
        )

    def test_a_value_may_contain_colons(self):
        (rule,) = claims.parse_group_map({"groups:urn:example:staff": "Staff"})
        assert rule.value == "urn:example:staff"

    @pytest.mark.parametrize(
        "raw, message",
        [
            ("{not json", "not valid JSON"),
            ('["groups:a"]', "must be a JSON object"),
            ({"groups": "A"}, "<attribute>:<value>"),
            ({"colour:blue": "Blue"}, '"colour" is not one of'),
            ({"groups:a": ""}, "must be a name"),
        ],
    )
    def test_explains_what_is_wrong(self, raw, message):
        with pytest.raises(GroupMapError, match=message):
            claims.parse_group_map(raw)

    def test_nothing_configured_is_no_rules(self):
        assert claims.parse_group_map({}) == ()
        assert claims.parse_group_map(None) == ()


class TestGroupChanges:
    rules = claims.parse_group_map(MAP)

    def test_joins_matching_groups_and_leaves_the_other_mapped_ones(self):
        values = {"groups": {"staff-security"}, "department": {"Sales"}, "role": set()}
        assert group_changes(self.rules, {**values, "employee_type": set()}) == GroupChanges(
            join=frozenset({"Security awareness"}),
            leave=frozenset({"Finance", "Instructors", "Contractors"}),
        )

    def test_a_left_out_attribute_decides_nothing(self):
        values = {"groups": None, "department": {"Finance"}, "role": set(), "employee_type": set()}
        changes = group_changes(self.rules, values)
        assert "Security awareness" not in changes.join | changes.leave
        assert changes.join == {"Finance"}

    def test_one_group_from_several_rules_is_joined_when_any_matches(self):
        rules = claims.parse_group_map({"groups:a": "Staff", "department:HR": "Staff"})
        assert group_changes(rules, {"groups": set(), "department": {"HR"}}).join == {"Staff"}
        assert group_changes(rules, {"groups": set(), "department": set()}).leave == {"Staff"}


class TestAttributeValues:
    def test_reads_every_name_of_an_attribute_from_every_source(self):
        names = claims.claim_names()
        values = claims.attribute_values(
            [{"groups": ["a", "b"], "department": "Finance"}, {"roles": "Instructor"}], names
        )
        assert values == {
            "groups": {"a", "b"},
            "department": {"Finance"},
            "role": {"Instructor"},
            "employee_type": set(),
        }

    def test_a_provider_can_name_its_own_claims(self):
        names = claims.claim_names({"department": "ou", "groups": ["wids", "groups"]})
        values = claims.attribute_values([{"ou": "Finance", "wids": ["x"]}], names)
        assert values["department"] == {"Finance"}
        assert values["groups"] == {"x"}

    def test_an_unknown_attribute_in_the_claims_setting_is_an_error(self):
        with pytest.raises(GroupMapError):
            claims.claim_names({"colour": "favourite_colour"})

    @pytest.mark.parametrize(
        "value, expected",
        [(True, True), ("true", True), ("1", True), ("false", False), (None, False)],
    )
    def test_reads_a_yes_or_no_claim(self, value, expected):
        assert claims.as_bool(value) is expected


class TestReadSignIn:
    def test_openid_connect_claims_come_from_the_id_token_and_userinfo(self, settings):
        settings.FLEDGE_SSO_GROUP_MAP = MAP
        sign_in = read_sign_in(
            login(
                "openid_connect",
                {
                    "id_token": {"groups": ["staff-security"], "amr": ["pwd", "mfa"], "acr": "1"},
                    "userinfo": {"department": "Finance"},
                },
            )
        )
        assert sign_in.values["groups"] == {"staff-security"}
        assert sign_in.values["department"] == {"Finance"}
        assert (sign_in.amr, sign_in.acr) == (("mfa", "pwd"), ("1",))
        assert sign_in.rules == claims.parse_group_map(MAP)

    def test_entra_groups_overage_leaves_groups_undecided(self, settings):
        settings.FLEDGE_SSO_GROUP_MAP = MAP
        sign_in = read_sign_in(
            login("openid_connect", {"id_token": {"_claim_names": {"groups": "src1"}}})
        )
        assert sign_in.values["groups"] is None
        assert sign_in.values["department"] == set()

    def test_saml_attributes_authn_context_and_entra_overage(self, settings):
        settings.FLEDGE_SSO_GROUP_MAP = MAP
        sign_in = read_sign_in(
            login(
                "saml",
                {
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/department": ["Finance"],
                    "http://schemas.microsoft.com/claims/groups.link": ["https://graph..."],
                    claims.SAML_AMR_ATTRIBUTE: [
                        "http://schemas.microsoft.com/claims/multipleauthn"
                    ],
                    AUTHN_CONTEXTS_KEY: ["urn:oasis:names:tc:SAML:2.0:ac:classes:Password"],
                },
            )
        )
        assert sign_in.values["department"] == {"Finance"}
        assert sign_in.values["groups"] is None
        assert sign_in.amr == ("http://schemas.microsoft.com/claims/multipleauthn",)
        assert sign_in.acr == (
            "urn:oasis:names:tc:SAML:2.0:ac:classes:Password",
            "http://schemas.microsoft.com/claims/multipleauthn",
        )

    def test_a_provider_group_map_replaces_the_site_one(self, settings):
        settings.FLEDGE_SSO_GROUP_MAP = MAP
        sign_in = read_sign_in(
            login("saml", {}, group_map={"role:staff": "Staff"}, trust_mfa="false")
        )
        assert sign_in.rules == (GroupRule(attribute="role", value="staff", group="Staff"),)
        assert sign_in.trust_mfa is False


@pytest.mark.django_db
class TestGroupsSync:
    def sign_in(self, **values):
        values = {attribute: set() for attribute in claims.ATTRIBUTES} | values
        return SimpleNamespace(rules=claims.parse_group_map(MAP), values=values)

    def test_joins_and_leaves_only_mapped_groups(self):
        user = UserFactory()
        kept = Group.objects.create(name="Book club")
        user.groups.add(kept, Group.objects.create(name="Finance"))

        changes = sso_groups_sync(user=user, sign_in=self.sign_in(groups={"staff-security"}))

        assert changes == GroupChanges(
            join=frozenset({"Security awareness"}), leave=frozenset({"Finance"})
        )
        assert set(user.groups.values_list("name", flat=True)) == {
            "Book club",
            "Security awareness",
        }

    def test_creates_a_mapped_group_the_first_time_someone_joins_it(self):
        user = UserFactory()
        sso_groups_sync(user=user, sign_in=self.sign_in(employee_type={"Contractor"}))
        assert Group.objects.filter(name="Contractors").exists()
        assert not Group.objects.filter(name="Finance").exists()

    def test_reports_no_change_when_nothing_changes(self, django_assert_max_num_queries):
        user = UserFactory()
        user.groups.add(Group.objects.create(name="Finance"))
        with django_assert_max_num_queries(3):
            changes = sso_groups_sync(user=user, sign_in=self.sign_in(department={"Finance"}))
        assert changes == GroupChanges(join=frozenset(), leave=frozenset())
