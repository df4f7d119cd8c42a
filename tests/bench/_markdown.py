"""Markdown tables for the generated reports, aligned so the raw file also reads well in a diff."""

from __future__ import annotations

from collections.abc import Sequence


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], *, numeric_from: int = 1) -> str:
    """A GitHub-flavoured table; columns from `numeric_from` on are right-aligned (figures)."""
    cells = [[_cell(h) for h in headers], *([_cell(v) for v in row] for row in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        padded = [
            cell.rjust(width) if i >= numeric_from else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        return "| " + " | ".join(padded) + " |"

    rule = [("-" * (width - 1) + ":") if i >= numeric_from else "-" * width for i, width in enumerate(widths)]
    return "\n".join([line(cells[0]), "| " + " | ".join(rule) + " |", *(line(row) for row in cells[1:])])


def key_values(rows: Sequence[tuple[str, str]], headers: tuple[str, str] = ("", "")) -> str:
    """A two-column table of labels and free text (nothing right-aligned)."""
    return table(list(headers), rows, numeric_from=2)
