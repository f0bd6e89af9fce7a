"""The compliance exports: the by-person report's rows, streamed as CSV or written as
Excel without holding them in memory, and the summary's figures in the same formats."""

import csv
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from django.db.models import OuterRef, QuerySet, Subquery

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from learner.models import Enrollment

from .models import Assignment, TrainingRequirement
from .scheduling import Status
from .selectors.reports import TABLE_ORDER, RequirementSummary, StatusCounts

# --- By person -----------------------------------------------------------------------

#: The exported columns, as (key, heading), in order.
EXPORT_COLUMNS = (
    ("person", "Person"),
    ("username", "Username"),
    ("email", "Email"),
    ("requirement", "Requirement"),
    ("course", "Course"),
    ("cycle", "Cycle"),
    ("status", "Status"),
    ("assigned_on", "Assigned"),
    ("due_on", "Due"),
    ("completed_on", "Completed"),
    ("expires_on", "Expires"),
    ("join_request", "Request to join"),
)
_EXPORT_VALUES = (
    "user__first_name",
    "user__last_name",
    "user__username",
    "user__email",
    "requirement_id",
    "cycle",
    "status",
    "assigned_on",
    "due_on",
    "completed_on",
    "certification_expires_on",
)


def export_rows(queryset: QuerySet[Assignment], *, chunk_size: int) -> Iterator[list]:
    """Each row of ``queryset`` (from :func:`compliance.selectors.statuses`, annotated
    with ``status`` and ``certification_expires_on``, which is the Expires column: an
    open or lapsed renewal shows the previous certification's expiry) as a list of
    values in :data:`EXPORT_COLUMNS` order, read from the database ``chunk_size`` rows
    at a time and never cached, so memory stays flat however many rows there are.
    "Request to join" is filled when the rows are annotated with ``join_request``
    (:func:`with_join_request`) and the status is not met.

    Rows are read as plain values: building a user, a requirement and a course page
    for every row would cost more than the query. Requirement and course names come
    from one query over the (few) requirements.
    """
    labels = {
        pk: (name, course)
        for pk, name, course in TrainingRequirement.objects.values_list(
            "pk", "name", "course__title"
        )
    }
    has_requests = "join_request" in queryset.query.annotations
    fields = (*_EXPORT_VALUES, "join_request") if has_requests else _EXPORT_VALUES
    rows = queryset.values_list(*fields).iterator(chunk_size=chunk_size)
    for first_name, last_name, username, email, requirement_id, cycle, status, *rest in rows:
        requirement, course = labels[requirement_id]
        dates = rest[:4]
        join_request = rest[4] if has_requests else None
        yield [
            f"{first_name} {last_name}".strip() or username,
            username,
            email,
            requirement,
            course,
            cycle,
            Status(status).label,
            *dates,
            join_request_label(status, join_request),
        ]


#: The states of a person's request to join a course that the reports name beside a
#: status not met yet ("Not started · Awaiting approval").
JOIN_REQUEST_STATES = (Enrollment.Status.PENDING.value, Enrollment.Status.WAITLISTED.value)


def with_join_request(queryset: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """Annotate each row with ``join_request``: the status of the person's enrolment in
    the requirement's course while it awaits approval or a place (None otherwise), as
    one subquery of the report's query. A person has at most one open enrolment per
    course (a database constraint), so there is at most one such row.

    It is the request's state now: enrolments keep no history of when a request left
    the waitlist, so a report as of an earlier date leaves it out."""
    waiting = Enrollment.objects.filter(
        user_id=OuterRef("user_id"),
        course_id=OuterRef("requirement__course_id"),
        status__in=JOIN_REQUEST_STATES,
    )
    return queryset.annotate(join_request=Subquery(waiting.values("status")[:1]))


def join_request_label(status: str, join_request: str | None) -> str:
    """What the reports say beside a status about the person's request to join the
    course: "Awaiting approval", "On the waitlist", or nothing (no request waiting, or
    the requirement already met: compliant or exempt)."""
    if not join_request or status in (Status.COMPLIANT, Status.EXEMPT):
        return ""
    return Enrollment.Status(join_request).label


def spreadsheet_safe(value):
    """Keep a spreadsheet program from running a text cell as a formula (CSV
    injection): text starting with = + - @ or a control character gets a leading
    apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


class _Echo:
    """A file-like object whose ``write`` returns the line, for csv.writer to stream."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(
    rows: Iterable[list], *, headings: Iterable[str] | None = None, block_size: int = 64 * 1024
) -> Iterator[str]:
    """The CSV text of a heading row (default: :data:`EXPORT_COLUMNS`') and ``rows``, in
    blocks of about ``block_size`` characters (dates as YYYY-MM-DD, blanks for missing
    dates), for a StreamingHttpResponse. The heading row is its own first block."""
    writer = csv.writer(_Echo())
    if headings is None:
        headings = [heading for _, heading in EXPORT_COLUMNS]
    yield writer.writerow(list(headings))
    block: list[str] = []
    length = 0
    for row in rows:
        line = writer.writerow([spreadsheet_safe(value) for value in row])
        block.append(line)
        length += len(line)
        if length >= block_size:
            yield "".join(block)
            block, length = [], 0
    if block:
        yield "".join(block)


def write_xlsx(
    rows: Iterable[list],
    output: BinaryIO,
    *,
    headings: Iterable[str] | None = None,
    title: str = "Compliance",
) -> None:
    """An Excel workbook of a heading row (default: :data:`EXPORT_COLUMNS`') and
    ``rows`` (dates as dates), written by openpyxl in write-only mode, which keeps rows
    on disk rather than in memory."""
    workbook = Workbook(write_only=True, iso_dates=True)
    sheet = workbook.create_sheet(title=title)
    if headings is None:
        headings = [heading for _, heading in EXPORT_COLUMNS]
    sheet.append(list(headings))

    def as_text(value: str) -> WriteOnlyCell:
        # openpyxl would store text starting with "=" as a formula.
        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"
        return cell

    for row in rows:
        sheet.append([as_text(v) if isinstance(v, str) and v.startswith("=") else v for v in row])
    workbook.save(output)


# --- Summary -------------------------------------------------------------------------


def summary_headings() -> list[str]:
    """The summary export's columns: as the summary table shows them."""
    return [
        "Requirement",
        "Course",
        "Assigned",
        *(status.label for status in TABLE_ORDER),
        "% compliant",
    ]


def summary_rows(rows: Iterable[RequirementSummary], total: StatusCounts) -> Iterator[list]:
    """One row per requirement, as :func:`summary_headings` names them, then a "Total"
    row; "% compliant" is blank where nobody is assigned (as the table's "–")."""

    def figures(counts: StatusCounts) -> list:
        return [
            counts.assigned,
            *(count for _, count in counts.columns),
            counts.percent_compliant,
        ]

    for row in rows:
        yield [row.requirement.name, row.requirement.course.title, *figures(row.figures)]
    yield ["Total", "", *figures(total)]
