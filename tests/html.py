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


def table_cells(html: str, labelled_by: str) -> list[list[str]]:
    """The cell texts of each body row of the table labelled by the element with id
    ``labelled_by`` (``aria-labelledby``), header rows left out."""
    match = re.search(
        rf'<table[^>]*aria-labelledby="{re.escape(labelled_by)}".*?</table>', html, re.S
    )
    assert match, f"no table labelled by #{labelled_by}"
    return [cells for _, cells in table_rows(match.group(0)) if cells]
