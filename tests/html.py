"""Reading rendered HTML in tests: the rows of a listing table and their cell texts."""

import re


def table_rows(html: str) -> list[tuple[str, list[str]]]:
    """Each ``<tr>`` of ``html`` as (its HTML, the whitespace-normalised text of each
    ``<td>``)."""
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S):
        texts = [
            " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        rows.append((row, texts))
    return rows
