"""The admin's *Certificates* menu: a report of issued certificates and staff actions.

- *Listing*: filter by course, status and issue dates, search by holder or number,
  export to CSV or Excel, and re-render the PDFs of the filtered certificates.
- *Certificate*: its details and chain (replaces / replaced by), with Revoke and
  Reissue (each asks for a reason) and Re-render.

Staff see the certificates of the courses they may edit (all of them for superusers
and holders of ``certificates.view_certificate``); acting on one needs edit access to
its course or ``certificates.change_certificate`` (see :mod:`certificates.selectors`).
Other ids are 404, the same as ids that do not exist.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.views import View

from wagtail.admin import messages
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.widgets.button import Button

import django_filters

from base.admin_access import AccessRuleMixin, menu_item_for
from base.admin_exports import ExportButtonsInHeaderMixin
from catalog.models import CoursePage

from . import selectors, services
from .forms import ReasonForm
from .models import Certificate

Status = Certificate.Status

#: Fields the listing's search box looks in (case-insensitive, anywhere in the text).
SEARCH_FIELDS = ("holder_name", "number")


class CertificatesAccessMixin(AccessRuleMixin):
    """Only users who see some certificates (staff of a course, or with the permission)."""

    access_rule = staticmethod(selectors.has_staff_access)


# --- Filters --------------------------------------------------------------------------


def _course_choices(request: HttpRequest) -> QuerySet[CoursePage]:
    if request is None:
        return CoursePage.objects.none()
    user = request.user
    if user.is_superuser or user.has_perm("certificates.view_certificate"):
        return CoursePage.objects.order_by("title")
    return selectors.editable_courses(user=user).order_by("title")


class CertificateFilterSet(WagtailFilterSet):
    course = django_filters.ModelChoiceFilter(
        label="Course",
        queryset=_course_choices,
        empty_label="All courses",
        to_field_name="id",  # range-checked, unlike the page_ptr link: huge ids are invalid
    )
    status = django_filters.ChoiceFilter(
        label="Status", choices=Status.choices, method="filter_status", empty_label="Any status"
    )
    issued = django_filters.DateFromToRangeFilter(
        label="Issued", field_name="issued_at", widget=DateRangePickerWidget
    )

    class Meta:
        model = Certificate
        fields = ["course", "status", "issued"]

    def filter_status(self, queryset, name, value):
        return queryset.with_status(value) if value else queryset


def search_certificates(queryset: QuerySet[Certificate], query: str) -> QuerySet[Certificate]:
    """Certificates whose holder name or number contains ``query``."""
    query = query.strip()
    if not query:
        return queryset
    condition = Q()
    for field in SEARCH_FIELDS:
        condition |= Q(**{f"{field}__icontains": query})
    return queryset.filter(condition)


def filtered_certificates(
    request: HttpRequest, params: QueryDict, base: QuerySet[Certificate]
) -> QuerySet[Certificate]:
    """``base`` narrowed by the listing's filters and search in ``params``, as the
    listing applies them (invalid filter values filter nothing in)."""
    filters = CertificateFilterSet(data=params, request=request, queryset=base)
    queryset = filters.qs if filters.is_valid() else base.none()
    return search_certificates(queryset, params.get("q", ""))


# --- Listing --------------------------------------------------------------------------


def _status(certificate: Certificate) -> Status:
    # The listing computes status once per row per request.
    if not hasattr(certificate, "_listing_status"):
        certificate._listing_status = certificate.status_on(timezone.now())
    return certificate._listing_status


def expiry_text(certificate: Certificate) -> str:
    """The listing's Expires cell: the last valid day, "(expired)" once it has passed,
    or "Never"."""
    valid_until = certificate.valid_until
    if valid_until is None:
        return "Never"
    text = date_format(valid_until, "j M Y")
    if certificate.expires_at <= timezone.now():
        text += " (expired)"
    return text


def _local_datetime_text(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _local_naive_datetime(value):
    return timezone.make_naive(value) if value else None


class CertificateActionsColumn(Column):
    """Links to the certificate's PDF and its page (where staff revoke and reissue)."""

    cell_template_name = "certificates/admin/actions_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["download_url"] = reverse("certificates:download", args=[instance.number])
        context["detail_url"] = reverse("certificates_admin:detail", args=[instance.pk])
        return context


