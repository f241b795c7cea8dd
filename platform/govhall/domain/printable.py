"""Printable xlsx forms (a hall prints and files them): the title row, the bordered table, the 制表人/审核人/日期
block and the print setup (A4, fitted to one page wide, header rows repeated, page numbers). Shared by the
attendance month sheet and the assessment year sheet."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def title_row(ws: Any, text: str, width: int) -> None:
    """Row 1: the form's title, merged over the table's width, bold and centred."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws.append([text])
    ws.merge_cells(f"A1:{get_column_letter(width)}1")
    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 28


def bordered(ws: Any, first: int, last: int, width: int, *, header_rows: int, left_columns: int) -> None:
    """Thin borders on rows ``first``..``last``; the first ``header_rows`` bold and centred, the columns after the
    first ``left_columns`` (names) centred and wrapped."""
    from openpyxl.styles import Alignment, Border, Font, Side

    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    center_align = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r in range(first, last + 1):
        for c in range(1, width + 1):
            cell = ws.cell(r, c)
            cell.border = border
            if r < first + header_rows or c > left_columns:
                cell.alignment = center_align
            if r < first + header_rows:
                cell.font = Font(bold=True)


def sign_block(ws: Any, zh: bool, columns: Sequence[int] = (1, 11, 21)) -> None:
    """The 制表人 / 审核人 / 日期 row at ``columns`` (a blank row before it)."""
    from openpyxl.styles import Alignment, Font

    labels = (("制表人：", "审核人：", "日期：　　　　年　　月　　日") if zh else
              ("Prepared by:", "Reviewed by:", "Date:"))
    ws.append([])
    row = ws.max_row + 1
    cells: list[object] = [None] * max(columns)
    for c, text in zip(columns, labels, strict=True):
        cells[c - 1] = text
    ws.append(cells)
    ws.row_dimensions[row].height = 30
    for c in columns:
        ws.cell(row, c).font = Font(bold=True)
        ws.cell(row, c).alignment = Alignment(vertical="bottom")


def print_setup(ws: Any, width: int, title_rows: str, zh: bool, *, landscape: bool = True) -> None:
    """A4, fitted to one page wide, ``title_rows`` (e.g. "3:4") repeated on every page, centred, page numbers."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.print_area = f"A1:{get_column_letter(width)}{ws.max_row}"
    ws.print_title_rows = title_rows
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.3
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    footer = ws.oddFooter
    if footer is not None and footer.center is not None:
        footer.center.text = "第 &P 页 共 &N 页" if zh else "Page &P of &N"
