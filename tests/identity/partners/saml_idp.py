"""A SAML 2.0 identity provider's signing half, for the single sign-on tests.

``SAMLIdentityProvider.create()`` makes an RSA key pair and a self-signed certificate
(``cryptography``) at test time. The provider reads Fledge's AuthnRequest (the
HTTP-Redirect binding: deflated, base64 ``SAMLRequest``) and answers with a Response
whose Assertion is signed by xmlsec (python3-saml's ``add_sign``: RSA-SHA256,
exclusive canonicalisation), as Entra ID and Okta sign theirs. The tests post that
answer to Fledge's assertion consumer service the way a browser would (HTTP-POST
binding); nothing is served, so the single sign-on URL is never contacted.

Every part Fledge must check can be made wrong on purpose: the audience, the validity
window (``valid_for``), the assertion's ID (to replay one), and ``tamper`` changes a
signed value after signing.
"""

import base64
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape, quoteattr

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from lxml import etree
from onelogin.saml2.constants import OneLogin_Saml2_Constants as SAML
from onelogin.saml2.utils import OneLogin_Saml2_Utils

#: AuthnContextClassRef for a password sign-in, and for one with a second factor.
PASSWORD = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
MULTI_FACTOR = "http://schemas.microsoft.com/claims/multipleauthn"


@dataclass(frozen=True)
class AuthnRequest:
    """What the provider needs from Fledge's request: its ID (the answer's
    ``InResponseTo``), where to answer and who asked."""

    id: str
    acs_url: str
    issuer: str


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _pem(certificate_or_key) -> str:
    if isinstance(certificate_or_key, x509.Certificate):
        return certificate_or_key.public_bytes(serialization.Encoding.PEM).decode()
    return certificate_or_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@dataclass(frozen=True)
