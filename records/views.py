"""The pages of personal records.

- ``/accounts/my-data/``: the signed-in person downloads all their data (a ZIP);
- in Wagtail's admin, under *Settings → Personal records*: find a person, then download
  their evidence pack (PDF or JSON, optionally for one requirement: the compliance
  report links each row here), all their data, or erase them (typing their username to
  confirm).

Who may do what is :mod:`records.permissions`; a refused request answers 403, an
unknown person or requirement 404, a malformed form 400. Every download and erasure is
recorded in the audit trail.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from wagtail.models import Site

from accounts.models import Profile
from base.people import person_name
from home.models import BrandingSettings

from . import evidence, permissions, services
from .forms import EraseForm, PersonSearchForm

#: People listed at most by one search.
SEARCH_LIMIT = 50


def _site_name(request: HttpRequest) -> str:
    site = Site.find_for_request(request)
    return (BrandingSettings.for_site(site).site_name if site else "") or "Fledge"


def _zip_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    """All of the signed-in person's data, as a ZIP of JSON files."""
    person = request.user
    data = services.export_zip(person, actor=person, site_name=_site_name(request))
    return _zip_response(data, f"my-data-{person.pk}.zip")


# --- The admin's pages ----------------------------------------------------------------


def _person(user_id: int):
    return get_object_or_404(get_user_model(), pk=user_id)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("You may not see this person's records.")


@require_GET
def people(request: HttpRequest) -> TemplateResponse:
    """Find a person by name, email or username."""
    _require(permissions.may_open_records(request.user))
    form = PersonSearchForm(request.GET or None)
    found = None
    status = 200
    if form.is_bound:
        if form.is_valid():
            query = form.cleaned_data["q"]
            words = Q()
            for word in query.split():
                words &= (
                    Q(first_name__icontains=word)
                    | Q(last_name__icontains=word)
                    | Q(email__icontains=word)
                    | Q(username__icontains=word)
                )
            found = list(
                get_user_model()
                .objects.filter(words)
                .order_by("last_name", "first_name", "username", "pk")[:SEARCH_LIMIT]
            )
        else:
            status = 400
    return TemplateResponse(
        request,
        "records/admin/people.html",
        {"form": form, "found": found, "limit": SEARCH_LIMIT, "page_title": "Personal records"},
        status=status,
    )


@require_GET
def person(request: HttpRequest, user_id: int) -> TemplateResponse:
    """One person: what may be downloaded about them, and their erasure."""
    _require(permissions.may_open_records(request.user))
    subject = _person(user_id)
    profile = Profile.objects.filter(user=subject).first()
    return TemplateResponse(
        request,
        "records/admin/person.html",
        {
            "subject": subject,
            "subject_name": person_name(subject),
            "erased_at": profile.erased_at if profile else None,
            "may_evidence": permissions.may_download_evidence(request.user),
            "may_export": permissions.may_export(request.user, subject),
            "may_erase": permissions.may_erase(request.user, subject),
            "page_title": f"Personal records: {person_name(subject)}",
        },
    )


def _requirement_id(request: HttpRequest) -> int | None:
    value = request.GET.get("requirement", "")
    if not value:
        return None
    if not value.isdigit() or len(value) > 18:
        raise Http404("No such requirement.")
    return int(value)


@require_GET
def evidence_pack(request: HttpRequest, user_id: int, file_format: str) -> HttpResponse:
    """The evidence pack of one person (``?requirement=<id>`` for one requirement), as
    a PDF or as JSON."""
    _require(permissions.may_download_evidence(request.user))
    subject = _person(user_id)
    try:
        pack = evidence.build(
            subject,
            requirement_id=_requirement_id(request),
            generated_by=f"{person_name(request.user)} ({request.user.get_username()})",
        )
    except evidence.UnknownRequirement as missing:
        raise Http404("No such requirement.") from missing
    if file_format == "pdf":
        response = HttpResponse(evidence.render_pdf(pack), content_type="application/pdf")
    else:
        response = HttpResponse(evidence.as_json(pack), content_type="application/json")
    evidence.record_download(pack, person=subject, actor=request.user, file_format=file_format)
    response["Content-Disposition"] = f'attachment; filename="{pack.filename_stem}.{file_format}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def personal_data(request: HttpRequest, user_id: int) -> HttpResponse:
    """All of one person's data, as a ZIP, for whoever may export anyone's."""
    subject = _person(user_id)
    _require(permissions.may_export(request.user, subject))
    data = services.export_zip(subject, actor=request.user, site_name=_site_name(request))
    return _zip_response(data, f"personal-data-{subject.pk}.zip")


@require_http_methods(["GET", "POST"])
def erase(request: HttpRequest, user_id: int) -> HttpResponse:
    """Erase one person, once their username is typed to confirm."""
    subject = _person(user_id)
    _require(permissions.may_erase(request.user, subject))
    form = EraseForm(request.POST or None, person=subject)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            name = person_name(subject)
            try:
                counts = services.erase_person(subject, actor=request.user)
            except services.ErasureRefused as refused:
                messages.error(request, refused.message)
                return redirect("records:person", user_id=subject.pk)
            messages.success(
                request,
                f"{name}'s personal data was erased ({sum(counts.values())} records changed).",
            )
            return redirect("records:person", user_id=subject.pk)
        status = 400
    return TemplateResponse(
        request,
        "records/admin/erase.html",
        {
            "subject": subject,
            "subject_name": person_name(subject),
            "form": form,
            "cancel_url": reverse("records:person", args=[subject.pk]),
            "page_title": f"Erase {person_name(subject)}",
        },
        status=status,
    )
