"""The hooks through which each app gives its part of a person's records.

Each app registers plain functions in its ``wagtail_hooks.py`` (they live in the app's
``records.py``), so this app gathers everything without importing a feature app, and
each app alone knows its tables:

``register_person_export``
    ``fn(person) -> dict[str, list | dict]``: the app's files in the person's data
    download, by name without extension (``"learner/enrolments"``), each JSON-able.
``register_person_evidence``
    ``fn(person, *, scope: EvidenceScope) -> dict[str, list[dict]]``: the app's
    sections of the evidence pack (:data:`EVIDENCE_SECTIONS` names them), narrowed to
    the scope's courses and requirement when it has them. Each row may name the object
    it comes from as ``"object": "app.model:pk"``; the pack then also lists that
    object's audit entries.
``register_evidence_scope``
    ``fn(requirement_id) -> dict | None``: what one requirement covers, as the keyword
    arguments of :class:`EvidenceScope` (its name and course); None when the app does
    not know it. Compliance owns requirements, so it answers.
``register_person_erasure``
    ``fn(person, *, erased: ErasedPerson) -> dict[str, int]``: replaces the app's
    personal data about ``person`` (names, addresses, free text about them) and deletes
    what only served them; returns how many rows of each kind it changed. All run in
    one transaction, with the account's own row last.
``register_retention_purge``
    ``fn(*, cutoff: datetime) -> dict[str, int]``: removes the app's personal records
    older than ``cutoff`` that nothing still needs; returns how many of each kind.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from wagtail import hooks

EXPORT = "register_person_export"
EVIDENCE = "register_person_evidence"
EVIDENCE_SCOPE = "register_evidence_scope"
ERASURE = "register_person_erasure"
RETENTION = "register_retention_purge"

#: The evidence pack's sections, in the order the PDF shows them, with their titles.
EVIDENCE_SECTIONS = {
    "assignments": "Required training: cycles",
    "exemptions": "Exemptions",
    "reminders": "Reminders and escalations sent",
    "enrolments": "Enrolments and course completions",
    "lesson_completions": "Lessons completed",
    "quiz_attempts": "Quiz attempts",
    "certificates": "Certificates",
}


@dataclass(frozen=True)
class EvidenceScope:
    """What an evidence pack covers: everything (no requirement), or one requirement
    and its course."""

    requirement_id: int | None = None
    requirement_name: str = ""
    course_ids: tuple[int, ...] = ()

    @property
    def everything(self) -> bool:
        return self.requirement_id is None


@dataclass
class ErasedPerson:
    """What an erasure writes in place of a person's data, shared by every app's part."""

    user_id: int
    when: datetime
    #: Shown where a name was (a certificate's holder, a listing).
    placeholder: str = "Erased person"
    #: Replaces free text about the person (a reason, an answer, a note).
    redacted: str = "[erased]"
    #: The username and addresses the person had, for apps that must find rows holding
    #: them as text (sign-in attempts, sent messages) before they are replaced.
    identifiers: tuple[str, ...] = field(default_factory=tuple)


def _functions(name: str) -> Iterator[Callable[..., Any]]:
    yield from hooks.get_hooks(name)


def export_parts(person) -> dict[str, Any]:
    """Every app's files of ``person``'s data download."""
    files: dict[str, Any] = {}
    for function in _functions(EXPORT):
        files.update(function(person))
    return files


def evidence_scope(requirement_id: int | None) -> EvidenceScope | None:
    """The scope of a pack for ``requirement_id`` (everything when None); None when no
    app knows the requirement."""
    if requirement_id is None:
        return EvidenceScope()
    for function in _functions(EVIDENCE_SCOPE):
        scope = function(requirement_id)
        if scope is not None:
            return EvidenceScope(**scope)
    return None


def evidence_sections(person, *, scope: EvidenceScope) -> dict[str, list[dict]]:
    """Every app's evidence sections for ``person`` within ``scope``."""
    sections: dict[str, list[dict]] = {name: [] for name in EVIDENCE_SECTIONS}
    for function in _functions(EVIDENCE):
        for name, rows in function(person, scope=scope).items():
            sections.setdefault(name, []).extend(rows)
    return sections


def erase_parts(person, *, erased: ErasedPerson) -> dict[str, int]:
    """Run every app's erasure of ``person``; the counts of what each changed."""
    counts: dict[str, int] = {}
    for function in _functions(ERASURE):
        counts.update(function(person, erased=erased))
    return counts


def retention_parts(*, cutoff: datetime) -> dict[str, int]:
    """Run every app's retention purge; the counts of what each removed."""
    counts: dict[str, int] = {}
    for function in _functions(RETENTION):
        counts.update(function(cutoff=cutoff))
    return counts