class CertificateListingView(CertificatesAccessMixin, ExportButtonsInHeaderMixin, ReportView):
    """Issued certificates the user may see, filterable, searchable and exportable."""

    page_title = "Certificates"
    header_icon = "doc-full"
    index_url_name = "certificates_admin:index"
    index_results_url_name = "certificates_admin:index_results"
    filterset_class = CertificateFilterSet
    is_searchable = True
    search_fields = list(SEARCH_FIELDS)
    search_backend_name = None  # database search on the fields above
    default_ordering = "-issued_at"
    verbose_name = "certificate"
    verbose_name_plural = "certificates"
    export_filename = "certificates"
    columns = [
        TitleColumn(
            "number",
            label="Number",
            url_name="certificates_admin:detail",
            sort_key="number",
        ),
        Column("holder_name", label="Holder", sort_key="holder_name"),
        Column("course_title", label="Course", sort_key="course_title"),
        DateColumn("issued_at", label="Issued", sort_key="issued_at"),
        # A date, not Wagtail's "time since" DateColumn, which shows "Just now" for any
        # moment in the future.
        Column("expires_at", label="Expires", accessor=expiry_text, sort_key="expires_at"),
        StatusTagColumn(
            "status",
            label="Status",
            accessor=lambda c: _status(c).label,
            primary=lambda c: _status(c) == Status.VALID,
        ),
        CertificateActionsColumn("actions", label="PDF"),
    ]
    list_export = [
        "number",
        "holder_name",
        "user.username",
        "user.email",
        "course_title",
        "issued_at",
        "valid_until",
        "status_label",
        "revoked_at",
        "revoked_reason",
        "successor_number",
    ]
    export_headings = {
        "number": "Number",
        "holder_name": "Holder",
        "user.username": "Username",
        "user.email": "Email",
        "course_title": "Course",
        "issued_at": "Issued",
        "valid_until": "Expires",  # the last valid day
        "status_label": "Status",
        "revoked_at": "Revoked",
        "revoked_reason": "Revocation reason",
        "successor_number": "Replaced by",
    }
    custom_field_preprocess = {
        field: {
            ReportView.FORMAT_CSV: _local_datetime_text,
            ReportView.FORMAT_XLSX: _local_naive_datetime,
        }
        for field in ("issued_at", "revoked_at")
    }

    def get_base_queryset(self):
        return selectors.staff_certificates(user=self.request.user)

    def search_queryset(self, queryset):
        return search_certificates(queryset, self.search_query) if self.is_searching else queryset

    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons.copy()
        query = self.request.GET.copy()
        for key in ("export", "p", "_w_filter_fragment", "ordering"):
            query.pop(key, None)
        url = reverse("certificates_admin:rerender")
        buttons.append(
            Button(
                "Re-render these PDFs",
                url=f"{url}?{query.urlencode()}" if query else url,
                icon_name="rotate",
                priority=110,
            )
        )
        return buttons


# --- One certificate --------------------------------------------------------------------


class CertificateObjectMixin(CertificatesAccessMixin):
    """Finds the certificate in the URL among those the user may see (404 otherwise),
    and for actions, among those they may manage (403 otherwise)."""

    def get_certificate(self, pk: int, *, manage: bool = False) -> Certificate:
        certificate = get_object_or_404(selectors.staff_certificates(user=self.request.user), pk=pk)
        if manage and not selectors.can_manage(user=self.request.user, certificate=certificate):
            raise PermissionDenied
        return certificate

    def breadcrumbs(self, *extra: dict) -> list[dict]:
        return [
            {"url": reverse("wagtailadmin_home"), "label": "Home"},
            {"url": reverse("certificates_admin:index"), "label": "Certificates"},
            *extra,
        ]


class CertificateDetailView(CertificateObjectMixin, View):
    """A certificate's details and chain, with the actions the user may take."""

    http_method_names = ["get"]

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        certificate = self.get_certificate(pk)
        status = certificate.status_on(timezone.now())
        return TemplateResponse(
            request,
            "certificates/admin/detail.html",
            {
                "certificate": certificate,
                "status": status,
                "successor": certificate.successor,
                "can_manage": selectors.can_manage(user=request.user, certificate=certificate),
                "header_title": f"Certificate {certificate.number}",
                "page_title": f"Certificate {certificate.number}",
                "header_icon": "doc-full",
                "breadcrumbs_items": self.breadcrumbs({"url": "", "label": certificate.number}),
            },
        )