class SAMLIdentityProvider:
    entity_id: str
    sso_url: str
    key_pem: str
    cert_pem: str

    @classmethod
    def create(cls, *, entity_id: str = "http://127.0.0.1/test-idp") -> "SAMLIdentityProvider":
        """A provider with a fresh 2048-bit key and a one-day self-signed certificate."""
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Fledge test IdP")])
        now = datetime.now(UTC)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5))
            .not_valid_after(now + timedelta(days=1))
            .sign(key, hashes.SHA256())
        )
        return cls(
            entity_id=entity_id,
            sso_url=f"{entity_id}/sso",
            key_pem=_pem(key),
            cert_pem=_pem(certificate),
        )

    @property
    def x509cert(self) -> str:
        """The certificate as a SAML settings file has it: base64, no PEM armour."""
        return "".join(line for line in self.cert_pem.splitlines() if "-----" not in line)

    def read_authn_request(self, redirect_url: str) -> AuthnRequest:
        """Decode the AuthnRequest in the URL Fledge redirected the browser to."""
        assert redirect_url.startswith(self.sso_url), redirect_url
        encoded = parse_qs(urlsplit(redirect_url).query)["SAMLRequest"][0]
        xml = zlib.decompress(base64.b64decode(encoded), -15)
        request = etree.fromstring(xml)  # noqa: S320 - Fledge's own request, in a test
        issuer = request.find(f"{{{SAML.NS_SAML}}}Issuer")
        return AuthnRequest(
            id=request.get("ID"),
            acs_url=request.get("AssertionConsumerServiceURL"),
            issuer=issuer.text if issuer is not None else "",
        )

    def response(
        self,
        *,
        in_response_to: str | None,
        acs_url: str,
        audience: str,
        name_id: str,
        attributes: dict[str, list[str]],
        authn_context: str = PASSWORD,
        assertion_id: str | None = None,
        issued_at: datetime | None = None,
        valid_for: timedelta = timedelta(minutes=5),
        sign_response: bool = False,
    ) -> str:
        """A base64 SAMLResponse for the HTTP-POST binding, its Assertion signed.

        ``issued_at`` (default now) and ``valid_for`` set the assertion's window:
        ``issued_at`` in the past with a short ``valid_for`` makes an expired one.
        """
        issued_at = issued_at or datetime.now(UTC)
        not_on_or_after = _timestamp(issued_at + valid_for)
        assertion_id = assertion_id or OneLogin_Saml2_Utils.generate_unique_id()
        in_response = f" InResponseTo={quoteattr(in_response_to)}" if in_response_to else ""
        attribute_xml = "".join(
            f'<saml:Attribute Name={quoteattr(name)} NameFormat="{SAML.ATTRNAME_FORMAT_URI}">'
            + "".join(
                f'<saml:AttributeValue xsi:type="xs:string">{escape(value)}</saml:AttributeValue>'
                for value in values
            )
            + "</saml:Attribute>"
            for name, values in attributes.items()
        )
        assertion = f"""<saml:Assertion xmlns:saml="{SAML.NS_SAML}"
    xmlns:xs="{SAML.NS_XS}" xmlns:xsi="{SAML.NS_XSI}"
    ID={quoteattr(assertion_id)} Version="2.0" IssueInstant="{_timestamp(issued_at)}">
  <saml:Issuer>{escape(self.entity_id)}</saml:Issuer>
  <saml:Subject>
    <saml:NameID Format="{SAML.NAMEID_PERSISTENT}">{escape(name_id)}</saml:NameID>
    <saml:SubjectConfirmation Method="{SAML.CM_BEARER}">
      <saml:SubjectConfirmationData{in_response} NotOnOrAfter="{not_on_or_after}"
          Recipient={quoteattr(acs_url)}/>
    </saml:SubjectConfirmation>
  </saml:Subject>
  <saml:Conditions NotBefore="{_timestamp(issued_at - timedelta(seconds=30))}"
      NotOnOrAfter="{not_on_or_after}">
    <saml:AudienceRestriction><saml:Audience>{escape(audience)}</saml:Audience></saml:AudienceRestriction>
  </saml:Conditions>
  <saml:AuthnStatement AuthnInstant="{_timestamp(issued_at)}"
      SessionIndex="_session-{assertion_id}">
    <saml:AuthnContext><saml:AuthnContextClassRef>{authn_context}</saml:AuthnContextClassRef></saml:AuthnContext>
  </saml:AuthnStatement>
  <saml:AttributeStatement>{attribute_xml}</saml:AttributeStatement>
</saml:Assertion>"""
        signed_assertion = self._sign(assertion)
        response = f"""<samlp:Response xmlns:samlp="{SAML.NS_SAMLP}" xmlns:saml="{SAML.NS_SAML}"
    ID="{OneLogin_Saml2_Utils.generate_unique_id()}" Version="2.0"
    IssueInstant="{_timestamp(issued_at)}" Destination={quoteattr(acs_url)}{in_response}>
  <saml:Issuer>{escape(self.entity_id)}</saml:Issuer>
  <samlp:Status><samlp:StatusCode Value="{SAML.STATUS_SUCCESS}"/></samlp:Status>
  {signed_assertion}
</samlp:Response>"""
        if sign_response:
            response = self._sign(response)
        return base64.b64encode(response.encode()).decode()

    def _sign(self, xml: str) -> str:
        signed = OneLogin_Saml2_Utils.add_sign(
            xml,
            self.key_pem,
            self.cert_pem,
            sign_algorithm=SAML.RSA_SHA256,
            digest_algorithm=SAML.SHA256,
        )
        return signed.decode() if isinstance(signed, bytes) else signed


def tamper(saml_response: str, old: str, new: str) -> str:
    """The same signed response with ``old`` replaced by ``new`` after signing (a
    changed attribute value, say): its signature no longer matches."""
    xml = base64.b64decode(saml_response).decode()
    assert old in xml, f"{old!r} is not in the response"
    return base64.b64encode(xml.replace(old, new).encode()).decode()
