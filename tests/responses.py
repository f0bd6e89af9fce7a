"""Reading responses in tests: the messages a view left, and streamed downloads (CSV
and Excel rows)."""

import csv
import io

from django.contrib.messages import get_messages

import openpyxl


def message_texts(response) -> list[str]:
    """The texts of the messages the request left (Django's messages framework)."""
    return [str(m) for m in get_messages(response.wsgi_request)]


def streamed(response) -> bytes:
    """The whole body of a streaming response."""
    return b"".join(response.streaming_content)


def csv_rows(response) -> list[list[str]]:
    """The rows of a streamed CSV download, headings first."""
    return list(csv.reader(io.StringIO(streamed(response).decode("utf-8"))))


def xlsx_rows(response) -> list[tuple]:
    """The rows of the first sheet of a streamed Excel download, headings first."""
    workbook = openpyxl.load_workbook(io.BytesIO(streamed(response)))
    return list(workbook.active.iter_rows(values_only=True))
