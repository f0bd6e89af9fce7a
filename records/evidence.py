"""The evidence pack: what a compliance officer shows an auditor about one person.

:func:`build` gathers, for a person (and optionally one requirement), who they are,
every cycle of their required training with its dates and history, their exemptions,
the reminders sent, their enrolments and completions with the content revisions they
covered, quiz attempts with scores, certificates with verification URLs, and the audit
entries about all of it with their hashes, plus the chain's head and whether the whole
chain verified at that moment. :func:`as_json` and :func:`render_pdf` write it out; the
PDF (WeasyPrint, from ``records/evidence.html``) carries the site's branding.
"""

import json
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone

from wagtail.models import Site

import audit
from accounts.personal_data import identity
from base.printing import font_directory, font_uris, image_data_uri
from home.models import BrandingSettings

from . import hooks
from .services import audit_entries_about, entry_data

TEMPLATE_NAME = "records/evidence.html"
LOGO_FILTER = "max-400x120"
DEFAULT_ACCENT = "#1d4ed8"


class UnknownRequirement(LookupError):
    """The pack was asked for a requirement no app knows."""


@dataclass(frozen=True)
class EvidencePack:
    data: dict[str, Any]

    @property
    def filename_stem(self) -> str:
        person = self.data["person"]
        scope = self.data["scope"]
        suffix = f"-requirement-{scope['requirement_id']}" if scope else ""
        return f"evidence-{person['username']}{suffix}"


def _chain_state() -> dict[str, Any]:
    """The chain's head now, and whether every entry verifies (the first broken entry
    when not)."""
    try:
        head = audit.verify_chain()
    except audit.ChainBroken as broken:
        head = audit.chain_head()
        return {
            "verified": False,
            "broken_at": broken.sequence,
            "reason": broken.reason,
            "head_sequence": head.sequence,
            "head_hash": head.entry_hash,
            "entries": head.count,
        }
    return {
        "verified": True,
        "head_sequence": head.sequence,
        "head_hash": head.entry_hash,
        "entries": head.count,
    }


def build(person, *, requirement_id: int | None = None, generated_by: str = "") -> EvidencePack:
    """The evidence about ``person``; only ``requirement_id``'s cycles and its course
    when given (:class:`UnknownRequirement` when no such requirement exists)."""
    scope = hooks.evidence_scope(requirement_id)
    if scope is None:
        raise UnknownRequirement(requirement_id)
    sections = hooks.evidence_sections(person, scope=scope)
    objects = None
    if not scope.everything:
        objects = {row["object"] for rows in sections.values() for row in rows if "object" in row}
    entries = [entry_data(entry) for entry in audit_entries_about(person, objects=objects)]
    data = {
        "generated_at": timezone.now(),
        "generated_by": generated_by,
        "person": identity(person),
        "scope": None
        if scope.everything
        else {
            "requirement_id": scope.requirement_id,
            "requirement": scope.requirement_name,
            "course_ids": list(scope.course_ids),
        },
        **sections,
        "audit": {"entries": entries, "chain": _chain_state()},
    }
    return EvidencePack(data=data)


def as_json(pack: EvidencePack) -> str:
    return json.dumps(pack.data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


def _branding() -> BrandingSettings:
    site = Site.objects.filter(is_default_site=True).first()
    return BrandingSettings.for_site(site) if site else BrandingSettings()


def render_html(pack: EvidencePack) -> str:
    branding = _branding()
    accent = branding.accent_colour or ""
    sections = [
        {"key": key, "title": title, "rows": pack.data.get(key, [])}
        for key, title in hooks.EVIDENCE_SECTIONS.items()
    ]
    return render_to_string(
        TEMPLATE_NAME,
        {
            "pack": pack.data,
            "sections": sections,
            "site_name": branding.site_name or "Fledge",
            "accent": accent if accent.startswith("#") and len(accent) == 7 else DEFAULT_ACCENT,
            "logo_uri": image_data_uri(branding.logo, LOGO_FILTER),
            "fonts": font_uris(),
        },
    )


def render_pdf(pack: EvidencePack) -> bytes:
    """The pack as an A4 PDF, as many pages as it needs."""
    from base import pdf  # WeasyPrint takes a second to import: only when rendering.

    data, _pages = pdf.html_to_pdf(render_html(pack), allowed_dir=font_directory())
    return data


def record_download(pack: EvidencePack, *, person, actor, file_format: str) -> None:
    """Record in the audit trail that ``actor`` (None: the command line) took the pack."""
    scope = pack.data["scope"]
    audit.record(
        actor=actor,
        action="fledge.records.evidence",
        obj=person,
        payload={
            "person": person.pk,
            "requirement": scope["requirement_id"] if scope else None,
            "format": file_format,
            "chain_head": pack.data["audit"]["chain"]["head_sequence"],
        },
        subject=person,
    )