class ReasonActionView(CertificateObjectMixin, View):
    """Base of Revoke and Reissue: GET shows the reason form, POST acts (400 with the
    form again when the reason is missing or the action is refused)."""

    #: "revoke" or "reissue".
    action = ""
    title = ""
    button_label = ""
    explanation = ""

    def render_form(self, certificate: Certificate, form: ReasonForm, status: int = 200):
        return TemplateResponse(
            self.request,
            "certificates/admin/reason_form.html",
            {
                "certificate": certificate,
                "form": form,
                "action_url": reverse(f"certificates_admin:{self.action}", args=[certificate.pk]),
                "detail_url": reverse("certificates_admin:detail", args=[certificate.pk]),
                "button_label": self.button_label,
                "explanation": self.explanation,
                "header_title": f"{self.title} {certificate.number}",
                "page_title": f"{self.title} {certificate.number}",
                "header_icon": "doc-full",
                "breadcrumbs_items": self.breadcrumbs(
                    {
                        "url": reverse("certificates_admin:detail", args=[certificate.pk]),
                        "label": certificate.number,
                    },
                    {"url": "", "label": self.title},
                ),
            },
            status=status,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_form(self.get_certificate(pk, manage=True), ReasonForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        certificate = self.get_certificate(pk, manage=True)
        form = ReasonForm(request.POST)
        if not form.is_valid():
            return self.render_form(certificate, form, status=400)
        try:
            result = self.perform(certificate, form.cleaned_data["reason"])
        except services.CertificateError as error:
            form.add_error(None, str(error))
            return self.render_form(certificate, form, status=400)
        return redirect("certificates_admin:detail", pk=result.pk)

    def perform(self, certificate: Certificate, reason: str) -> Certificate:
        raise NotImplementedError


class RevokeView(ReasonActionView):
    action = "revoke"
    title = "Revoke"
    button_label = "Revoke certificate"
    explanation = (
        "Its verification page will say it was revoked, and its PDF will be stamped "
        "“revoked”. This cannot be undone; you may reissue it afterwards."
    )

    def perform(self, certificate: Certificate, reason: str) -> Certificate:
        certificate = services.certificate_revoke(
            certificate=certificate, by=self.request.user, reason=reason
        )
        messages.success(self.request, f"Certificate {certificate.number} is revoked.")
        return certificate


class ReissueView(ReasonActionView):
    action = "reissue"
    title = "Reissue"
    button_label = "Reissue certificate"
    explanation = (
        "A new certificate with a new number and verification code replaces this one, "
        "printed with the holder's and course's current names. This one is revoked and "
        "its verification page points to the new number."
    )

    def perform(self, certificate: Certificate, reason: str) -> Certificate:
        new = services.certificate_reissue(
            certificate=certificate, by=self.request.user, reason=reason
        )
        messages.success(
            self.request, f"Certificate {certificate.number} is replaced by {new.number}."
        )
        return new


class RenderOneView(CertificateObjectMixin, View):
    """POST: render one certificate's PDF again."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        certificate = self.get_certificate(pk, manage=True)
        services.certificates_mark_stale(certificates=[certificate])
        messages.success(request, f"The PDF of {certificate.number} is being rendered again.")
        return redirect("certificates_admin:detail", pk=certificate.pk)


class BulkRerenderView(CertificatesAccessMixin, View):
    """Re-render the PDFs of the certificates in a filtered listing: GET asks to
    confirm (with the count), POST marks them stale and queues them. Only the
    certificates the user may manage are included."""

    http_method_names = ["get", "post"]

    def selection(self, params: QueryDict) -> QuerySet[Certificate]:
        base = selectors.manageable_certificates(user=self.request.user)
        return filtered_certificates(self.request, params, base)

    def get(self, request: HttpRequest) -> HttpResponse:
        params = request.GET.copy()
        count = self.selection(params).count()
        return TemplateResponse(
            request,
            "certificates/admin/rerender_confirm.html",
            {
                "count": count,
                "query": params.urlencode(),
                "back_url": reverse("certificates_admin:index")
                + (f"?{params.urlencode()}" if params else ""),
                "header_title": "Re-render certificate PDFs",
                "page_title": "Re-render certificate PDFs",
                "header_icon": "rotate",
                "breadcrumbs_items": [
                    {"url": reverse("wagtailadmin_home"), "label": "Home"},
                    {"url": reverse("certificates_admin:index"), "label": "Certificates"},
                    {"url": "", "label": "Re-render"},
                ],
            },
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        params = QueryDict(request.POST.get("query", ""))
        count = services.certificates_mark_stale(
            certificates=self.selection(params).select_related(None).only("pk")
        )
        messages.success(
            request,
            f"{count} certificate PDF{'' if count == 1 else 's'} will be rendered again; "
            "any not yet done are rendered when downloaded.",
        )
        url = reverse("certificates_admin:index")
        return redirect(f"{url}?{params.urlencode()}" if params else url)


# --- Registration ----------------------------------------------------------------------


class CertificateViewSet(ViewSet):
    """The admin's *Certificates* menu item and its views."""

    name = "certificates_admin"
    url_prefix = "certificates"
    icon = "doc-full"
    menu_label = "Certificates"
    menu_order = 160  # after Learners (150), before Images (300)
    add_to_admin_menu = True
    menu_item_class = menu_item_for(CertificatesAccessMixin)

    def get_urlpatterns(self):
        return [
            path("", CertificateListingView.as_view(), name="index"),
            path(
                "results/",
                CertificateListingView.as_view(results_only=True),
                name="index_results",
            ),
            path("rerender/", BulkRerenderView.as_view(), name="rerender"),
            path("<int:pk>/", CertificateDetailView.as_view(), name="detail"),
            path("<int:pk>/revoke/", RevokeView.as_view(), name="revoke"),
            path("<int:pk>/reissue/", ReissueView.as_view(), name="reissue"),
            path("<int:pk>/render/", RenderOneView.as_view(), name="render"),
        ]
